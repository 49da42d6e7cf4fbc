using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Operators;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning;
using Lakehouse.Planning.Binding;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Execution.Engine;

/// <summary>
/// Settings changed with <c>SET SESSION name = value</c> and restored with <c>RESET SESSION name</c>:
/// <c>query_max_memory</c> (a size such as '64MB') and <c>spill_enabled</c> (boolean).
/// </summary>
public sealed class SessionSettings
{
    public const string QueryMaxMemory = "query_max_memory";
    public const string SpillEnabledName = "spill_enabled";
    public const string DefaultNullOrderName = "default_null_order";

    private readonly QueryEngineOptions _defaults;
    private readonly object _gate = new();

    public SessionSettings(QueryEngineOptions defaults)
    {
        _defaults = defaults;
        MemoryLimitBytes = defaults.MemoryLimitBytes ?? DefaultMemoryLimit();
        SpillEnabled = defaults.SpillEnabled;
    }

    public long MemoryLimitBytes { get; private set; }

    public bool SpillEnabled { get; private set; }

    /// <summary>Where ORDER BY puts NULLs when it does not say; NULLS LAST as in Trino unless changed.</summary>
    public DefaultNullOrder DefaultNullOrder { get; private set; }

    public string SpillDirectory => _defaults.SpillDirectory ?? Path.Combine(Path.GetTempPath(), "lakehouse-spill");

    /// <summary>Half of the memory available to the process, as a fraction of RAM that leaves room for the rest.</summary>
    public static long DefaultMemoryLimit()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / 2 : 2L << 30;
    }

    public QueryMemory NewQueryMemory()
    {
        lock (_gate)
        {
            return new QueryMemory(MemoryLimitBytes, SpillEnabled, SpillDirectory);
        }
    }

    internal PreparedQuery Set(SetSessionStatement statement, IConstantEvaluator evaluator)
    {
        var name = statement.Name.Value.ToLowerInvariant();
        var bound = new ExpressionBinder(Scope.Empty, evaluator).Bind(statement.Value);
        var value = evaluator.Evaluate(bound);
        lock (_gate)
        {
            switch (name)
            {
                case QueryMaxMemory:
                    if (value is not string text || !QueryMemory.TryParseSize(text, out long bytes) || bytes <= 0)
                    {
                        throw new PlanningException(PlanningException.InvalidArgument, $"{statement.Value.Span}: {QueryMaxMemory} takes a size such as '64MB' or '2GB'");
                    }

                    MemoryLimitBytes = bytes;
                    break;
                case SpillEnabledName:
                    SpillEnabled = value switch
                    {
                        bool flag => flag,
                        string flagText when bool.TryParse(flagText, out bool parsed) => parsed,
                        _ => throw new PlanningException(PlanningException.InvalidArgument, $"{statement.Value.Span}: {SpillEnabledName} takes true or false"),
                    };
                    break;
                case DefaultNullOrderName:
                    DefaultNullOrder = (value as string)?.ToLowerInvariant() switch
                    {
                        "nulls_last" or "nulls last" => DefaultNullOrder.NullsLast,
                        "nulls_first" or "nulls first" => DefaultNullOrder.NullsFirst,
                        "nulls_first_on_asc_last_on_desc" => DefaultNullOrder.NullsFirstOnAscending,
                        "nulls_last_on_asc_first_on_desc" => DefaultNullOrder.NullsFirstOnDescending,
                        _ => throw new PlanningException(PlanningException.InvalidArgument, $"{statement.Value.Span}: {DefaultNullOrderName} takes 'nulls_last', 'nulls_first', 'nulls_first_on_asc_last_on_desc' or 'nulls_last_on_asc_first_on_desc'"),
                    };
                    break;
                default:
                    throw Unknown(statement.Name);
            }
        }

        return Done();
    }

    internal PreparedQuery Reset(ResetSessionStatement statement)
    {
        lock (_gate)
        {
            switch (statement.Name.Value.ToLowerInvariant())
            {
                case QueryMaxMemory:
                    MemoryLimitBytes = _defaults.MemoryLimitBytes ?? DefaultMemoryLimit();
                    break;
                case SpillEnabledName:
                    SpillEnabled = _defaults.SpillEnabled;
                    break;
                case DefaultNullOrderName:
                    DefaultNullOrder = DefaultNullOrder.NullsLast;
                    break;
                default:
                    throw Unknown(statement.Name);
            }
        }

        return Done();
    }

    private static PlanningException Unknown(QualifiedName name) => new(
        PlanningException.InvalidArgument,
        $"{name.Span}: unknown session property '{name.Value}'; known: {QueryMaxMemory}, {SpillEnabledName}, {DefaultNullOrderName}");

    private static PreparedQuery Done()
    {
        var schema = new Schema([new Field("result", BooleanType.Default, false)], null);
        var builder = ColumnBuilder.Create(BooleanType.Default, 1);
        builder.AppendScalar(true);
        return new PreparedQuery(new ValuesOperator(schema, [new RecordBatch(schema, [builder.Build()], 1)]));
    }
}
