using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// A join whose right input aggregates by the join key (a decorrelated subquery such as
/// <c>l_quantity &lt; (SELECT avg(...) ... WHERE l_partkey = p_partkey)</c>) only ever uses the groups whose
/// keys the left input holds. When the left input is much smaller than what is aggregated, the
/// aggregation's input is first semi-joined with the left input on those keys, so only rows of groups
/// that can match are aggregated. The left input is then evaluated twice.
/// </summary>
public static class JoinKeyPrefilter
{
    /// <summary>The left input must be estimated at most this share of the aggregation's input.</summary>
    private const double SmallShare = 0.1;

    public static LogicalPlan Apply(LogicalPlan plan) =>
        plan.RewriteBottomUp(node => node is JoinNode { JoinType: JoinType.Left or JoinType.Inner or JoinType.Single, Condition: not null } join ? Prefilter(join) : node);

    private static LogicalPlan Prefilter(JoinNode join)
    {
        var aggregate = AggregateBelow(join.Right);
        if (aggregate is null || aggregate.GroupKeys.Count == 0)
        {
            return join;
        }

        int leftWidth = join.Left.Columns.Count;
        var pairs = new List<(int Left, int Input, BoundExpression Type)>();
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(join.Condition!, conjuncts);
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not CallExpression { Function: ScalarFunction.Equal, Arguments: [ColumnReference a, ColumnReference b] })
            {
                continue;
            }

            var (left, right) = a.Index < leftWidth && b.Index >= leftWidth ? (a, b) : b.Index < leftWidth && a.Index >= leftWidth ? (b, a) : (null, null);
            if (left is null || right is null || !SqlTypes.AreEqual(left.Type, right.Type))
            {
                continue;
            }

            int? inputColumn = AggregateInputColumn(join.Right, right.Index - leftWidth);
            if (inputColumn is { } column)
            {
                pairs.Add((left.Index, column, left));
            }
        }

        if (pairs.Count == 0)
        {
            return join;
        }

        double leftRows = JoinReorder.EstimateRows(join.Left);
        double aggregated = JoinReorder.EstimateRows(aggregate.Input);
        if (leftRows > aggregated * SmallShare)
        {
            return join;
        }

        int inputWidth = aggregate.Input.Columns.Count;
        var inputColumns = aggregate.Input.Columns;
        var equalities = new List<BoundExpression>(pairs.Count);
        foreach (var (left, input, typed) in pairs)
        {
            equalities.Add(new CallExpression(
                ScalarFunction.Equal,
                [new ColumnReference(input, inputColumns[input].Type, inputColumns[input].Name), new ColumnReference(inputWidth + left, typed.Type, join.Left.Columns[left].Name)],
                Apache.Arrow.Types.BooleanType.Default));
        }

        var filtered = new JoinNode(aggregate.Input, join.Left, JoinType.Semi, ExpressionColumns.Combine(equalities));
        return join with { Right = ReplaceAggregateInput(join.Right, filtered) };
    }

    /// <summary>The aggregation under a chain of projections, if that is what the plan is.</summary>
    private static AggregateNode? AggregateBelow(LogicalPlan plan) => plan switch
    {
        AggregateNode aggregate => aggregate,
        ProjectNode project => AggregateBelow(project.Input),
        _ => null,
    };

    /// <summary>The aggregation input column an output column passes through as a group key, if it does.</summary>
    private static int? AggregateInputColumn(LogicalPlan plan, int column)
    {
        switch (plan)
        {
            case ProjectNode project:
                return column < project.Expressions.Count && project.Expressions[column] is ColumnReference reference
                    ? AggregateInputColumn(project.Input, reference.Index)
                    : null;
            case AggregateNode aggregate:
                return column < aggregate.GroupKeys.Count && aggregate.GroupKeys[column] is ColumnReference key ? key.Index : null;
            default:
                return null;
        }
    }

    private static LogicalPlan ReplaceAggregateInput(LogicalPlan plan, LogicalPlan input) => plan switch
    {
        AggregateNode aggregate => aggregate with { Input = input },
        ProjectNode project => project with { Input = ReplaceAggregateInput(project.Input, input) },
        _ => plan,
    };
}
