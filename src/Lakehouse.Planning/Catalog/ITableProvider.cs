using Apache.Arrow;

namespace Lakehouse.Planning.Catalog;

/// <summary>
/// The only way a data source reaches the planner: schema, statistics, filter/projection pushdown
/// and splits. Splits are opaque, serializable payloads that a worker turns back into Arrow batches
/// through the connector registered under <see cref="ScanSplit.ConnectorId"/>.
/// </summary>
public interface ITableProvider
{
    /// <summary>Short display name for EXPLAIN, e.g. <c>iceberg_scan('warehouse/db/t') @ snapshot 123</c>.</summary>
    string DisplayName { get; }

    /// <summary>Columns of the table, in order, as Arrow fields.</summary>
    Schema Schema { get; }

    TableStatistics Statistics { get; }

    /// <summary>
    /// Plans a scan of the given columns. <paramref name="request"/>.Filter is a conjunction of
    /// predicates the provider may use to skip data; the engine still evaluates every filter on the
    /// rows returned, so a provider never has to be exact.
    /// </summary>
    ScanPlan PlanScan(ScanRequest request);
}

public sealed record TableStatistics(long? RowCount, long? TotalBytes)
{
    public static readonly TableStatistics Unknown = new(null, null);

    /// <summary>
    /// What statistics tell of a column (by schema index), or null when nothing; it may be computed on
    /// first use. Join ordering uses it to tell key joins from joins that multiply rows, and to estimate
    /// how many rows a range predicate keeps.
    /// </summary>
    public Func<int, ColumnStatistics?>? Column { get; init; }
}

/// <summary>Statistics of one column.</summary>
/// <param name="DistinctCountBound">At most this many distinct non-null values (for example an integer column's range width), or null.</param>
/// <param name="Min">The smallest value of an integer or date column (days since the epoch), or null.</param>
/// <param name="Max">The largest value of an integer or date column, or null.</param>
public sealed record ColumnStatistics(long? DistinctCountBound, long? Min, long? Max)
{
    /// <summary>An integer or date value in the engine's scalar forms (sbyte, short, int days, long) as a long.</summary>
    public static bool TryInteger(object? value, out long result)
    {
        switch (value)
        {
            case int i:
                result = i;
                return true;
            case long l:
                result = l;
                return true;
            case short s:
                result = s;
                return true;
            case sbyte b:
                result = b;
                return true;
            default:
                result = 0;
                return false;
        }
    }

}

/// <param name="Columns">Indexes into <see cref="ITableProvider.Schema"/> to read, in output order.</param>
/// <param name="Filter">Pushed-down predicate over table columns, or null.</param>
/// <param name="Limit">A row limit the scan may stop at (only set when no filter remains above it).</param>
public sealed record ScanRequest(IReadOnlyList<int> Columns, PushdownFilter? Filter, long? Limit);

/// <summary>The result of planning a scan: the splits to read and what pruning achieved.</summary>
/// <param name="Splits">Units of work; each is read independently, possibly on another machine.</param>
/// <param name="OutputSchema">Schema of the batches every split produces (the requested columns).</param>
/// <param name="Explain">Lines for EXPLAIN, e.g. files and bytes kept versus pruned.</param>
public sealed record ScanPlan(IReadOnlyList<ScanSplit> Splits, Schema OutputSchema, IReadOnlyList<string> Explain);

/// <param name="ConnectorId">Which split reader on the worker understands <paramref name="Payload"/>.</param>
public sealed record ScanSplit(string ConnectorId, byte[] Payload, long EstimatedRows, long EstimatedBytes);

/// <summary>
/// Predicates a provider can use to skip data, over table column indexes. Literal values use the
/// engine's scalar forms for the column's Arrow type: bool, sbyte, short, int, long, float, double,
/// Int128 (decimal unscaled value, scale from the column type), string, byte[] (binary and fixed),
/// Guid (uuid), int days (date32), long microseconds (time64, timestamp).
/// </summary>
public abstract record PushdownFilter;

public sealed record PushdownAnd(IReadOnlyList<PushdownFilter> Children) : PushdownFilter;

public sealed record PushdownOr(IReadOnlyList<PushdownFilter> Children) : PushdownFilter;

public sealed record PushdownNot(PushdownFilter Child) : PushdownFilter;

public enum PushdownComparison
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
}

public sealed record PushdownCompare(int Column, PushdownComparison Operator, object Value) : PushdownFilter;

public sealed record PushdownIsNull(int Column) : PushdownFilter;

public sealed record PushdownIsNotNull(int Column) : PushdownFilter;

public sealed record PushdownIn(int Column, IReadOnlyList<object> Values) : PushdownFilter;

public sealed record PushdownStartsWith(int Column, string Prefix) : PushdownFilter;

/// <summary>Which snapshot a table function should read (<c>FOR VERSION/TIMESTAMP AS OF</c>).</summary>
/// <param name="Version">Snapshot id or a ref name (string), or null.</param>
/// <param name="TimestampMicros">Microseconds since epoch, UTC, or null.</param>
public sealed record TimeTravel(object? Version, long? TimestampMicros);

/// <summary>A table function such as <c>iceberg_scan('path')</c> that resolves to a provider.</summary>
public interface ITableFunction
{
    string Name { get; }

    /// <param name="arguments">Constant-folded arguments, in engine scalar forms.</param>
    /// <param name="timeTravel">The FOR ... AS OF clause after the call, or null.</param>
    /// <param name="context">Where relative paths resolve.</param>
    ITableProvider Resolve(IReadOnlyList<object?> arguments, TimeTravel? timeTravel, TableFunctionContext context);
}

public sealed record TableFunctionContext(string BaseDirectory);

/// <summary>Table functions known to a query engine, by case-insensitive name.</summary>
public sealed class TableFunctionRegistry
{
    private readonly Dictionary<string, ITableFunction> _functions = new(StringComparer.OrdinalIgnoreCase);

    public void Register(ITableFunction function) => _functions[function.Name] = function;

    public ITableFunction? Find(string name) => _functions.GetValueOrDefault(name);

    public IEnumerable<string> Names => _functions.Keys;
}
