using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// Orders trees of inner and cross joins from statistics: the largest input streams through (probe
/// side) and the others join it one at a time, always one connected to what is joined so far by an
/// equality (so no cross product is built while a join key exists), the smallest first, since hash
/// joins build over their right input. A projection restores the original column order.
/// </summary>
public static class JoinReorder
{
    private const double UnknownRows = 1_000_000;

    public static LogicalPlan Reorder(LogicalPlan plan)
    {
        if (plan is JoinNode { JoinType: JoinType.Inner or JoinType.Cross } join)
        {
            var leaves = new List<LogicalPlan>();
            var conjuncts = new List<BoundExpression>();
            Flatten(join, 0, leaves, conjuncts);
            for (int i = 0; i < leaves.Count; i++)
            {
                leaves[i] = Reorder(leaves[i]);
            }

            return leaves.Count < 3 ? Rebuild(join, leaves) : Order(join, leaves, conjuncts);
        }

        var inputs = plan.Inputs;
        if (inputs.Count == 0)
        {
            return plan;
        }

        var reordered = new LogicalPlan[inputs.Count];
        for (int i = 0; i < reordered.Length; i++)
        {
            reordered[i] = Reorder(inputs[i]);
        }

        return plan.WithInputs(reordered);
    }

    /// <summary>Two inputs: the smaller one becomes the right (build) side.</summary>
    private static LogicalPlan Rebuild(JoinNode join, List<LogicalPlan> leaves)
    {
        if (leaves.Count != 2)
        {
            return join;
        }

        var left = leaves[0];
        var right = leaves[1];
        if (EstimateRows(right) <= EstimateRows(left))
        {
            return join with { Left = left, Right = right };
        }

        int leftWidth = left.Columns.Count;
        int rightWidth = right.Columns.Count;
        var swappedPositions = new int[leftWidth + rightWidth];
        for (int i = 0; i < leftWidth; i++)
        {
            swappedPositions[i] = rightWidth + i;
        }

        for (int i = 0; i < rightWidth; i++)
        {
            swappedPositions[leftWidth + i] = i;
        }

        var condition = join.Condition is null ? null : ExpressionColumns.Remap(join.Condition, swappedPositions);
        var swapped = new JoinNode(right, left, join.JoinType, condition);
        var columns = join.Columns;
        var expressions = new List<BoundExpression>(columns.Count);
        var names = new List<string>(columns.Count);
        for (int i = 0; i < columns.Count; i++)
        {
            expressions.Add(new ColumnReference(swappedPositions[i], columns[i].Type, columns[i].Name));
            names.Add(columns[i].Name);
        }

        return new ProjectNode(swapped, expressions, names);
    }

    private static void Flatten(LogicalPlan plan, int offset, List<LogicalPlan> leaves, List<BoundExpression> conjuncts)
    {
        if (plan is JoinNode { JoinType: JoinType.Inner or JoinType.Cross } join)
        {
            Flatten(join.Left, offset, leaves, conjuncts);
            Flatten(join.Right, offset + join.Left.Columns.Count, leaves, conjuncts);
            if (join.Condition is not null)
            {
                var local = new List<BoundExpression>();
                ExpressionColumns.SplitConjuncts(join.Condition, local);
                foreach (var conjunct in local)
                {
                    if (conjunct is not Literal { Value: true })
                    {
                        conjuncts.Add(offset == 0 ? conjunct : ExpressionColumns.Shift(conjunct, offset));
                    }
                }
            }

            return;
        }

        leaves.Add(plan);
    }

    private static LogicalPlan Order(JoinNode original, List<LogicalPlan> leaves, List<BoundExpression> conjuncts)
    {
        int count = leaves.Count;
        var offsets = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            offsets[i + 1] = offsets[i] + leaves[i].Columns.Count;
        }

        int LeafOf(int column)
        {
            int leaf = 0;
            while (offsets[leaf + 1] <= column)
            {
                leaf++;
            }

            return leaf;
        }

        var conjunctLeaves = new List<HashSet<int>>(conjuncts.Count);
        foreach (var conjunct in conjuncts)
        {
            var set = new HashSet<int>();
            foreach (int column in ExpressionColumns.Of(conjunct))
            {
                set.Add(LeafOf(column));
            }

            conjunctLeaves.Add(set);
        }

        var estimates = new double[count];
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            estimates[i] = EstimateRows(leaves[i]);
            if (estimates[i] > estimates[start])
            {
                start = i;
            }
        }

        var used = new HashSet<int> { start };
        var applied = new bool[conjuncts.Count];
        var layout = new List<int>();
        AddColumns(layout, offsets, start);
        var current = leaves[start];
        var constantConjuncts = new List<BoundExpression>();
        for (int c = 0; c < conjuncts.Count; c++)
        {
            if (conjunctLeaves[c].Count == 0)
            {
                constantConjuncts.Add(conjuncts[c]);
                applied[c] = true;
            }
        }

        while (used.Count < count)
        {
            int pick = -1;
            for (int candidate = 0; candidate < count; candidate++)
            {
                if (used.Contains(candidate) || !Connected(candidate, used, conjuncts, conjunctLeaves, applied))
                {
                    continue;
                }

                if (pick < 0 || estimates[candidate] < estimates[pick])
                {
                    pick = candidate;
                }
            }

            if (pick < 0)
            {
                for (int candidate = 0; candidate < count; candidate++)
                {
                    if (!used.Contains(candidate) && (pick < 0 || estimates[candidate] < estimates[pick]))
                    {
                        pick = candidate;
                    }
                }
            }

            used.Add(pick);
            AddColumns(layout, offsets, pick);
            var positions = PositionsOf(layout, offsets[count]);
            var conditions = new List<BoundExpression>();
            for (int c = 0; c < conjuncts.Count; c++)
            {
                if (!applied[c] && used.IsSupersetOf(conjunctLeaves[c]))
                {
                    applied[c] = true;
                    conditions.Add(ExpressionColumns.Remap(conjuncts[c], positions));
                }
            }

            var condition = ExpressionColumns.Combine(conditions);
            current = new JoinNode(current, leaves[pick], condition is null ? JoinType.Cross : JoinType.Inner, condition);
        }

        var finalPositions = PositionsOf(layout, offsets[count]);
        if (constantConjuncts.Count > 0)
        {
            current = new FilterNode(current, ExpressionColumns.Combine(constantConjuncts)!);
        }

        var columns = original.Columns;
        var expressions = new List<BoundExpression>(columns.Count);
        var names = new List<string>(columns.Count);
        for (int i = 0; i < columns.Count; i++)
        {
            expressions.Add(new ColumnReference(finalPositions[i], columns[i].Type, columns[i].Name));
            names.Add(columns[i].Name);
        }

        return new ProjectNode(current, expressions, names);
    }

    private static bool Connected(int candidate, HashSet<int> used, List<BoundExpression> conjuncts, List<HashSet<int>> conjunctLeaves, bool[] applied)
    {
        for (int c = 0; c < conjuncts.Count; c++)
        {
            if (applied[c] || conjuncts[c] is not CallExpression { Function: ScalarFunction.Equal } || !conjunctLeaves[c].Contains(candidate))
            {
                continue;
            }

            bool touchesUsed = false;
            bool onlyThese = true;
            foreach (int leaf in conjunctLeaves[c])
            {
                touchesUsed |= used.Contains(leaf);
                onlyThese &= leaf == candidate || used.Contains(leaf);
            }

            if (touchesUsed && onlyThese)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddColumns(List<int> layout, int[] offsets, int leaf)
    {
        for (int column = offsets[leaf]; column < offsets[leaf + 1]; column++)
        {
            layout.Add(column);
        }
    }

    /// <summary>For every original column, its position in <paramref name="layout"/> (or -1 while absent).</summary>
    private static int[] PositionsOf(List<int> layout, int width)
    {
        var positions = new int[width];
        Array.Fill(positions, -1);
        for (int i = 0; i < layout.Count; i++)
        {
            positions[layout[i]] = i;
        }

        return positions;
    }

    /// <summary>A rough row count: table statistics, scaled down by filters, aggregations and limits.</summary>
    public static double EstimateRows(LogicalPlan plan) => plan switch
    {
        ScanNode scan => (scan.Provider.Statistics.RowCount ?? UnknownRows) * (scan.Filter is null ? 1 : 0.5),
        FilterNode filter => EstimateRows(filter.Input) * Selectivity(filter.Predicate),
        ProjectNode project => EstimateRows(project.Input),
        SortNode sort => EstimateRows(sort.Input),
        LimitNode limit => limit.Count is { } n ? Math.Min(n, EstimateRows(limit.Input)) : EstimateRows(limit.Input),
        AggregateNode aggregate => aggregate.GroupKeys.Count == 0 ? 1 : Math.Max(1, EstimateRows(aggregate.Input) * 0.1),
        ValuesNode values => values.Rows.Count,
        JoinNode { JoinType: JoinType.Semi or JoinType.Anti } semi => EstimateRows(semi.Left) * 0.5,
        JoinNode { KeepsOnlyLeft: true } mark => EstimateRows(mark.Left),
        JoinNode { JoinType: JoinType.Cross } cross => EstimateRows(cross.Left) * EstimateRows(cross.Right),
        JoinNode join => Math.Max(EstimateRows(join.Left), EstimateRows(join.Right)),
        UnionNode union => SumOf(union.Children),
        _ => plan.Inputs.Count == 1 ? EstimateRows(plan.Inputs[0]) : UnknownRows,
    };

    private static double SumOf(IReadOnlyList<LogicalPlan> plans)
    {
        double total = 0;
        foreach (var plan in plans)
        {
            total += EstimateRows(plan);
        }

        return total;
    }

    private static double Selectivity(BoundExpression predicate)
    {
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(predicate, conjuncts);
        double selectivity = 1;
        foreach (var conjunct in conjuncts)
        {
            selectivity *= conjunct is CallExpression { Function: ScalarFunction.Equal } ? 0.1 : 0.4;
        }

        return Math.Max(selectivity, 0.001);
    }
}
