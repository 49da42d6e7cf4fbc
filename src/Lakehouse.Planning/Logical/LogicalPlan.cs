using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Logical;

/// <summary>One output column of a plan node.</summary>
public sealed record PlanColumn(string Name, IArrowType Type, bool Nullable = true)
{
    public Field ToField() => new(Name, Type, Nullable);
}

/// <summary>A node of the logical plan. Expressions refer to the output columns of the node's inputs by index.</summary>
public abstract record LogicalPlan
{
    public abstract IReadOnlyList<PlanColumn> Columns { get; }

    public abstract IReadOnlyList<LogicalPlan> Inputs { get; }

    public abstract LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs);

    /// <summary>
    /// Applies <paramref name="rewrite"/> to every node, inputs first; nodes whose inputs did not change
    /// are kept as they are.
    /// </summary>
    public LogicalPlan RewriteBottomUp(Func<LogicalPlan, LogicalPlan> rewrite)
    {
        var inputs = Inputs;
        var plan = this;
        if (inputs.Count > 0)
        {
            var rewritten = new LogicalPlan[inputs.Count];
            bool changed = false;
            for (int i = 0; i < rewritten.Length; i++)
            {
                rewritten[i] = inputs[i].RewriteBottomUp(rewrite);
                changed |= !ReferenceEquals(rewritten[i], inputs[i]);
            }

            if (changed)
            {
                plan = WithInputs(rewritten);
            }
        }

        return rewrite(plan);
    }

    /// <summary>One line describing this node (without its inputs).</summary>
    public abstract string Describe();

    public Schema ToSchema()
    {
        var fields = new List<Field>(Columns.Count);
        foreach (var column in Columns)
        {
            fields.Add(column.ToField());
        }

        return new Schema(fields, null);
    }
}

/// <param name="Columns">Indexes into the provider schema, in output order.</param>
public sealed record ScanNode(ITableProvider Provider, IReadOnlyList<int> ColumnIndexes, PushdownFilter? Filter, long? Limit) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => BuildColumns();

    private List<PlanColumn> BuildColumns()
    {
        var columns = new List<PlanColumn>(ColumnIndexes.Count);
        foreach (int index in ColumnIndexes)
        {
            var field = Provider.Schema.FieldsList[index];
            columns.Add(new PlanColumn(field.Name, field.DataType, field.IsNullable));
        }

        return columns;
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;

    public override string Describe()
    {
        var names = new List<string>(Columns.Count);
        foreach (var column in Columns)
        {
            names.Add(column.Name);
        }

        var text = $"Scan {Provider.DisplayName} columns=[{string.Join(", ", names)}]";
        if (Filter is not null)
        {
            text += " pushdown=" + PushdownText.Describe(Filter, Provider.Schema);
        }

        if (Limit is not null)
        {
            text += $" limit={Limit}";
        }

        return text;
    }
}

public sealed record ValuesNode(IReadOnlyList<PlanColumn> ValueColumns, IReadOnlyList<IReadOnlyList<BoundExpression>> Rows) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => ValueColumns;

    public override IReadOnlyList<LogicalPlan> Inputs => [];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;

    public override string Describe() => $"Values rows={Rows.Count} columns={Columns.Count}";
}

public sealed record FilterNode(LogicalPlan Input, BoundExpression Predicate) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => Input.Columns;

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe() => "Filter " + Predicate;
}

public sealed record ProjectNode(LogicalPlan Input, IReadOnlyList<BoundExpression> Expressions, IReadOnlyList<string> Names) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => BuildColumns();

    private List<PlanColumn> BuildColumns()
    {
        var columns = new List<PlanColumn>(Expressions.Count);
        for (int i = 0; i < Expressions.Count; i++)
        {
            columns.Add(new PlanColumn(Names[i], Expressions[i].Type));
        }

        return columns;
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe()
    {
        var parts = new List<string>(Expressions.Count);
        for (int i = 0; i < Expressions.Count; i++)
        {
            parts.Add($"{Names[i]} := {Expressions[i]}");
        }

        return "Project [" + string.Join(", ", parts) + "]";
    }
}

public enum AggregateFunction
{
    CountStar,
    Count,
    Sum,
    Min,
    Max,
    Avg,
    StddevSamp,
    StddevPop,
    VarSamp,
    VarPop,
    BoolAnd,
    BoolOr,

    /// <summary>Any one non-NULL value (arbitrary / any_value).</summary>
    Arbitrary,

    /// <summary>Argument: a row (value, key); the value of the row with the smallest key.</summary>
    MinBy,

    /// <summary>Argument: a row (value, key); the value of the row with the largest key.</summary>
    MaxBy,

    /// <summary>Distinct count estimated with HyperLogLog (standard error about 2.3%).</summary>
    ApproxDistinct,

    /// <summary>The value at percentile <see cref="AggregateCall.Parameter"/> (0..1) of the non-NULL values.</summary>
    ApproxPercentile,

    /// <summary>
    /// Argument: a row (value, keep, sort keys...); an array of the values of the rows where keep is true, NULLs
    /// included, in the order of <see cref="AggregateCall.Ordering"/> (input order without it). Plain values with DISTINCT.
    /// </summary>
    ArrayAgg,

    /// <summary>Argument: a row (y, x) of doubles; rows with a NULL in either are skipped (also for the functions below).</summary>
    CovarSamp,
    CovarPop,
    Corr,

    /// <summary>Slope of the least-squares line of y on x.</summary>
    RegrSlope,

    /// <summary>Intercept of the least-squares line of y on x.</summary>
    RegrIntercept,
}

/// <summary>Direction of one ORDER BY key inside an aggregate call.</summary>
public sealed record AggregateOrder(bool Ascending, bool NullsFirst);

/// <param name="Argument">The aggregated expression over the aggregate's input, null for count(*).</param>
public sealed record AggregateCall(AggregateFunction Function, BoundExpression? Argument, bool Distinct, IArrowType Type)
{
    /// <summary>A constant second argument (the percentile of approx_percentile), or null.</summary>
    public double? Parameter { get; init; }

    /// <summary>Directions of the sort keys carried in the argument row (array_agg(x ORDER BY ...)), or null.</summary>
    public IReadOnlyList<AggregateOrder>? Ordering { get; init; }

    public override string ToString()
    {
        var name = Function == AggregateFunction.CountStar ? "count" : Function.ToString().ToLowerInvariant();
        var argument = Argument is null ? "*" : (Distinct ? "DISTINCT " : string.Empty) + Argument;
        var parameter = Parameter is { } value ? ", " + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        if (Ordering is { Count: > 0 } ordering)
        {
            var directions = new List<string>(ordering.Count);
            foreach (var order in ordering)
            {
                directions.Add((order.Ascending ? "ASC" : "DESC") + (order.NullsFirst ? " NULLS FIRST" : " NULLS LAST"));
            }

            parameter += " ORDER BY " + string.Join(", ", directions);
        }

        return $"{name}({argument}{parameter})";
    }

    /// <summary>Result type of an aggregate as Trino defines it.</summary>
    public static IArrowType ResultType(AggregateFunction function, IArrowType? argument) => function switch
    {
        AggregateFunction.CountStar or AggregateFunction.Count => SqlTypes.BigInt,
        AggregateFunction.Sum => argument switch
        {
            _ when argument is not null && SqlTypes.IsInteger(argument) => SqlTypes.BigInt,
            Decimal128Type d => new Decimal128Type(38, d.Scale),
            FloatType => SqlTypes.Real,
            DoubleType => SqlTypes.Double,
            NullType => SqlTypes.BigInt,
            _ => throw new PlanningException(PlanningException.TypeMismatch, $"sum is not defined for {SqlTypes.Display(argument!)}"),
        },
        AggregateFunction.Avg => argument switch
        {
            _ when argument is not null && SqlTypes.IsInteger(argument) => SqlTypes.Double,
            Decimal128Type d => d,
            FloatType => SqlTypes.Real,
            DoubleType => SqlTypes.Double,
            NullType => SqlTypes.Double,
            _ => throw new PlanningException(PlanningException.TypeMismatch, $"avg is not defined for {SqlTypes.Display(argument!)}"),
        },
        _ => argument!,
    };
}

/// <summary>Output: the group keys, then the aggregates.</summary>
public sealed record AggregateNode(LogicalPlan Input, IReadOnlyList<BoundExpression> GroupKeys, IReadOnlyList<string> KeyNames, IReadOnlyList<AggregateCall> Aggregates, IReadOnlyList<string> AggregateNames) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => BuildColumns();

    private List<PlanColumn> BuildColumns()
    {
        var columns = new List<PlanColumn>(GroupKeys.Count + Aggregates.Count);
        for (int i = 0; i < GroupKeys.Count; i++)
        {
            columns.Add(new PlanColumn(KeyNames[i], GroupKeys[i].Type));
        }

        for (int i = 0; i < Aggregates.Count; i++)
        {
            bool nullable = Aggregates[i].Function is not (AggregateFunction.Count or AggregateFunction.CountStar);
            columns.Add(new PlanColumn(AggregateNames[i], Aggregates[i].Type, nullable));
        }

        return columns;
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe()
    {
        var keys = new List<string>(GroupKeys.Count);
        foreach (var key in GroupKeys)
        {
            keys.Add(key.ToString());
        }

        var aggregates = new List<string>(Aggregates.Count);
        foreach (var aggregate in Aggregates)
        {
            aggregates.Add(aggregate.ToString());
        }

        return $"Aggregate keys=[{string.Join(", ", keys)}] aggregates=[{string.Join(", ", aggregates)}]";
    }
}

public sealed record SortKey(BoundExpression Expression, bool Ascending, bool NullsFirst)
{
    public override string ToString() => $"{Expression} {(Ascending ? "ASC" : "DESC")} NULLS {(NullsFirst ? "FIRST" : "LAST")}";
}

public sealed record SortNode(LogicalPlan Input, IReadOnlyList<SortKey> Keys) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => Input.Columns;

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe() => "Sort [" + string.Join(", ", Keys) + "]";
}

public sealed record LimitNode(LogicalPlan Input, long Offset, long? Count) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => Input.Columns;

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe() => $"Limit offset={Offset} count={(Count is null ? "all" : Count.ToString())}";
}

public enum JoinType
{
    Inner,
    Left,
    Right,
    Full,
    Cross,

    /// <summary>Left rows with at least one match (EXISTS, IN). Output: the left columns.</summary>
    Semi,

    /// <summary>Left rows without any match (NOT EXISTS). Output: the left columns.</summary>
    Anti,

    /// <summary>A LEFT join that fails when a left row matches more than one right row (scalar subqueries).</summary>
    Single,

    /// <summary>Every left row plus a boolean: whether it has a match. Output: the left columns, then the mark.</summary>
    Mark,

    /// <summary>
    /// A mark for <c>x IN (subquery)</c> with SQL's NULL rules: the condition is the single key equality;
    /// no match is NULL when x is NULL (and the right side is not empty) or the right side has a NULL key.
    /// </summary>
    NullAwareMark,
}

/// <summary>
/// Output: the left columns, then the right columns (for semi, anti and mark joins see <see cref="JoinType"/>).
/// The condition always refers to the combined row of left and right columns.
/// </summary>
public sealed record JoinNode(LogicalPlan Left, LogicalPlan Right, JoinType JoinType, BoundExpression? Condition) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => BuildColumns();

    private List<PlanColumn> BuildColumns()
    {
        var columns = new List<PlanColumn>(Left.Columns.Count + Right.Columns.Count);
        if (JoinType is JoinType.Semi or JoinType.Anti or JoinType.Mark or JoinType.NullAwareMark)
        {
            columns.AddRange(Left.Columns);
            if (JoinType is JoinType.Mark or JoinType.NullAwareMark)
            {
                columns.Add(new PlanColumn("$mark", SqlTypes.Boolean, JoinType == JoinType.NullAwareMark));
            }

            return columns;
        }

        bool leftNullable = JoinType is JoinType.Right or JoinType.Full;
        bool rightNullable = JoinType is JoinType.Left or JoinType.Full or JoinType.Single;
        foreach (var column in Left.Columns)
        {
            columns.Add(leftNullable ? column with { Nullable = true } : column);
        }

        foreach (var column in Right.Columns)
        {
            columns.Add(rightNullable ? column with { Nullable = true } : column);
        }

        return columns;
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Right];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Right = inputs[1] };

    public override string Describe() => $"Join {JoinType}" + (Condition is null ? string.Empty : " on " + Condition);

    /// <summary>Whether the output is only the left columns (plus a mark column for mark joins).</summary>
    public bool KeepsOnlyLeft => JoinType is JoinType.Semi or JoinType.Anti or JoinType.Mark or JoinType.NullAwareMark;
}

/// <summary>UNION ALL of inputs with the same column types.</summary>
public sealed record UnionNode(IReadOnlyList<LogicalPlan> Children) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => Children[0].Columns;

    public override IReadOnlyList<LogicalPlan> Inputs => Children;

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Children = inputs };

    public override string Describe() => "Union all";
}
