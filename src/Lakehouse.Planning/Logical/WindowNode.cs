using System.Text;
using Apache.Arrow.Types;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Optimizer;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Logical;

public enum WindowFunction
{
    RowNumber,
    Rank,
    DenseRank,
    Ntile,
    PercentRank,
    CumeDist,
    Lag,
    Lead,
    FirstValue,
    LastValue,
    NthValue,
    CountStar,
    Count,
    Sum,
    Avg,
    Min,
    Max,

    /// <summary>Any other aggregate (<see cref="WindowCall.Aggregate"/>), computed frame by frame with the aggregate's accumulator.</summary>
    Aggregate,
}

public enum WindowFrameUnit
{
    Rows,
    Range,
    Groups,
}

public enum WindowBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>The distance of an <c>n PRECEDING</c> or <c>n FOLLOWING</c> frame bound; never negative.</summary>
public abstract record FrameOffset;

/// <summary>A number of rows (ROWS) or of peer groups (GROUPS).</summary>
public sealed record CountOffset(long Count) : FrameOffset
{
    public override string ToString() => Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A RANGE distance over a numeric ORDER BY key, in the engine's scalar form of <paramref name="Type"/>.</summary>
public sealed record ValueOffset(object Value, IArrowType Type) : FrameOffset
{
    public override string ToString() => ScalarText.ToSqlLiteral(Value, Type);
}

/// <summary>A RANGE distance over a date or timestamp ORDER BY key: months, then microseconds.</summary>
public sealed record IntervalOffset(int Months, long Micros) : FrameOffset
{
    public override string ToString() => $"INTERVAL months={Months} micros={Micros}";
}

public sealed record WindowFrameBound(WindowBoundKind Kind, FrameOffset? Offset)
{
    public override string ToString() => Kind switch
    {
        WindowBoundKind.UnboundedPreceding => "UNBOUNDED PRECEDING",
        WindowBoundKind.Preceding => Offset + " PRECEDING",
        WindowBoundKind.CurrentRow => "CURRENT ROW",
        WindowBoundKind.Following => Offset + " FOLLOWING",
        _ => "UNBOUNDED FOLLOWING",
    };
}

public sealed record WindowFrameSpec(WindowFrameUnit Unit, WindowFrameBound Start, WindowFrameBound End)
{
    /// <summary>RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW: with no ORDER BY every row is a peer, so the whole partition.</summary>
    public static WindowFrameSpec Default { get; } = new(
        WindowFrameUnit.Range,
        new WindowFrameBound(WindowBoundKind.UnboundedPreceding, null),
        new WindowFrameBound(WindowBoundKind.CurrentRow, null));

    public override string ToString() => $"{Unit.ToString().ToUpperInvariant()} BETWEEN {Start} AND {End}";
}

/// <summary>
/// One window function call. <paramref name="Arguments"/> are over the window node's input:
/// the value, then lag/lead's offset and default, ntile's bucket count or nth_value's position.
/// </summary>
public sealed record WindowCall(
    WindowFunction Function,
    IReadOnlyList<BoundExpression> Arguments,
    bool IgnoreNulls,
    IReadOnlyList<BoundExpression> PartitionKeys,
    IReadOnlyList<SortKey> OrderKeys,
    WindowFrameSpec Frame,
    IArrowType Type)
{
    /// <summary>For <see cref="WindowFunction.Aggregate"/>: the aggregate, whose argument is <see cref="Arguments"/>[0] (none for count(*)).</summary>
    public AggregateCall? Aggregate { get; init; }

    /// <summary>Text of the PARTITION BY and ORDER BY part: calls with equal text share one sort.</summary>
    public string WindowText()
    {
        var builder = new StringBuilder();
        if (PartitionKeys.Count > 0)
        {
            builder.Append("PARTITION BY ");
            for (int i = 0; i < PartitionKeys.Count; i++)
            {
                builder.Append(i == 0 ? string.Empty : ", ").Append(PartitionKeys[i]);
            }
        }

        if (OrderKeys.Count > 0)
        {
            builder.Append(builder.Length > 0 ? " " : string.Empty).Append("ORDER BY ");
            for (int i = 0; i < OrderKeys.Count; i++)
            {
                builder.Append(i == 0 ? string.Empty : ", ").Append(OrderKeys[i]);
            }
        }

        return builder.ToString();
    }

    public bool UsesFrame => Function is WindowFunction.FirstValue or WindowFunction.LastValue or WindowFunction.NthValue
        or WindowFunction.CountStar or WindowFunction.Count or WindowFunction.Sum or WindowFunction.Avg or WindowFunction.Min or WindowFunction.Max
        or WindowFunction.Aggregate;

    public bool Nullable => Function is not (WindowFunction.RowNumber or WindowFunction.Rank or WindowFunction.DenseRank
        or WindowFunction.PercentRank or WindowFunction.CumeDist or WindowFunction.CountStar or WindowFunction.Count)
        && Aggregate?.Function is not (AggregateFunction.Count or AggregateFunction.CountStar);

    public IEnumerable<BoundExpression> Expressions()
    {
        foreach (var argument in Arguments)
        {
            yield return argument;
        }

        foreach (var key in PartitionKeys)
        {
            yield return key;
        }

        foreach (var key in OrderKeys)
        {
            yield return key.Expression;
        }
    }

    public WindowCall Remap(IReadOnlyList<int> mapping)
    {
        var arguments = new List<BoundExpression>(Arguments.Count);
        foreach (var argument in Arguments)
        {
            arguments.Add(ExpressionColumns.Remap(argument, mapping));
        }

        var partition = new List<BoundExpression>(PartitionKeys.Count);
        foreach (var key in PartitionKeys)
        {
            partition.Add(ExpressionColumns.Remap(key, mapping));
        }

        var order = new List<SortKey>(OrderKeys.Count);
        foreach (var key in OrderKeys)
        {
            order.Add(key with { Expression = ExpressionColumns.Remap(key.Expression, mapping) });
        }

        var aggregate = Aggregate is { Argument: not null } call && arguments.Count > 0 ? call with { Argument = arguments[0] } : Aggregate;
        return this with { Arguments = arguments, PartitionKeys = partition, OrderKeys = order, Aggregate = aggregate };
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        if (Aggregate is not null)
        {
            builder.Append(Aggregate);
        }
        else
        {
            builder.Append(FunctionName(Function)).Append('(');
            if (Function == WindowFunction.CountStar)
            {
                builder.Append('*');
            }

            for (int i = 0; i < Arguments.Count; i++)
            {
                builder.Append(i == 0 ? string.Empty : ", ").Append(Arguments[i]);
            }

            builder.Append(')');
        }

        if (IgnoreNulls)
        {
            builder.Append(" IGNORE NULLS");
        }

        builder.Append(" OVER (").Append(WindowText());
        if (UsesFrame)
        {
            builder.Append(builder[^1] == '(' ? string.Empty : " ").Append(Frame);
        }

        return builder.Append(')').ToString();
    }

    public static string FunctionName(WindowFunction function) => function switch
    {
        WindowFunction.RowNumber => "row_number",
        WindowFunction.DenseRank => "dense_rank",
        WindowFunction.PercentRank => "percent_rank",
        WindowFunction.CumeDist => "cume_dist",
        WindowFunction.FirstValue => "first_value",
        WindowFunction.LastValue => "last_value",
        WindowFunction.NthValue => "nth_value",
        WindowFunction.CountStar => "count",
        _ => function.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// Window functions over the input rows. Output: the input columns unchanged (same positions),
/// then one column per call. Rows keep no particular order.
/// </summary>
public sealed record WindowNode(LogicalPlan Input, IReadOnlyList<WindowCall> Calls, IReadOnlyList<string> CallNames) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => BuildColumns();

    private List<PlanColumn> BuildColumns()
    {
        var columns = new List<PlanColumn>(Input.Columns.Count + Calls.Count);
        columns.AddRange(Input.Columns);
        for (int i = 0; i < Calls.Count; i++)
        {
            columns.Add(new PlanColumn(CallNames[i], Calls[i].Type, Calls[i].Nullable));
        }

        return columns;
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe()
    {
        var parts = new List<string>(Calls.Count);
        for (int i = 0; i < Calls.Count; i++)
        {
            parts.Add($"{CallNames[i]} := {Calls[i]}");
        }

        return "Window [" + string.Join(", ", parts) + "]";
    }

    /// <summary>
    /// Splits filter conjuncts (over this node's output) into those that may run below the window, because they
    /// read only columns that every call partitions by and so keep or drop whole partitions, and the rest.
    /// </summary>
    public (List<BoundExpression> Below, List<BoundExpression> Above) SplitByPartitionKeys(IReadOnlyList<BoundExpression> conjuncts)
    {
        var below = new List<BoundExpression>();
        var above = new List<BoundExpression>();
        foreach (var conjunct in conjuncts)
        {
            var columns = ExpressionColumns.Of(conjunct);
            bool pushable = columns.Count > 0;
            foreach (int column in columns)
            {
                pushable &= IsPartitionKeyOfEveryCall(column);
            }

            (pushable ? below : above).Add(conjunct);
        }

        return (below, above);
    }

    private bool IsPartitionKeyOfEveryCall(int column)
    {
        if (column >= Input.Columns.Count)
        {
            return false;
        }

        foreach (var call in Calls)
        {
            bool found = false;
            foreach (var key in call.PartitionKeys)
            {
                found |= key is ColumnReference reference && reference.Index == column;
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Input columns needed to produce the <paramref name="required"/> output columns.</summary>
    public bool[] InputColumnsNeeded(bool[] required)
    {
        int width = Input.Columns.Count;
        var need = new bool[width];
        System.Array.Copy(required, need, width);
        var columns = new HashSet<int>();
        for (int i = 0; i < Calls.Count; i++)
        {
            if (!required[width + i])
            {
                continue;
            }

            foreach (var expression in Calls[i].Expressions())
            {
                ExpressionColumns.Collect(expression, columns);
            }
        }

        foreach (int column in columns)
        {
            need[column] = true;
        }

        return need;
    }

    /// <summary>
    /// This node over a pruned input (<paramref name="inputMapping"/> from old to new input positions),
    /// keeping only the required calls; returns the plan and the old-to-new mapping of its outputs.
    /// </summary>
    public (LogicalPlan Plan, int[] Mapping) WithPrunedInput(LogicalPlan input, int[] inputMapping, bool[] required)
    {
        int width = Input.Columns.Count;
        int newWidth = input.Columns.Count;
        var mapping = new int[width + Calls.Count];
        System.Array.Copy(inputMapping, mapping, width);
        var calls = new List<WindowCall>(Calls.Count);
        var names = new List<string>(Calls.Count);
        for (int i = 0; i < Calls.Count; i++)
        {
            if (!required[width + i])
            {
                mapping[width + i] = -1;
                continue;
            }

            mapping[width + i] = newWidth + calls.Count;
            calls.Add(Calls[i].Remap(inputMapping));
            names.Add(CallNames[i]);
        }

        return calls.Count == 0 ? (input, mapping) : (new WindowNode(input, calls, names), mapping);
    }
}
