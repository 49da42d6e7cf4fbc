using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Connectors;

/// <summary>
/// Column statistics from value ranges: an integer or date column holds at most
/// max - min + 1 distinct values, and never more than the table has rows.
/// </summary>
internal sealed class ColumnRanges
{
    private readonly Dictionary<int, (long Min, long Max)> _ranges = [];
    private readonly HashSet<int> _unbounded = [];

    /// <summary>Widens the column's range by one file's lower and upper bound (null or non-integer values make it unbounded).</summary>
    public void Add(int column, object? lower, object? upper)
    {
        if (_unbounded.Contains(column))
        {
            return;
        }

        if (!ColumnStatistics.TryInteger(lower, out long min) || !ColumnStatistics.TryInteger(upper, out long max))
        {
            _unbounded.Add(column);
            _ranges.Remove(column);
            return;
        }

        _ranges[column] = _ranges.TryGetValue(column, out var range)
            ? (Math.Min(range.Min, min), Math.Max(range.Max, max))
            : (min, max);
    }

    /// <summary>Marks a column whose range some file does not report.</summary>
    public void Unknown(int column)
    {
        _unbounded.Add(column);
        _ranges.Remove(column);
    }

    public ColumnStatistics? Statistics(int column, long? rows)
    {
        if (!_ranges.TryGetValue(column, out var range))
        {
            return null;
        }

        long width = range.Max - range.Min;
        long values = width < 0 || width == long.MaxValue ? long.MaxValue : width + 1;
        return new ColumnStatistics(rows is { } count ? Math.Min(values, count) : values, range.Min, range.Max);
    }
}
