using System.Collections.Concurrent;
using Apache.Arrow;

namespace Lakehouse.Server.FlightSql;

/// <summary>
/// Statements planned by GetFlightInfo and awaiting DoGet, and prepared statements, keyed by opaque
/// handles. Entries that nobody fetches expire so abandoned queries do not hold resources.
/// </summary>
public sealed class StatementRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PendingStatement> _statements = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PreparedStatement> _prepared = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _time;
    private readonly ITimer _sweepTimer;

    public StatementRegistry(TimeSpan timeToLive, TimeProvider? timeProvider = null)
    {
        _timeToLive = timeToLive;
        _time = timeProvider ?? TimeProvider.System;
        var sweepInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, timeToLive.Ticks / 4));
        _sweepTimer = _time.CreateTimer(_ => SweepExpired(), null, sweepInterval, sweepInterval);
    }

    public int PendingCount => _statements.Count;

    public int PreparedCount => _prepared.Count;

    /// <summary>Keeps a planned statement until its ticket is fetched; returns its handle.</summary>
    public byte[] AddStatement(string sql, IQueryResult plannedResult)
    {
        var handle = NewHandle();
        _statements[ToKey(handle)] = new PendingStatement(sql, plannedResult, _time.GetUtcNow());
        return handle;
    }

    /// <summary>
    /// Looks up a statement handle. The first fetch gets the planned result; the SQL stays so a ticket
    /// may be fetched again (the statement is then planned anew) until it expires.
    /// </summary>
    public bool TryTakeStatement(ReadOnlySpan<byte> handle, out string sql, out IQueryResult? plannedResult)
    {
        var key = ToKey(handle);
        if (_statements.TryGetValue(key, out var statement))
        {
            sql = statement.Sql;
            plannedResult = Interlocked.Exchange(ref statement.PlannedResult, null);
            statement.LastUsed = _time.GetUtcNow();
            return true;
        }

        sql = string.Empty;
        plannedResult = null;
        return false;
    }

    public byte[] AddPrepared(string sql, Schema schema)
    {
        var handle = NewHandle();
        _prepared[ToKey(handle)] = new PreparedStatement(sql, schema, _time.GetUtcNow());
        return handle;
    }

    public bool TryGetPrepared(ReadOnlySpan<byte> handle, out string sql, out Schema? schema)
    {
        if (_prepared.TryGetValue(ToKey(handle), out var prepared))
        {
            prepared.LastUsed = _time.GetUtcNow();
            sql = prepared.Sql;
            schema = prepared.Schema;
            return true;
        }

        sql = string.Empty;
        schema = null;
        return false;
    }

    public bool RemovePrepared(ReadOnlySpan<byte> handle) => _prepared.TryRemove(ToKey(handle), out _);

    /// <summary>Drops entries idle for longer than the time to live and releases their planned results.</summary>
    public void SweepExpired()
    {
        var cutoff = _time.GetUtcNow() - _timeToLive;
        foreach (var (key, statement) in _statements)
        {
            if (statement.LastUsed < cutoff && _statements.TryRemove(key, out var removed))
            {
                ReleaseInBackground(Interlocked.Exchange(ref removed.PlannedResult, null));
            }
        }

        foreach (var (key, prepared) in _prepared)
        {
            if (prepared.LastUsed < cutoff)
            {
                _prepared.TryRemove(key, out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var key in _statements.Keys)
        {
            if (_statements.TryRemove(key, out var removed) && Interlocked.Exchange(ref removed.PlannedResult, null) is { } result)
            {
                await result.DisposeAsync().ConfigureAwait(false);
            }
        }

        _prepared.Clear();
    }

    private static void ReleaseInBackground(IQueryResult? result)
    {
        if (result is not null)
        {
            _ = Task.Run(async () => await result.DisposeAsync().ConfigureAwait(false));
        }
    }

    private static byte[] NewHandle() => Guid.NewGuid().ToByteArray();

    private static string ToKey(ReadOnlySpan<byte> handle) => Convert.ToHexString(handle);

    private sealed class PendingStatement(string sql, IQueryResult plannedResult, DateTimeOffset created)
    {
        public string Sql { get; } = sql;

        public IQueryResult? PlannedResult = plannedResult;

        public DateTimeOffset LastUsed { get; set; } = created;
    }

    private sealed class PreparedStatement(string sql, Schema schema, DateTimeOffset created)
    {
        public string Sql { get; } = sql;

        public Schema Schema { get; } = schema;

        public DateTimeOffset LastUsed { get; set; } = created;
    }
}
