using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Apache.Arrow.Types;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// Rewrites a bound plan: pushes predicates down (through projections and into join inputs and
/// scans, where the connector uses them to prune), then prunes unused columns so scans read only
/// what the query needs, and passes limits into scans that have no filter above them.
/// </summary>
public static class LogicalOptimizer
{
    public static LogicalPlan Optimize(LogicalPlan plan)
    {
        plan = PushPredicates(plan);
        plan = SemiJoinPushdown.Push(plan);
        plan = JoinReorder.Reorder(plan);
        plan = JoinKeyPrefilter.Apply(plan);
        plan = PruneColumns(plan);
        plan = PushLimits(plan);
        return plan;
    }

    private static LogicalPlan PushPredicates(LogicalPlan plan)
    {
        if (plan is FilterNode filter)
        {
            var conjuncts = new List<BoundExpression>();
            ExpressionColumns.SplitConjuncts(filter.Predicate, conjuncts);
            var factored = FactorDisjunctions(conjuncts);
            factored.AddRange(DerivedFromDisjunctions(factored));
            return PushInto(PushPredicates(filter.Input), factored);
        }

        if (plan is JoinNode { JoinType: JoinType.Inner, Condition: not null } join)
        {
            var conjuncts = new List<BoundExpression>();
            ExpressionColumns.SplitConjuncts(join.Condition, conjuncts);
            var rewritten = join with { Condition = null, JoinType = JoinType.Cross };
            return PushInto(rewritten with { Left = PushPredicates(join.Left), Right = PushPredicates(join.Right) }, conjuncts);
        }

        if (plan is JoinNode { JoinType: JoinType.Left or JoinType.Right or JoinType.Single or JoinType.Semi or JoinType.Anti or JoinType.Mark, Condition: not null } outerJoin)
        {
            return PushOuterJoinCondition(outerJoin with { Left = PushPredicates(outerJoin.Left), Right = PushPredicates(outerJoin.Right) });
        }

        var inputs = plan.Inputs;
        if (inputs.Count == 0)
        {
            return plan;
        }

        var pushed = new LogicalPlan[inputs.Count];
        for (int i = 0; i < pushed.Length; i++)
        {
            pushed[i] = PushPredicates(inputs[i]);
        }

        return plan.WithInputs(pushed);
    }

    /// <summary>
    /// (a AND b) OR (a AND c) is a AND (b OR c): conjuncts common to every branch of an OR come out of it,
    /// so a join key repeated in each branch becomes a join key.
    /// </summary>
    private static List<BoundExpression> FactorDisjunctions(List<BoundExpression> conjuncts)
    {
        List<BoundExpression>? result = null;
        for (int i = 0; i < conjuncts.Count; i++)
        {
            if (conjuncts[i] is not CallExpression { Function: ScalarFunction.Or } or)
            {
                result?.Add(conjuncts[i]);
                continue;
            }

            var branches = new List<BoundExpression>();
            SplitDisjuncts(or, branches);
            var branchConjuncts = new List<List<BoundExpression>>(branches.Count);
            foreach (var branch in branches)
            {
                var parts = new List<BoundExpression>();
                ExpressionColumns.SplitConjuncts(branch, parts);
                branchConjuncts.Add(parts);
            }

            var common = new List<BoundExpression>();
            foreach (var candidate in branchConjuncts[0])
            {
                var text = candidate.ToString();
                bool everywhere = true;
                for (int b = 1; b < branchConjuncts.Count && everywhere; b++)
                {
                    everywhere = branchConjuncts[b].Exists(other => other.ToString() == text);
                }

                if (everywhere && !common.Exists(other => other.ToString() == text))
                {
                    common.Add(candidate);
                }
            }

            if (common.Count == 0)
            {
                result?.Add(conjuncts[i]);
                continue;
            }

            result ??= conjuncts.GetRange(0, i);
            result.AddRange(common);
            var remainingBranches = new List<BoundExpression>(branchConjuncts.Count);
            bool anyBranchEmpty = false;
            foreach (var parts in branchConjuncts)
            {
                var rest = parts.FindAll(part => !common.Exists(c => c.ToString() == part.ToString()));
                anyBranchEmpty |= rest.Count == 0;
                if (rest.Count > 0)
                {
                    remainingBranches.Add(ExpressionColumns.Combine(rest)!);
                }
            }

            // A branch that was only common conjuncts is TRUE once they hold, and so is the whole OR.
            if (!anyBranchEmpty)
            {
                var disjunction = remainingBranches[0];
                for (int b = 1; b < remainingBranches.Count; b++)
                {
                    disjunction = new CallExpression(ScalarFunction.Or, [disjunction, remainingBranches[b]], BooleanType.Default);
                }

                result.Add(disjunction);
            }
        }

        return result ?? conjuncts;
    }

    /// <summary>
    /// Predicates implied by an OR that read fewer columns: from (a = 1 AND b = 2) OR (a = 3 AND b = 4) follows
    /// a = 1 OR a = 3, which can filter a's table before any join. The OR itself stays.
    /// </summary>
    private static List<BoundExpression> DerivedFromDisjunctions(List<BoundExpression> conjuncts)
    {
        var derived = new List<BoundExpression>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var conjunct in conjuncts)
        {
            seen.Add(conjunct.ToString());
        }

        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not CallExpression { Function: ScalarFunction.Or } or)
            {
                continue;
            }

            var branches = new List<BoundExpression>();
            SplitDisjuncts(or, branches);
            var branchConjuncts = new List<List<BoundExpression>>(branches.Count);
            foreach (var branch in branches)
            {
                var parts = new List<BoundExpression>();
                ExpressionColumns.SplitConjuncts(branch, parts);
                branchConjuncts.Add(parts);
            }

            var allColumns = ExpressionColumns.Of(or);
            foreach (var candidate in branchConjuncts[0])
            {
                var columns = ExpressionColumns.Of(candidate);
                if (columns.Count == 0 || columns.SetEquals(allColumns))
                {
                    continue;
                }

                BoundExpression? implied = null;
                foreach (var parts in branchConjuncts)
                {
                    var within = parts.FindAll(part => ExpressionColumns.Of(part).IsSubsetOf(columns));
                    if (within.Count == 0)
                    {
                        implied = null;
                        break;
                    }

                    var branch = ExpressionColumns.Combine(within)!;
                    implied = implied is null ? branch : new CallExpression(ScalarFunction.Or, [implied, branch], BooleanType.Default);
                }

                if (implied is not null && seen.Add(implied.ToString()))
                {
                    derived.Add(implied);
                }
            }
        }

        return derived;
    }

    private static void SplitDisjuncts(BoundExpression expression, List<BoundExpression> disjuncts)
    {
        if (expression is CallExpression { Function: ScalarFunction.Or } or)
        {
            foreach (var argument in or.Arguments)
            {
                SplitDisjuncts(argument, disjuncts);
            }

            return;
        }

        disjuncts.Add(expression);
    }

    /// <summary>
    /// ON conjuncts of an outer join that read only the side whose rows may be dropped (the right of a LEFT
    /// join) filter that side before the join: a row failing them could never have matched.
    /// </summary>
    private static JoinNode PushOuterJoinCondition(JoinNode join)
    {
        bool filterRight = join.JoinType != JoinType.Right;
        int leftWidth = join.Left.Columns.Count;
        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(join.Condition!, conjuncts);
        var pushed = new List<BoundExpression>();
        var kept = new List<BoundExpression>();
        foreach (var conjunct in conjuncts)
        {
            bool onlyFiltered = true;
            bool any = false;
            foreach (int column in ExpressionColumns.Of(conjunct))
            {
                any = true;
                onlyFiltered &= filterRight ? column >= leftWidth : column < leftWidth;
            }

            if (any && onlyFiltered)
            {
                pushed.Add(filterRight ? ExpressionColumns.Shift(conjunct, -leftWidth) : conjunct);
            }
            else
            {
                kept.Add(conjunct);
            }
        }

        if (pushed.Count == 0)
        {
            return join;
        }

        var condition = ExpressionColumns.Combine(kept) ?? new Literal(true, BooleanType.Default);
        return filterRight
            ? join with { Right = PushInto(join.Right, pushed), Condition = condition }
            : join with { Left = PushInto(join.Left, pushed), Condition = condition };
    }

    /// <summary>Places <paramref name="conjuncts"/> (over <paramref name="input"/>'s columns) as low as they can go.</summary>
    private static LogicalPlan PushInto(LogicalPlan input, List<BoundExpression> conjuncts)
    {
        if (conjuncts.Count == 0)
        {
            return input;
        }

        switch (input)
        {
            case FilterNode lower:
            {
                var all = new List<BoundExpression>();
                ExpressionColumns.SplitConjuncts(lower.Predicate, all);
                all.AddRange(conjuncts);
                return PushInto(lower.Input, all);
            }

            case ProjectNode project:
            {
                var substituted = new List<BoundExpression>(conjuncts.Count);
                foreach (var conjunct in conjuncts)
                {
                    substituted.Add(ExpressionColumns.Rewrite(conjunct, reference => project.Expressions[reference.Index]));
                }

                return project with { Input = PushInto(project.Input, substituted) };
            }

            case JoinNode { JoinType: JoinType.Inner or JoinType.Cross } join:
            {
                int leftWidth = join.Left.Columns.Count;
                var left = new List<BoundExpression>();
                var right = new List<BoundExpression>();
                var both = new List<BoundExpression>();
                foreach (var conjunct in conjuncts)
                {
                    if (IsTrue(conjunct))
                    {
                        continue;
                    }

                    var columns = ExpressionColumns.Of(conjunct);
                    bool usesLeft = false;
                    bool usesRight = false;
                    foreach (int column in columns)
                    {
                        usesLeft |= column < leftWidth;
                        usesRight |= column >= leftWidth;
                    }

                    if (usesLeft && !usesRight)
                    {
                        left.Add(conjunct);
                    }
                    else if (usesRight && !usesLeft)
                    {
                        right.Add(ExpressionColumns.Shift(conjunct, -leftWidth));
                    }
                    else
                    {
                        both.Add(conjunct);
                    }
                }

                var existing = new List<BoundExpression>();
                if (join.Condition is not null)
                {
                    ExpressionColumns.SplitConjuncts(join.Condition, existing);
                }

                existing.AddRange(both);
                var condition = ExpressionColumns.Combine(existing);
                return new JoinNode(
                    PushInto(join.Left, left),
                    PushInto(join.Right, right),
                    condition is null ? JoinType.Cross : JoinType.Inner,
                    condition);
            }

            case JoinNode { KeepsOnlyLeft: true } semi:
            {
                // Semi, anti and mark joins pass left rows through unchanged: filters on them go below.
                int leftWidth = semi.Left.Columns.Count;
                var below = new List<BoundExpression>();
                var above = new List<BoundExpression>();
                foreach (var conjunct in conjuncts)
                {
                    bool onlyLeft = true;
                    foreach (int column in ExpressionColumns.Of(conjunct))
                    {
                        onlyLeft &= column < leftWidth;
                    }

                    (onlyLeft ? below : above).Add(conjunct);
                }

                LogicalPlan joined = semi with { Left = PushInto(semi.Left, below) };
                return above.Count == 0 ? joined : new FilterNode(joined, ExpressionColumns.Combine(above)!);
            }

            case JoinNode { JoinType: JoinType.Left or JoinType.Right or JoinType.Single } outer:
            {
                // Rows of the preserved side reach the output unchanged (or not at all), so a conjunct over
                // that side alone can filter it before the join; the rest waits above the join.
                bool preserveLeft = outer.JoinType != JoinType.Right;
                int leftWidth = outer.Left.Columns.Count;
                var preserved = new List<BoundExpression>();
                var above = new List<BoundExpression>();
                foreach (var conjunct in conjuncts)
                {
                    if (IsTrue(conjunct))
                    {
                        continue;
                    }

                    bool onlyPreserved = true;
                    foreach (int column in ExpressionColumns.Of(conjunct))
                    {
                        onlyPreserved &= preserveLeft ? column < leftWidth : column >= leftWidth;
                    }

                    if (onlyPreserved)
                    {
                        preserved.Add(preserveLeft ? conjunct : ExpressionColumns.Shift(conjunct, -leftWidth));
                    }
                    else
                    {
                        above.Add(conjunct);
                    }
                }

                LogicalPlan joined = preserveLeft
                    ? outer with { Left = PushInto(outer.Left, preserved) }
                    : outer with { Right = PushInto(outer.Right, preserved) };
                return above.Count == 0 ? joined : new FilterNode(joined, ExpressionColumns.Combine(above)!);
            }

            case WindowNode window:
            {
                var (below, above) = window.SplitByPartitionKeys(conjuncts);
                LogicalPlan windowed = window with { Input = PushInto(window.Input, below) };
                return above.Count == 0 ? windowed : new FilterNode(windowed, ExpressionColumns.Combine(above)!);
            }

            case ScanNode { Filter: null } scan:
            {
                var predicate = ExpressionColumns.Combine(conjuncts)!;
                var pushdown = PushdownConverter.Convert(predicate, scan.ColumnIndexes);
                // The connector prunes with the pushed filter but may return rows that fail it; the filter stays.
                return new FilterNode(pushdown is null ? scan : scan with { Filter = pushdown }, predicate);
            }

            default:
                return new FilterNode(input, ExpressionColumns.Combine(conjuncts)!);
        }
    }

    /// <summary>Whether a filter reads some column its consumer does not need.</summary>
    private static bool ReadsColumnsOnlyForItself(bool[] required, bool[] need)
    {
        for (int i = 0; i < need.Length; i++)
        {
            if (need[i] && (i >= required.Length || !required[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static LogicalPlan PruneColumns(LogicalPlan plan)
    {
        var required = new bool[plan.Columns.Count];
        Array.Fill(required, true);
        return Prune(plan, required).Plan;
    }

    /// <summary>Returns the pruned plan and, for every old output column, its new position (or -1 when dropped).</summary>
    private static (LogicalPlan Plan, int[] Mapping) Prune(LogicalPlan plan, bool[] required)
    {
        switch (plan)
        {
            case ScanNode scan:
            {
                var kept = new List<int>();
                var mapping = new int[scan.ColumnIndexes.Count];
                for (int i = 0; i < mapping.Length; i++)
                {
                    mapping[i] = required[i] ? kept.Count : -1;
                    if (required[i])
                    {
                        kept.Add(scan.ColumnIndexes[i]);
                    }
                }

                return (scan with { ColumnIndexes = kept }, mapping);
            }

            case FilterNode filter:
            {
                var need = (bool[])required.Clone();
                Mark(filter.Predicate, need);
                var (input, mapping) = Prune(filter.Input, need);
                var pruned = new FilterNode(input, ExpressionColumns.Remap(filter.Predicate, mapping));
                if (input is not ScanNode || !ReadsColumnsOnlyForItself(required, need))
                {
                    return (pruned, mapping);
                }

                // Columns only the filter reads end at the scan's fragment: a projection keeps the rest, so
                // the filtered rows never carry them.
                var expressions = new List<BoundExpression>();
                var names = new List<string>();
                var projected = new int[mapping.Length];
                for (int i = 0; i < mapping.Length; i++)
                {
                    projected[i] = -1;
                    if (i < required.Length && required[i] && mapping[i] >= 0)
                    {
                        projected[i] = expressions.Count;
                        var column = input.Columns[mapping[i]];
                        expressions.Add(new ColumnReference(mapping[i], column.Type, column.Name));
                        names.Add(column.Name);
                    }
                }

                return (new ProjectNode(pruned, expressions, names), projected);
            }

            case ProjectNode project:
            {
                var need = new bool[project.Input.Columns.Count];
                var mapping = new int[project.Expressions.Count];
                int keptCount = 0;
                for (int i = 0; i < mapping.Length; i++)
                {
                    if (required[i])
                    {
                        Mark(project.Expressions[i], need);
                        mapping[i] = keptCount++;
                    }
                    else
                    {
                        mapping[i] = -1;
                    }
                }

                var (input, inputMapping) = Prune(project.Input, need);
                var expressions = new List<BoundExpression>(keptCount);
                var names = new List<string>(keptCount);
                for (int i = 0; i < mapping.Length; i++)
                {
                    if (required[i])
                    {
                        expressions.Add(ExpressionColumns.Remap(project.Expressions[i], inputMapping));
                        names.Add(project.Names[i]);
                    }
                }

                return (new ProjectNode(input, expressions, names), mapping);
            }

            case AggregateNode aggregate:
            {
                var need = new bool[aggregate.Input.Columns.Count];
                foreach (var key in aggregate.GroupKeys)
                {
                    Mark(key, need);
                }

                foreach (var call in aggregate.Aggregates)
                {
                    if (call.Argument is not null)
                    {
                        Mark(call.Argument, need);
                    }
                }

                var (input, inputMapping) = Prune(aggregate.Input, need);
                var keys = new List<BoundExpression>(aggregate.GroupKeys.Count);
                foreach (var key in aggregate.GroupKeys)
                {
                    keys.Add(ExpressionColumns.Remap(key, inputMapping));
                }

                var calls = new List<AggregateCall>(aggregate.Aggregates.Count);
                foreach (var call in aggregate.Aggregates)
                {
                    calls.Add(call.Argument is null ? call : call with { Argument = ExpressionColumns.Remap(call.Argument, inputMapping) });
                }

                return (aggregate with { Input = input, GroupKeys = keys, Aggregates = calls }, Identity(aggregate.Columns.Count));
            }

            case SortNode sort:
            {
                var need = (bool[])required.Clone();
                foreach (var key in sort.Keys)
                {
                    Mark(key.Expression, need);
                }

                var (input, mapping) = Prune(sort.Input, need);
                var keys = new List<SortKey>(sort.Keys.Count);
                foreach (var key in sort.Keys)
                {
                    keys.Add(key with { Expression = ExpressionColumns.Remap(key.Expression, mapping) });
                }

                return (new SortNode(input, keys), mapping);
            }

            case LimitNode limit:
            {
                var (input, mapping) = Prune(limit.Input, required);
                return (limit with { Input = input }, mapping);
            }

            case WindowNode window:
            {
                var (input, inputMapping) = Prune(window.Input, window.InputColumnsNeeded(required));
                return window.WithPrunedInput(input, inputMapping, required);
            }

            case JoinNode { KeepsOnlyLeft: true } semi:
            {
                int leftWidth = semi.Left.Columns.Count;
                var need = new bool[leftWidth + semi.Right.Columns.Count];
                Array.Copy(required, need, leftWidth);
                if (semi.Condition is not null)
                {
                    Mark(semi.Condition, need);
                }

                var (left, leftMapping) = Prune(semi.Left, need[..leftWidth]);
                var (right, rightMapping) = Prune(semi.Right, need[leftWidth..]);
                var pairMapping = new int[need.Length];
                for (int i = 0; i < leftWidth; i++)
                {
                    pairMapping[i] = leftMapping[i];
                }

                for (int i = leftWidth; i < need.Length; i++)
                {
                    int inner = rightMapping[i - leftWidth];
                    pairMapping[i] = inner < 0 ? -1 : inner + left.Columns.Count;
                }

                var condition = semi.Condition is null ? null : ExpressionColumns.Remap(semi.Condition, pairMapping);
                var output = new int[semi.Columns.Count];
                Array.Copy(leftMapping, output, leftWidth);
                if (output.Length > leftWidth)
                {
                    output[leftWidth] = left.Columns.Count;
                }

                return (new JoinNode(left, right, semi.JoinType, condition), output);
            }

            case JoinNode join:
            {
                int leftWidth = join.Left.Columns.Count;
                var need = (bool[])required.Clone();
                if (join.Condition is not null)
                {
                    Mark(join.Condition, need);
                }

                var (left, leftMapping) = Prune(join.Left, need[..leftWidth]);
                var (right, rightMapping) = Prune(join.Right, need[leftWidth..]);
                int newLeftWidth = left.Columns.Count;
                var mapping = new int[need.Length];
                for (int i = 0; i < leftWidth; i++)
                {
                    mapping[i] = leftMapping[i];
                }

                for (int i = leftWidth; i < need.Length; i++)
                {
                    int inner = rightMapping[i - leftWidth];
                    mapping[i] = inner < 0 ? -1 : inner + newLeftWidth;
                }

                var condition = join.Condition is null ? null : ExpressionColumns.Remap(join.Condition, mapping);
                return (new JoinNode(left, right, join.JoinType, condition), mapping);
            }

            case RowIdNode rowId:
            {
                var need = new bool[rowId.Input.Columns.Count];
                Array.Copy(required, need, need.Length);
                var (input, inputMapping) = Prune(rowId.Input, need);
                var mapping = new int[rowId.Columns.Count];
                Array.Copy(inputMapping, mapping, inputMapping.Length);
                mapping[^1] = input.Columns.Count;
                return (new RowIdNode(input), mapping);
            }

            case SetOperationNode setOperation:
            {
                var all = new bool[setOperation.Columns.Count];
                Array.Fill(all, true);
                return (setOperation with { Left = Prune(setOperation.Left, all).Plan, Right = Prune(setOperation.Right, all).Plan }, Identity(all.Length));
            }

            case UnionNode union:
            {
                var children = new List<LogicalPlan>(union.Children.Count);
                foreach (var child in union.Children)
                {
                    var all = new bool[child.Columns.Count];
                    Array.Fill(all, true);
                    children.Add(Prune(child, all).Plan);
                }

                return (new UnionNode(children), Identity(union.Columns.Count));
            }

            default:
            {
                var inputs = plan.Inputs;
                if (inputs.Count == 0)
                {
                    return (plan, Identity(plan.Columns.Count));
                }

                throw new PlanningException(PlanningException.NotSupported, $"column pruning does not know {plan.GetType().Name}");
            }
        }
    }

    private static void Mark(BoundExpression expression, bool[] need)
    {
        if (expression is ColumnReference reference)
        {
            need[reference.Index] = true;
            return;
        }

        foreach (var child in expression.Children)
        {
            Mark(child, need);
        }
    }

    private static int[] Identity(int count)
    {
        var mapping = new int[count];
        for (int i = 0; i < count; i++)
        {
            mapping[i] = i;
        }

        return mapping;
    }

    private static LogicalPlan PushLimits(LogicalPlan plan)
    {
        if (plan is LimitNode { Count: { } count } limit)
        {
            long wanted = limit.Offset + count;
            var target = limit.Input;
            if (target is ProjectNode { Input: ScanNode { Limit: null } projectedScan } project)
            {
                return limit with { Input = project with { Input = projectedScan with { Limit = wanted } } };
            }

            if (target is ScanNode { Limit: null } scan)
            {
                return limit with { Input = scan with { Limit = wanted } };
            }
        }

        var inputs = plan.Inputs;
        if (inputs.Count == 0)
        {
            return plan;
        }

        var pushed = new LogicalPlan[inputs.Count];
        for (int i = 0; i < pushed.Length; i++)
        {
            pushed[i] = PushLimits(inputs[i]);
        }

        return plan.WithInputs(pushed);
    }

    private static bool IsTrue(BoundExpression expression) => expression is Literal { Value: true, Type: BooleanType };
}
