using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Operators;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Optimizer;

namespace Lakehouse.Execution.Engine;

/// <summary>
/// Turns an optimized logical plan into operators. Every scan, together with the filter and
/// projection directly above it, becomes a fragment that runs on the workers; the rest of the
/// plan runs on the coordinator over the streams the workers send back.
/// </summary>
public sealed class PhysicalPlanner
{
    private readonly IReadOnlyList<IWorkerClient> _workers;
    private readonly int _maxInFlight;

    public PhysicalPlanner(IReadOnlyList<IWorkerClient> workers, int maxInFlight)
    {
        _workers = workers;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Wraps every operator in a <see cref="ProfiledOperator"/> (EXPLAIN ANALYZE).</summary>
    public bool Profile { get; init; }

    /// <summary>The query's memory budget, shared by the operators that hold rows.</summary>
    public QueryMemory Memory { get; init; } = QueryMemory.Unlimited;

    public PhysicalOperator Plan(LogicalPlan plan)
    {
        var planned = PlanOperator(plan);
        return Profile ? new ProfiledOperator(planned) : planned;
    }

    private PhysicalOperator PlanOperator(LogicalPlan plan)
    {
        switch (plan)
        {
            case ProjectNode { Input: FilterNode { Input: ScanNode scan } filter } project:
                return Scan(scan, filter.Predicate, project.Expressions, project.ToSchema());
            case ProjectNode { Input: ScanNode scan } project:
                return Scan(scan, null, project.Expressions, project.ToSchema());
            case FilterNode { Input: ScanNode scan } filter:
                return Scan(scan, filter.Predicate, null, scan.ToSchema());
            case ScanNode scan:
                return Scan(scan, null, null, scan.ToSchema());
            case FilterNode filter:
                return new FilterOperator(Plan(filter.Input), filter.Predicate);
            case ProjectNode project:
                return new ProjectOperator(Plan(project.Input), project.Expressions, project.ToSchema());
            case AggregateNode aggregate:
                return new HashAggregateOperator(PlanUnordered(aggregate.Input), aggregate.GroupKeys, aggregate.Aggregates, aggregate.ToSchema(), Memory);
            case LimitNode { Count: { } count, Input: SortNode sort } limit:
                return new LimitOperator(new SortOperator(PlanUnordered(sort.Input), sort.Keys, limit.Offset + count, Memory), limit.Offset, count);
            case SortNode sort:
                return new SortOperator(PlanUnordered(sort.Input), sort.Keys, null, Memory);
            case LimitNode limit:
                return new LimitOperator(Plan(limit.Input), limit.Offset, limit.Count);
            case JoinNode join:
                return Join(join);
            case UnionNode union:
            {
                var inputs = new List<PhysicalOperator>(union.Children.Count);
                foreach (var child in union.Children)
                {
                    inputs.Add(Plan(child));
                }

                return new UnionOperator(inputs);
            }

            case ValuesNode values:
                return Values(values);
            case RowIdNode rowId:
                return new RowIdOperator(Plan(rowId.Input), rowId.ToSchema());
            case SetOperationNode setOperation:
                return new SetOperationOperator(Plan(setOperation.Left), Plan(setOperation.Right), setOperation.Kind, setOperation.All);
            case WindowNode window:
                return new WindowOperator(Plan(window.Input), window.Calls, window.ToSchema(), Memory);
            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"no physical operator for {plan.Describe()}");
        }
    }

    private RemoteScanOperator Scan(ScanNode scan, BoundExpression? filter, IReadOnlyList<BoundExpression>? projections, Schema schema)
    {
        var request = new ScanRequest(scan.ColumnIndexes, scan.Filter, scan.Limit);
        var scanPlan = scan.Provider.PlanScan(request);
        return new RemoteScanOperator(scan.Provider, request, scanPlan, filter, projections, schema, _workers, _maxInFlight, preserveOrder: !_unordered);
    }

    /// <summary>Set while planning a subtree whose output order nobody depends on.</summary>
    private bool _unordered;

    /// <summary>Plans an input whose row order does not matter to its consumer (aggregation, sort, a join's build side).</summary>
    private PhysicalOperator PlanUnordered(LogicalPlan plan)
    {
        bool saved = _unordered;
        _unordered = true;
        try
        {
            return Plan(plan);
        }
        finally
        {
            _unordered = saved;
        }
    }

    private PhysicalOperator Join(JoinNode join)
    {
        var left = Plan(join.Left);
        var right = PlanUnordered(join.Right);
        var schema = join.ToSchema();
        if (join.Condition is null)
        {
            return new NestedLoopJoinOperator(left, right, join.JoinType, null, schema);
        }

        int leftWidth = join.Left.Columns.Count;
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(join.Condition, conjuncts);
        var leftKeys = new List<BoundExpression>();
        var rightKeys = new List<BoundExpression>();
        var residual = new List<BoundExpression>();
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is CallExpression { Function: ScalarFunction.Equal, Arguments: [var a, var b] } && Planning.Types.SqlTypes.AreEqual(a.Type, b.Type))
            {
                var side = SideOf(a, leftWidth);
                var otherSide = SideOf(b, leftWidth);
                if (side == Side.Left && otherSide == Side.Right)
                {
                    leftKeys.Add(a);
                    rightKeys.Add(ExpressionColumns.Shift(b, -leftWidth));
                    continue;
                }

                if (side == Side.Right && otherSide == Side.Left)
                {
                    leftKeys.Add(b);
                    rightKeys.Add(ExpressionColumns.Shift(a, -leftWidth));
                    continue;
                }
            }

            residual.Add(conjunct);
        }

        if (leftKeys.Count == 0)
        {
            return new NestedLoopJoinOperator(left, right, join.JoinType, join.Condition, schema);
        }

        // EXISTS over a large table from a few rows: build over the few rows and stream the large table.
        if (join.JoinType is JoinType.Semi or JoinType.Anti
            && JoinReorder.EstimateRows(join.Left) * LeftBuildRatio < JoinReorder.EstimateRows(join.Right))
        {
            return new LeftBuildSemiJoinOperator(left, right, join.JoinType, leftKeys, rightKeys, ExpressionColumns.Combine(residual), Memory);
        }

        return new HashJoinOperator(left, right, join.JoinType, leftKeys, rightKeys, ExpressionColumns.Combine(residual), schema, Memory);
    }

    /// <summary>A semi or anti join builds over its left input when the right one is estimated this many times larger.</summary>
    private const double LeftBuildRatio = 4;

    private enum Side
    {
        None,
        Left,
        Right,
        Both,
    }

    private static Side SideOf(BoundExpression expression, int leftWidth)
    {
        var side = Side.None;
        foreach (int column in ExpressionColumns.Of(expression))
        {
            var current = column < leftWidth ? Side.Left : Side.Right;
            side = side == Side.None || side == current ? current : Side.Both;
        }

        return side;
    }

    private static ValuesOperator Values(ValuesNode values)
    {
        var schema = values.ToSchema();
        var columns = new IArrowArray[values.Columns.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            var builder = ColumnBuilder.Create(values.Columns[c].Type, values.Rows.Count);
            foreach (var row in values.Rows)
            {
                builder.AppendScalar(ConstantEvaluator.Instance.Evaluate(row[c]));
            }

            columns[c] = builder.Build();
        }

        return new ValuesOperator(schema, [new RecordBatch(schema, columns, values.Rows.Count)]);
    }
}
