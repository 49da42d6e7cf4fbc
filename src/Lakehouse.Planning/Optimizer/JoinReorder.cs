using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// Orders trees of inner and cross joins from statistics: starting from the largest input, the others
/// join one at a time, always one connected to what is joined so far by an equality (so no cross
/// product is built while a join key exists), the one leaving the fewest rows first. Each join builds
/// its hash table over the smaller side. A projection restores the original column order.
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
        return RestoreColumns(join, new JoinNode(right, left, join.JoinType, condition), [], swappedPositions);
    }

    /// <summary>
    /// The reordered joins under the conjuncts that read no input (if any), and a projection that puts the
    /// columns back in <paramref name="original"/>'s order; <paramref name="positions"/> maps each original column to its new place.
    /// </summary>
    private static ProjectNode RestoreColumns(JoinNode original, LogicalPlan reordered, List<BoundExpression> constantConjuncts, int[] positions)
    {
        if (constantConjuncts.Count > 0)
        {
            reordered = new FilterNode(reordered, ExpressionColumns.Combine(constantConjuncts)!);
        }

        var columns = original.Columns;
        var expressions = new List<BoundExpression>(columns.Count);
        var names = new List<string>(columns.Count);
        for (int i = 0; i < columns.Count; i++)
        {
            expressions.Add(new ColumnReference(positions[i], columns[i].Type, columns[i].Name));
            names.Add(columns[i].Name);
        }

        return new ProjectNode(reordered, expressions, names);
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

        var exhaustive = OrderExhaustively(original, leaves, conjuncts, conjunctLeaves, offsets);
        if (exhaustive is not null)
        {
            return exhaustive;
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
            double pickOutput = double.MaxValue;
            for (int candidate = 0; candidate < count; candidate++)
            {
                if (used.Contains(candidate) || !Connected(candidate, used, conjuncts, conjunctLeaves, applied))
                {
                    continue;
                }

                // The next join is the one leaving the fewest rows (a selective dimension before a
                // large one, a key join before one that multiplies rows); ties go to the smaller input.
                double output = EstimateRows(JoinWith(current, layout, offsets, count, leaves, candidate, used, conjuncts, conjunctLeaves, applied, out _));
                bool tie = Math.Abs(output - pickOutput) <= 1e-6 * Math.Max(output, pickOutput);
                if (pick < 0 || (!tie && output < pickOutput) || (tie && estimates[candidate] < estimates[pick]))
                {
                    pick = candidate;
                    pickOutput = output;
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

            var joined = JoinWith(current, layout, offsets, count, leaves, pick, used, conjuncts, conjunctLeaves, applied, out var appliedNow);
            foreach (int c in appliedNow)
            {
                applied[c] = true;
            }

            used.Add(pick);

            // Hash joins build over their right input: the smaller side is built, the larger streams.
            if (estimates[pick] > EstimateRows(current))
            {
                var leafColumns = new List<int>();
                AddColumns(leafColumns, offsets, pick);
                layout.InsertRange(0, leafColumns);
                var positions = PositionsOf(layout, offsets[count]);
                var conditions = new List<BoundExpression>(appliedNow.Count);
                foreach (int c in appliedNow)
                {
                    conditions.Add(ExpressionColumns.Remap(conjuncts[c], positions));
                }

                var condition = ExpressionColumns.Combine(conditions);
                current = new JoinNode(leaves[pick], current, condition is null ? JoinType.Cross : JoinType.Inner, condition);
            }
            else
            {
                AddColumns(layout, offsets, pick);
                current = joined;
            }
        }

        return RestoreColumns(original, current, constantConjuncts, PositionsOf(layout, offsets[count]));
    }

    /// <summary>Up to this many inputs, every join tree without cross products is considered.</summary>
    private const int ExhaustiveLimit = 8;

    private sealed record JoinCandidate(LogicalPlan Plan, List<int> Layout, double Rows, double Cost);

    /// <summary>
    /// The cheapest join tree (bushy trees included, so a selective chain such as supplier-nation is
    /// joined before it meets the large input) over connected subsets, by dynamic programming. Cost is
    /// the rows every join produces plus the rows it builds its hash table over; each join builds over
    /// its smaller input. Null when there are too many inputs or no tree avoids a cross product.
    /// </summary>
    private static LogicalPlan? OrderExhaustively(JoinNode original, List<LogicalPlan> leaves, List<BoundExpression> conjuncts, List<HashSet<int>> conjunctLeaves, int[] offsets)
    {
        int count = leaves.Count;
        if (count > ExhaustiveLimit)
        {
            return null;
        }

        int width = offsets[count];
        var masks = new int[conjuncts.Count];
        for (int c = 0; c < conjuncts.Count; c++)
        {
            foreach (int leaf in conjunctLeaves[c])
            {
                masks[c] |= 1 << leaf;
            }
        }

        var best = new JoinCandidate?[1 << count];
        for (int leaf = 0; leaf < count; leaf++)
        {
            var layout = new List<int>();
            AddColumns(layout, offsets, leaf);
            LogicalPlan plan = leaves[leaf];
            var own = new List<BoundExpression>();
            for (int c = 0; c < conjuncts.Count; c++)
            {
                if (masks[c] == 1 << leaf)
                {
                    own.Add(ExpressionColumns.Remap(conjuncts[c], PositionsOf(layout, width)));
                }
            }

            if (own.Count > 0)
            {
                plan = new FilterNode(plan, ExpressionColumns.Combine(own)!);
            }

            best[1 << leaf] = new JoinCandidate(plan, layout, EstimateRows(plan), 0);
        }

        int all = (1 << count) - 1;
        for (int set = 1; set <= all; set++)
        {
            if ((set & (set - 1)) == 0)
            {
                continue;
            }

            int lowest = set & -set;
            for (int part = (set - 1) & set; part > 0; part = (part - 1) & set)
            {
                int other = set ^ part;
                if ((part & lowest) == 0 || best[part] is not { } first || best[other] is not { } second)
                {
                    continue;
                }

                var applied = new List<int>();
                bool connected = false;
                for (int c = 0; c < conjuncts.Count; c++)
                {
                    int mask = masks[c];
                    if (mask != 0 && (mask & ~set) == 0 && (mask & part) != 0 && (mask & other) != 0)
                    {
                        applied.Add(c);
                        connected |= conjuncts[c] is CallExpression { Function: ScalarFunction.Equal };
                    }
                }

                if (!connected)
                {
                    continue;
                }

                var (probe, build) = first.Rows >= second.Rows ? (first, second) : (second, first);
                var layout = new List<int>(probe.Layout.Count + build.Layout.Count);
                layout.AddRange(probe.Layout);
                layout.AddRange(build.Layout);
                var positions = PositionsOf(layout, width);
                var conditions = new List<BoundExpression>(applied.Count);
                foreach (int c in applied)
                {
                    conditions.Add(ExpressionColumns.Remap(conjuncts[c], positions));
                }

                var join = new JoinNode(probe.Plan, build.Plan, JoinType.Inner, ExpressionColumns.Combine(conditions));
                double rows = EstimateRows(join);
                double cost = first.Cost + second.Cost + rows + build.Rows;
                if (best[set] is not { } known || cost < known.Cost)
                {
                    best[set] = new JoinCandidate(join, layout, rows, cost);
                }
            }
        }

        if (best[all] is not { } result)
        {
            return null;
        }

        var constants = new List<BoundExpression>();
        for (int c = 0; c < conjuncts.Count; c++)
        {
            if (masks[c] == 0)
            {
                constants.Add(conjuncts[c]);
            }
        }

        return RestoreColumns(original, result.Plan, constants, PositionsOf(result.Layout, width));
    }

    /// <summary>
    /// <paramref name="current"/> joined with leaf <paramref name="pick"/> on every conjunct the two
    /// cover together (not yet applied); <paramref name="appliedNow"/> lists those conjuncts.
    /// </summary>
    private static JoinNode JoinWith(
        LogicalPlan current,
        List<int> layout,
        int[] offsets,
        int count,
        List<LogicalPlan> leaves,
        int pick,
        HashSet<int> used,
        List<BoundExpression> conjuncts,
        List<HashSet<int>> conjunctLeaves,
        bool[] applied,
        out List<int> appliedNow)
    {
        var extended = new List<int>(layout);
        AddColumns(extended, offsets, pick);
        var positions = PositionsOf(extended, offsets[count]);
        var conditions = new List<BoundExpression>();
        appliedNow = [];
        for (int c = 0; c < conjuncts.Count; c++)
        {
            if (applied[c] || !conjunctLeaves[c].Contains(pick))
            {
                continue;
            }

            bool covered = true;
            foreach (int leaf in conjunctLeaves[c])
            {
                covered &= leaf == pick || used.Contains(leaf);
            }

            if (covered)
            {
                appliedNow.Add(c);
                conditions.Add(ExpressionColumns.Remap(conjuncts[c], positions));
            }
        }

        var condition = ExpressionColumns.Combine(conditions);
        return new JoinNode(current, leaves[pick], condition is null ? JoinType.Cross : JoinType.Inner, condition);
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

    /// <summary>A rough row count: table statistics, scaled down by filters, aggregations, limits and joins.</summary>
    public static double EstimateRows(LogicalPlan plan) => plan switch
    {
        ScanNode scan => scan.Provider.Statistics.RowCount ?? UnknownRows,
        FilterNode filter => EstimateRows(filter.Input) * Selectivity(filter.Predicate, filter.Input),
        ProjectNode project => EstimateRows(project.Input),
        SortNode sort => EstimateRows(sort.Input),
        LimitNode limit => limit.Count is { } n ? Math.Min(n, EstimateRows(limit.Input)) : EstimateRows(limit.Input),
        AggregateNode aggregate => aggregate.GroupKeys.Count == 0 ? 1 : Math.Max(1, EstimateRows(aggregate.Input) * 0.1),
        ValuesNode values => values.Rows.Count,
        JoinNode { JoinType: JoinType.Semi } semi => SemiJoinRows(semi),
        JoinNode { JoinType: JoinType.Anti } anti => EstimateRows(anti.Left) * 0.5,
        JoinNode { KeepsOnlyLeft: true } mark => EstimateRows(mark.Left),
        JoinNode { JoinType: JoinType.Cross } cross => EstimateRows(cross.Left) * EstimateRows(cross.Right),
        JoinNode { JoinType: JoinType.Inner } inner => InnerJoinRows(inner),
        JoinNode join => Math.Max(EstimateRows(join.Left), EstimateRows(join.Right)),
        UnionNode union => SumOf(union.Children),
        _ => plan.Inputs.Count == 1 ? EstimateRows(plan.Inputs[0]) : UnknownRows,
    };

    /// <summary>
    /// |L| * |R| / max(distinct(l), distinct(r)) for the most selective equality l = r of the condition:
    /// a join on a key keeps the other side's row count, a join on a column with few values multiplies rows.
    /// Without an equality, the larger input.
    /// </summary>
    private static double InnerJoinRows(JoinNode join)
    {
        double left = EstimateRows(join.Left);
        double right = EstimateRows(join.Right);
        double best = double.MaxValue;
        foreach (var (leftColumn, rightColumn) in EquiColumns(join))
        {
            // Both sides draw their keys from one domain, no larger than either column's distinct bound
            // (a foreign key has no more values than the key it references).
            double domain = Math.Min(DistinctValues(join.Left, leftColumn) ?? double.MaxValue, DistinctValues(join.Right, rightColumn) ?? double.MaxValue);
            double distinct = Math.Max(Math.Min(left, domain), Math.Min(right, domain));
            best = Math.Min(best, left * right / Math.Max(1, distinct));
        }

        return best == double.MaxValue ? Math.Max(left, right) : best;
    }

    /// <summary>Left rows whose key is among the right side's: at most all of them, fewer when the right side has fewer keys.</summary>
    private static double SemiJoinRows(JoinNode join)
    {
        double left = EstimateRows(join.Left);
        double right = EstimateRows(join.Right);
        double best = double.MaxValue;
        foreach (var (leftColumn, rightColumn) in EquiColumns(join))
        {
            double leftDistinct = Math.Min(left, DistinctValues(join.Left, leftColumn) ?? left);
            double rightDistinct = Math.Min(right, DistinctValues(join.Right, rightColumn) ?? right);
            best = Math.Min(best, left * Math.Min(1, rightDistinct / Math.Max(1, leftDistinct)));
        }

        return best == double.MaxValue ? left * 0.5 : best;
    }

    private static List<(int Left, int Right)> EquiColumns(JoinNode join)
    {
        var pairs = new List<(int, int)>();
        if (join.Condition is null)
        {
            return pairs;
        }

        int leftWidth = join.Left.Columns.Count;
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(join.Condition, conjuncts);
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is CallExpression { Function: ScalarFunction.Equal, Arguments: [ColumnReference a, ColumnReference b] })
            {
                if (a.Index < leftWidth && b.Index >= leftWidth)
                {
                    pairs.Add((a.Index, b.Index - leftWidth));
                }
                else if (b.Index < leftWidth && a.Index >= leftWidth)
                {
                    pairs.Add((b.Index, a.Index - leftWidth));
                }
            }
        }

        return pairs;
    }

    /// <summary>An upper bound on the distinct values of an output column, where statistics tell one.</summary>
    private static double? DistinctValues(LogicalPlan plan, int column) => StatisticsOf(plan, column)?.DistinctCountBound;

    /// <summary>The statistics of the table column an output column passes through unchanged, if any.</summary>
    private static ColumnStatistics? StatisticsOf(LogicalPlan plan, int column)
    {
        switch (plan)
        {
            case ScanNode scan:
                return column < scan.ColumnIndexes.Count && scan.Provider.Statistics.Column is { } statistics
                    ? statistics(scan.ColumnIndexes[column])
                    : null;
            case FilterNode filter:
                return StatisticsOf(filter.Input, column);
            case SortNode sort:
                return StatisticsOf(sort.Input, column);
            case LimitNode limit:
                return StatisticsOf(limit.Input, column);
            case ProjectNode project:
                return column < project.Expressions.Count && project.Expressions[column] is ColumnReference reference
                    ? StatisticsOf(project.Input, reference.Index)
                    : null;
            case AggregateNode aggregate:
                return column < aggregate.GroupKeys.Count && aggregate.GroupKeys[column] is ColumnReference key
                    ? StatisticsOf(aggregate.Input, key.Index)
                    : null;
            case JoinNode join:
                int leftWidth = join.Left.Columns.Count;
                if (column < leftWidth)
                {
                    return StatisticsOf(join.Left, column);
                }

                return join.KeepsOnlyLeft ? null : StatisticsOf(join.Right, column - leftWidth);
            default:
                return null;
        }
    }

    private static double SumOf(IReadOnlyList<LogicalPlan> plans)
    {
        double total = 0;
        foreach (var plan in plans)
        {
            total += EstimateRows(plan);
        }

        return total;
    }

    /// <summary>
    /// The fraction of rows a predicate keeps: comparisons of a column with a constant are measured
    /// against the column's value range where statistics know it (all bounds on one column together),
    /// equalities against its distinct values; anything else counts as a fixed guess.
    /// </summary>
    private static double Selectivity(BoundExpression predicate, LogicalPlan input)
    {
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(predicate, conjuncts);
        double selectivity = 1;
        Dictionary<int, (double Low, double High)>? intervals = null;
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is CallExpression { Function: >= ScalarFunction.Equal and <= ScalarFunction.GreaterThanOrEqual and not ScalarFunction.NotEqual } call
                && ColumnAgainstConstant(call, out int column, out long value, out var function)
                && StatisticsOf(input, column) is { } statistics)
            {
                if (function == ScalarFunction.Equal)
                {
                    selectivity *= statistics.DistinctCountBound is > 0 and { } distinct ? Math.Max(1.0 / distinct, 0.0001) : 0.1;
                    continue;
                }

                if (statistics is { Min: { } min, Max: { } max } && max > min)
                {
                    intervals ??= [];
                    var (low, high) = intervals.TryGetValue(column, out var known) ? known : (min, max);
                    switch (function)
                    {
                        case ScalarFunction.LessThan or ScalarFunction.LessThanOrEqual:
                            high = Math.Min(high, value);
                            break;
                        default:
                            low = Math.Max(low, value);
                            break;
                    }

                    intervals[column] = (low, high);
                    continue;
                }
            }

            selectivity *= conjunct switch
            {
                CallExpression { Function: ScalarFunction.Equal } => 0.1,

                // A pattern picks out few strings: a prefix, a word inside a name.
                CallExpression { Function: ScalarFunction.Like } => 0.05,
                _ => 0.4,
            };
        }

        if (intervals is not null)
        {
            foreach (var (column, (low, high)) in intervals)
            {
                var statistics = StatisticsOf(input, column)!;
                double width = (double)statistics.Max!.Value - statistics.Min!.Value;
                selectivity *= Math.Clamp((high - low) / width, 0.001, 1);
            }
        }

        return Math.Max(selectivity, 0.0001);
    }

    /// <summary>A comparison of a column with an integer or date constant, normalized to column OP constant.</summary>
    private static bool ColumnAgainstConstant(CallExpression call, out int column, out long value, out ScalarFunction function)
    {
        column = -1;
        value = 0;
        function = call.Function;
        if (call.Arguments is [ColumnReference left, Literal right] && ColumnStatistics.TryInteger(right.Value, out value))
        {
            column = left.Index;
            return true;
        }

        if (call.Arguments is [Literal first, ColumnReference second] && ColumnStatistics.TryInteger(first.Value, out value))
        {
            column = second.Index;
            function = CallExpression.MirrorComparison(function);
            return true;
        }

        return false;
    }
}
