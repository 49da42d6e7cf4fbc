using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Server.FlightSql;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class StatementRegistryTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class TrackedResult : IQueryResult
    {
        public bool Disposed { get; private set; }

        public Schema Schema { get; } = new Schema.Builder().Field(new Field("x", Int32Type.Default, true)).Build();

        public IAsyncEnumerable<RecordBatch> ReadAllAsync(CancellationToken cancellationToken) => AsyncEnumerable.Empty<RecordBatch>();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task FirstTakeGetsThePlannedResultLaterTakesOnlyTheSql()
    {
        await using var registry = new StatementRegistry(TimeSpan.FromMinutes(5), new ManualClock());
        var planned = new TrackedResult();
        var handle = registry.AddStatement("SELECT 1", planned);

        Assert.True(registry.TryTakeStatement(handle, out var sql, out var result));
        Assert.Equal("SELECT 1", sql);
        Assert.Same(planned, result);

        Assert.True(registry.TryTakeStatement(handle, out sql, out result));
        Assert.Equal("SELECT 1", sql);
        Assert.Null(result);
        Assert.False(registry.TryTakeStatement([1, 2, 3], out _, out _));
    }

    [Fact]
    public async Task IdleStatementsExpireAndReleaseTheirResults()
    {
        var clock = new ManualClock();
        await using var registry = new StatementRegistry(TimeSpan.FromMinutes(5), clock);
        var abandoned = new TrackedResult();
        var handle = registry.AddStatement("SELECT 1", abandoned);
        var prepared = registry.AddPrepared("SELECT 2", abandoned.Schema);

        clock.Now += TimeSpan.FromMinutes(4);
        registry.SweepExpired();
        Assert.Equal(1, registry.PendingCount);
        Assert.True(registry.TryGetPrepared(prepared, out _, out _));

        clock.Now += TimeSpan.FromMinutes(6);
        registry.SweepExpired();
        Assert.Equal(0, registry.PendingCount);
        Assert.Equal(0, registry.PreparedCount);
        Assert.False(registry.TryTakeStatement(handle, out _, out _));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!abandoned.Disposed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(abandoned.Disposed);
    }

    [Fact]
    public async Task DisposingReleasesPendingResults()
    {
        var planned = new TrackedResult();
        var registry = new StatementRegistry(TimeSpan.FromMinutes(5));
        registry.AddStatement("SELECT 1", planned);
        await registry.DisposeAsync();
        Assert.True(planned.Disposed);
    }

    [Fact]
    public void SchemaSerializesAsAnIpcMessageAndBack()
    {
        var schema = new Schema.Builder()
            .Field(new Field("a", Int64Type.Default, false))
            .Field(new Field("b", new Decimal128Type(38, 10), true))
            .Build();
        var bytes = ArrowIpc.SerializeSchema(schema);
        Assert.Equal(0xFF, bytes[0]);
        var decoded = ArrowIpc.DeserializeSchema(bytes);
        Assert.Equal(["a", "b"], decoded.FieldsList.Select(field => field.Name));
        Assert.False(decoded.FieldsList[0].IsNullable);
        Assert.Equal(10, ((Decimal128Type)decoded.FieldsList[1].DataType).Scale);
    }
}
