using System.Diagnostics;
using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace Lakehouse.Execution.Operators;

/// <summary>Operators that account for the memory they hold report their peak here (EXPLAIN ANALYZE shows it).</summary>
public interface IMemoryReporting
{
    long PeakMemoryBytes { get; }
}

/// <summary>
/// Wraps an operator for EXPLAIN ANALYZE: counts the rows and batches it produces and the time spent
/// producing them, both including its inputs and by itself.
/// </summary>
public sealed class ProfiledOperator : PhysicalOperator
{
    private readonly PhysicalOperator _inner;
    private long _rows;
    private long _batches;
    private long _ticks;

    public ProfiledOperator(PhysicalOperator inner) => _inner = inner;

    public override Schema Schema => _inner.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => _inner.Children;

    /// <summary>Wall time spent in this operator and its inputs.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    public long Rows => _rows;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = _inner.ExecuteAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                bool more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
                if (!more)
                {
                    break;
                }

                var batch = enumerator.Current;
                Interlocked.Add(ref _rows, batch.Length);
                Interlocked.Increment(ref _batches);
                yield return batch;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override IReadOnlyList<string> Describe()
    {
        var lines = new List<string>(_inner.Describe());
        var childTime = TimeSpan.Zero;
        foreach (var child in Children)
        {
            if (child is ProfiledOperator profiled)
            {
                childTime += profiled.Elapsed;
            }
        }

        var self = Elapsed - childTime;
        if (self < TimeSpan.Zero)
        {
            self = TimeSpan.Zero;
        }

        var stats = $"rows={_rows} batches={_batches} time={Elapsed.TotalMilliseconds:F1} ms (self {self.TotalMilliseconds:F1} ms)";
        if (_inner is IMemoryReporting memory)
        {
            stats += $" peak memory={FormatBytes(memory.PeakMemoryBytes)}";
        }

        lines.Insert(1, stats);
        return lines;
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
