using Apache.Arrow;
using Lakehouse.Execution.Operators;

namespace Lakehouse.Execution.Spill;

/// <summary>
/// The memory budget of one query. Operators that build hash tables or buffer rows reserve what they
/// hold; past the limit they spill to disk when spilling is enabled, or fail with MEMORY_LIMIT_EXCEEDED.
/// </summary>
public sealed class QueryMemory
{
    private long _used;
    private long _peak;

    public QueryMemory(long limitBytes, bool spillEnabled, string spillDirectory)
    {
        LimitBytes = limitBytes;
        SpillEnabled = spillEnabled;
        SpillDirectory = spillDirectory;
    }

    /// <summary>No limit to speak of, for tools and tests that plan without an engine.</summary>
    public static QueryMemory Unlimited => new(long.MaxValue, false, Path.GetTempPath());

    public long LimitBytes { get; }

    public bool SpillEnabled { get; }

    public string SpillDirectory { get; }

    public long UsedBytes => Interlocked.Read(ref _used);

    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>Reserves <paramref name="bytes"/> if they fit under the limit; returns false (reserving nothing) otherwise.</summary>
    public bool TryReserve(long bytes)
    {
        while (true)
        {
            long used = Interlocked.Read(ref _used);
            long next = used + bytes;
            if (bytes > 0 && next > LimitBytes)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, next, used) == used)
            {
                UpdatePeak(next);
                return true;
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> or fails the query with a clear error naming <paramref name="holder"/>.</summary>
    public void Reserve(long bytes, string holder)
    {
        if (!TryReserve(bytes))
        {
            throw LimitExceeded(holder, bytes);
        }
    }

    public void Release(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _used, -bytes);
        }
    }

    public ExecutionException LimitExceeded(string holder, long requested) => new(
        ExecutionException.MemoryLimitExceeded,
        $"memory limit exceeded: {holder} needs {ProfiledOperator.FormatBytes(requested)} more with {ProfiledOperator.FormatBytes(UsedBytes)} of the query's {ProfiledOperator.FormatBytes(LimitBytes)} in use"
            + (SpillEnabled ? string.Empty : "; enable spilling (SET SESSION spill_enabled = true)")
            + " or raise the limit (SET SESSION query_max_memory = '4GB')");

    private void UpdatePeak(long value)
    {
        while (true)
        {
            long peak = Interlocked.Read(ref _peak);
            if (value <= peak || Interlocked.CompareExchange(ref _peak, value, peak) == peak)
            {
                return;
            }
        }
    }

    /// <summary>Parses sizes such as <c>64MB</c>, <c>1.5GB</c>, <c>512kB</c> or plain bytes.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        int split = trimmed.Length;
        while (split > 0 && char.IsLetter(trimmed[split - 1]))
        {
            split--;
        }

        if (!double.TryParse(trimmed[..split], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) || value < 0)
        {
            return false;
        }

        double unit = trimmed[split..].ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" or "K" or "KIB" => 1L << 10,
            "MB" or "M" or "MIB" => 1L << 20,
            "GB" or "G" or "GIB" => 1L << 30,
            "TB" or "T" or "TIB" => 1L << 40,
            _ => -1,
        };
        if (unit < 0)
        {
            return false;
        }

        bytes = (long)(value * unit);
        return true;
    }
}

/// <summary>Sizes of Arrow data as held in memory.</summary>
public static class ArrowSizes
{
    public static long Of(RecordBatch batch)
    {
        long total = 0;
        for (int i = 0; i < batch.ColumnCount; i++)
        {
            total += Of(batch.Column(i).Data);
        }

        return total;
    }

    private static long Of(ArrayData data)
    {
        long total = 0;
        if (data.Buffers is not null)
        {
            foreach (var buffer in data.Buffers)
            {
                total += buffer.Length;
            }
        }

        if (data.Children is not null)
        {
            foreach (var child in data.Children)
            {
                total += Of(child);
            }
        }

        if (data.Dictionary is not null)
        {
            total += Of(data.Dictionary);
        }

        return total;
    }
}
