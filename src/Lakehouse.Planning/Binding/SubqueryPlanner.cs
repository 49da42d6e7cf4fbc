using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Optimizer;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Binding;

/// <summary>
/// Turns subqueries inside expressions into joins, so nothing is ever evaluated per row:
/// EXISTS and IN in a filter become semi joins, NOT EXISTS and NOT IN anti joins, scalar subqueries
/// (single-row) left joins, and subqueries anywhere else mark joins that add a boolean column.
/// Correlated subqueries are decorrelated first: their conditions on the enclosing query's columns are
/// pulled up into the join condition, through projections, filters, inner joins and aggregations
/// (which then group by the correlated columns).
/// </summary>
public static class SubqueryPlanner
{
    public static bool Contains(BoundExpression expression)
    {
        if (expression is SubqueryExpression)
        {
            return true;
        }

        foreach (var child in expression.Children)
        {
            if (Contains(child))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Plans the subqueries of a filter predicate over <paramref name="plan"/>; returns the new input and the rest of the predicate.</summary>
    public static (LogicalPlan Plan, BoundExpression? Predicate) PlanFilter(LogicalPlan plan, BoundExpression predicate, IConstantEvaluator evaluator)
    {
        if (!Contains(predicate))
        {
            return (plan, predicate);
        }

        var conjuncts = new List<BoundExpression>();
        ExpressionColumns.SplitConjuncts(predicate, conjuncts);
        var remaining = new List<BoundExpression>();
        foreach (var conjunct in conjuncts)
        {
            var planned = TryPlanAsSemiOrAnti(plan, conjunct, evaluator);
            if (planned is not null)
            {
                plan = planned;
            }
            else
            {
                remaining.Add(conjunct);
            }
        }

        var rest = ExpressionColumns.Combine(remaining);
        if (rest is not null)
        {
            (plan, rest) = PlanExpression(plan, rest, evaluator);
        }

        return (plan, rest);
    }

    /// <summary>Plans the subqueries of expressions over <paramref name="plan"/>; the new plan keeps the old columns first.</summary>
    public static (LogicalPlan Plan, List<BoundExpression> Expressions) PlanExpressions(LogicalPlan plan, IReadOnlyList<BoundExpression> expressions, IConstantEvaluator evaluator)
    {
        var result = new List<BoundExpression>(expressions.Count);
        foreach (var expression in expressions)
        {
            var (newPlan, rewritten) = PlanExpression(plan, expression, evaluator);
            plan = newPlan;
            result.Add(rewritten);
        }

        return (plan, result);
    }

    private static LogicalPlan? TryPlanAsSemiOrAnti(LogicalPlan plan, BoundExpression conjunct, IConstantEvaluator evaluator)
    {
        bool negated = false;
        var target = conjunct;
        if (target is CallExpression { Function: ScalarFunction.Not, Arguments: [var inner] })
        {
            negated = true;
            target = inner;
        }

        if (target is not SubqueryExpression subquery || (subquery.Operand is not null && Contains(subquery.Operand)))
        {
            return null;
        }

        int width = plan.Columns.Count;
        switch (subquery.Kind, negated)
        {
            case (SubqueryKind.Exists, _):
            {
                var decorrelated = Decorrelate(subquery.Plan, evaluator);
                var condition = ExpressionColumns.Combine(decorrelated.JoinConditions(width)) ?? True;
                return new JoinNode(plan, decorrelated.Plan, negated ? JoinType.Anti : JoinType.Semi, condition);
            }

            case (SubqueryKind.Any, false):
            {
                var decorrelated = Decorrelate(subquery.Plan, evaluator);
                var conditions = decorrelated.JoinConditions(width);
                conditions.Add(Compare(subquery.Comparison, subquery.Operand!, decorrelated.Value(width)));
                return new JoinNode(plan, decorrelated.Plan, JoinType.Semi, ExpressionColumns.Combine(conditions));
            }

            case (SubqueryKind.All, false):
            {
                var decorrelated = Decorrelate(subquery.Plan, evaluator);
                if (decorrelated.Predicates.Count == 0 && subquery.Comparison == ScalarFunction.NotEqual)
                {
                    // NOT IN over an uncorrelated subquery: a hash-based mark join honours its NULL rules.
                    return null;
                }

                // x op ALL (S) holds when no row of S makes (x op y) false or unknown.
                var conditions = decorrelated.JoinConditions(width);
                var violated = Compare(Negate(subquery.Comparison), subquery.Operand!, decorrelated.Value(width));
                conditions.Add(new CallExpression(ScalarFunction.Coalesce, [violated, True], SqlTypes.Boolean));
                return new JoinNode(plan, decorrelated.Plan, JoinType.Anti, ExpressionColumns.Combine(conditions));
            }

            default:
                return null;
        }
    }

    private static (LogicalPlan Plan, BoundExpression Expression) PlanExpression(LogicalPlan plan, BoundExpression expression, IConstantEvaluator evaluator)
    {
        if (!Contains(expression))
        {
            return (plan, expression);
        }

        var children = expression.Children;
        BoundExpression current = expression;
        if (children.Count > 0)
        {
            var rewritten = new BoundExpression[children.Count];
            for (int i = 0; i < rewritten.Length; i++)
            {
                (plan, rewritten[i]) = PlanExpression(plan, children[i], evaluator);
            }

            current = expression.WithChildren(rewritten);
        }

        if (current is not SubqueryExpression subquery)
        {
            return (plan, current);
        }

        return subquery.Kind switch
        {
            SubqueryKind.Scalar => PlanScalar(plan, subquery, evaluator),
            SubqueryKind.Exists => PlanExists(plan, subquery, evaluator),
            SubqueryKind.Any => PlanAny(plan, subquery.Plan, subquery.Operand!, subquery.Comparison, evaluator),
            _ => PlanAll(plan, subquery, evaluator),
        };
    }

    private static (LogicalPlan, BoundExpression) PlanScalar(LogicalPlan plan, SubqueryExpression subquery, IConstantEvaluator evaluator)
    {
        int width = plan.Columns.Count;
        Decorrelated decorrelated;
        try
        {
            decorrelated = Decorrelate(subquery.Plan, evaluator);
        }
        catch (PlanningException e) when (e.Code == PlanningException.NotSupported && PlanAggregatePerRow(plan, subquery, evaluator) is not null)
        {
            return PlanAggregatePerRow(plan, subquery, evaluator)!.Value;
        }

        BoundExpression value = decorrelated.Value(width);
        if (decorrelated.Predicates.Count == 0)
        {
            var joinType = ReturnsOneRow(decorrelated.Plan) ? JoinType.Cross : JoinType.Single;
            if (joinType == JoinType.Single && decorrelated.Outputs is not null)
            {
                // Outputs computed from the enclosing row must still be NULL when the subquery has no row.
                var (marked, matched) = WithMatchedColumn(decorrelated.Plan, width);
                return (new JoinNode(plan, marked, JoinType.Single, True), NullUnlessMatched(matched, value));
            }

            return (new JoinNode(plan, decorrelated.Plan, joinType, joinType == JoinType.Cross ? null : True), value);
        }

        var conditions = decorrelated.JoinConditions(width);
        if (decorrelated.Outputs is not null)
        {
            var (marked, matched) = WithMatchedColumn(decorrelated.Plan, width);
            var outerJoin = new JoinNode(plan, marked, decorrelated.UniquePerCorrelation ? JoinType.Left : JoinType.Single, ExpressionColumns.Combine(conditions));
            var unmatched = decorrelated.EmptyRow is { } emptyOutputs ? Decorrelated.ToJoinRow(emptyOutputs[0], width) : Literal.Null(value.Type);
            var isUnmatched = new CallExpression(ScalarFunction.IsNull, [matched], SqlTypes.Boolean);
            return (outerJoin, new CallExpression(ScalarFunction.Case, [isUnmatched, ExpressionBinder.CastTo(unmatched, value.Type), value], value.Type));
        }

        var joined = new JoinNode(plan, decorrelated.Plan, decorrelated.UniquePerCorrelation ? JoinType.Left : JoinType.Single, ExpressionColumns.Combine(conditions));
        if (decorrelated.EmptyRow is { } emptyRow && emptyRow[0] is Literal { Value: not null } emptyValue && decorrelated.MarkerColumn is { } marker)
        {
            // The decorrelated aggregation has no group for outer rows without matches, where the
            // subquery would have aggregated nothing (count(*) = 0, not NULL).
            var matched = new CallExpression(ScalarFunction.IsNull, [new ColumnReference(width + marker, decorrelated.Plan.Columns[marker].Type, "$marker")], SqlTypes.Boolean);
            value = new CallExpression(ScalarFunction.Case, [matched, emptyValue, value], value.Type);
        }

        return (joined, value);
    }

    /// <summary>
    /// A correlated aggregate whose conditions are not all equalities (e.g. <c>WHERE s.t &lt; o.t</c>): number the
    /// outer rows, LEFT JOIN the subquery's input on its conditions, and aggregate per outer row, grouping by
    /// all outer columns so they pass through. count(*) counts only joined rows.
    /// </summary>
    private static (LogicalPlan, BoundExpression)? PlanAggregatePerRow(LogicalPlan outer, SubqueryExpression subquery, IConstantEvaluator evaluator)
    {
        var projections = new List<ProjectNode>();
        var node = subquery.Plan;
        while (node is ProjectNode project)
        {
            projections.Add(project);
            node = project.Input;
        }

        if (node is not AggregateNode { GroupKeys.Count: 0 } aggregate)
        {
            return null;
        }

        foreach (var call in aggregate.Aggregates)
        {
            if (call.Argument is not null && HasOuter(call.Argument))
            {
                return null;
            }
        }

        foreach (var projection in projections)
        {
            foreach (var expression in projection.Expressions)
            {
                if (HasOuter(expression))
                {
                    return null;
                }
            }
        }

        Decorrelated inner;
        try
        {
            inner = Pull(aggregate.Input, evaluator);
        }
        catch (PlanningException)
        {
            return null;
        }

        if (inner.Outputs is not null || HasOuter(inner.Plan))
        {
            return null;
        }

        var numbered = new RowIdNode(outer);
        int numberedWidth = numbered.Columns.Count;
        var innerColumns = inner.Plan.Columns;
        var innerExpressions = new List<BoundExpression>(innerColumns.Count + 1);
        var innerNames = new List<string>(innerColumns.Count + 1);
        for (int i = 0; i < innerColumns.Count; i++)
        {
            innerExpressions.Add(new ColumnReference(i, innerColumns[i].Type, innerColumns[i].Name));
            innerNames.Add(innerColumns[i].Name);
        }

        innerExpressions.Add(True);
        innerNames.Add("$matched");
        var marked = new ProjectNode(inner.Plan, innerExpressions, innerNames);
        var joined = new JoinNode(numbered, marked, JoinType.Left, ExpressionColumns.Combine(inner.JoinConditions(numberedWidth)) ?? True);

        var keys = new List<BoundExpression>(numberedWidth);
        var keyNames = new List<string>(numberedWidth);
        var numberedColumns = numbered.Columns;
        for (int i = 0; i < numberedWidth; i++)
        {
            keys.Add(new ColumnReference(i, numberedColumns[i].Type, numberedColumns[i].Name));
            keyNames.Add(numberedColumns[i].Name);
        }

        var matchedColumn = new ColumnReference(numberedWidth + innerColumns.Count, SqlTypes.Boolean, "$matched");
        var calls = new List<AggregateCall>(aggregate.Aggregates.Count);
        foreach (var call in aggregate.Aggregates)
        {
            calls.Add(call.Argument is null
                ? call with { Function = AggregateFunction.Count, Argument = matchedColumn }
                : call with { Argument = ExpressionColumns.Shift(call.Argument, numberedWidth) });
        }

        var grouped = new AggregateNode(joined, keys, keyNames, calls, aggregate.AggregateNames);

        // The subquery's projections above its aggregate, now over the per-row aggregates.
        var values = new BoundExpression[calls.Count];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = new ColumnReference(numberedWidth + k, calls[k].Type, aggregate.AggregateNames[k]);
        }

        for (int p = projections.Count - 1; p >= 0; p--)
        {
            var below = values;
            var projected = new BoundExpression[projections[p].Expressions.Count];
            for (int i = 0; i < projected.Length; i++)
            {
                projected[i] = ExpressionColumns.Rewrite(projections[p].Expressions[i], reference => below[reference.Index]);
            }

            values = projected;
        }

        return (grouped, values[0]);
    }

    /// <summary>The subquery plan plus a TRUE column, NULL after an outer join exactly where nothing matched.</summary>
    private static (LogicalPlan Plan, ColumnReference Matched) WithMatchedColumn(LogicalPlan subquery, int outerWidth)
    {
        var columns = subquery.Columns;
        var expressions = new List<BoundExpression>(columns.Count + 1);
        var names = new List<string>(columns.Count + 1);
        for (int i = 0; i < columns.Count; i++)
        {
            expressions.Add(new ColumnReference(i, columns[i].Type, columns[i].Name));
            names.Add(columns[i].Name);
        }

        expressions.Add(True);
        names.Add("$matched");
        return (new ProjectNode(subquery, expressions, names), new ColumnReference(outerWidth + columns.Count, SqlTypes.Boolean, "$matched"));
    }

    private static BoundExpression NullUnlessMatched(ColumnReference matched, BoundExpression value) =>
        new CallExpression(ScalarFunction.Case, [new CallExpression(ScalarFunction.IsNull, [matched], SqlTypes.Boolean), Literal.Null(value.Type), value], value.Type);

    private static (LogicalPlan, BoundExpression) PlanExists(LogicalPlan plan, SubqueryExpression subquery, IConstantEvaluator evaluator)
    {
        int width = plan.Columns.Count;
        var decorrelated = Decorrelate(subquery.Plan, evaluator);
        var condition = ExpressionColumns.Combine(decorrelated.JoinConditions(width)) ?? True;
        return (new JoinNode(plan, decorrelated.Plan, JoinType.Mark, condition), new ColumnReference(width, SqlTypes.Boolean, "$exists"));
    }

    private static (LogicalPlan, BoundExpression) PlanAny(LogicalPlan plan, LogicalPlan subqueryPlan, BoundExpression operand, ScalarFunction comparison, IConstantEvaluator evaluator)
    {
        int width = plan.Columns.Count;
        var decorrelated = Decorrelate(subqueryPlan, evaluator);
        if (decorrelated.Predicates.Count == 0 && comparison == ScalarFunction.Equal)
        {
            var equal = Compare(ScalarFunction.Equal, operand, decorrelated.Value(width));
            return (new JoinNode(plan, decorrelated.Plan, JoinType.NullAwareMark, equal), new ColumnReference(width, SqlTypes.Boolean, "$in"));
        }

        // Three-valued ANY: TRUE when some row compares TRUE, else NULL when some row compares NULL, else FALSE.
        var trueConditions = decorrelated.JoinConditions(width);
        trueConditions.Add(Compare(comparison, operand, decorrelated.Value(width)));
        var withTrue = new JoinNode(plan, decorrelated.Plan, JoinType.Mark, ExpressionColumns.Combine(trueConditions));

        int widthAfterFirst = width + 1;
        var unknownConditions = decorrelated.JoinConditions(widthAfterFirst);
        var unknownComparison = Compare(comparison, operand, decorrelated.Value(widthAfterFirst));
        unknownConditions.Add(new CallExpression(ScalarFunction.IsNull, [unknownComparison], SqlTypes.Boolean));
        var withUnknown = new JoinNode(withTrue, decorrelated.Plan, JoinType.Mark, ExpressionColumns.Combine(unknownConditions));

        var value = new CallExpression(
            ScalarFunction.Case,
            [
                new ColumnReference(width, SqlTypes.Boolean, "$any"),
                True,
                new ColumnReference(widthAfterFirst, SqlTypes.Boolean, "$unknown"),
                Literal.Null(SqlTypes.Boolean),
                new Literal(false, SqlTypes.Boolean),
            ],
            SqlTypes.Boolean);
        return (withUnknown, value);
    }

    private static (LogicalPlan, BoundExpression) PlanAll(LogicalPlan plan, SubqueryExpression subquery, IConstantEvaluator evaluator)
    {
        // x op ALL (S) is NOT (x negated-op ANY (S)), NULLs included.
        var (joined, any) = PlanAny(plan, subquery.Plan, subquery.Operand!, Negate(subquery.Comparison), evaluator);
        return (joined, new CallExpression(ScalarFunction.Not, [any], SqlTypes.Boolean));
    }

    private static readonly Literal True = new(true, SqlTypes.Boolean);

    private static BoundExpression Compare(ScalarFunction comparison, BoundExpression left, BoundExpression right) =>
        new CallExpression(comparison, [left, right], SqlTypes.Boolean);

    private static ScalarFunction Negate(ScalarFunction comparison) => comparison switch
    {
        ScalarFunction.Equal => ScalarFunction.NotEqual,
        ScalarFunction.NotEqual => ScalarFunction.Equal,
        ScalarFunction.LessThan => ScalarFunction.GreaterThanOrEqual,
        ScalarFunction.LessThanOrEqual => ScalarFunction.GreaterThan,
        ScalarFunction.GreaterThan => ScalarFunction.LessThanOrEqual,
        ScalarFunction.GreaterThanOrEqual => ScalarFunction.LessThan,
        _ => throw new PlanningException(PlanningException.NotSupported, $"cannot negate {comparison}"),
    };

    /// <summary>Whether a plan yields exactly one row whatever its input: projections over a global aggregation.</summary>
    private static bool ReturnsOneRow(LogicalPlan plan) => plan switch
    {
        ProjectNode project => ReturnsOneRow(project.Input),
        AggregateNode aggregate => aggregate.GroupKeys.Count == 0,
        ValuesNode values => values.Rows.Count == 1,
        _ => false,
    };

    /// <summary>
    /// A subquery without references to the enclosing query, plus the pulled-up correlated conditions.
    /// In <see cref="Predicates"/>, column references address the subquery plan's columns and
    /// <see cref="OuterColumnReference"/>s the enclosing row.
    /// </summary>
    private sealed record Decorrelated(LogicalPlan Plan, List<BoundExpression> Predicates, bool UniquePerCorrelation, IReadOnlyList<BoundExpression>? EmptyRow, int? MarkerColumn)
    {
        /// <summary>
        /// The subquery's output columns when they read the enclosing row (e.g. <c>SELECT x + outer.y</c>): expressions
        /// over the plan's columns and outer references, computed above the join. Null when the plan's columns are the outputs.
        /// </summary>
        public IReadOnlyList<BoundExpression>? Outputs { get; init; }

        /// <summary>The subquery's (first) output over the join row of <paramref name="outerWidth"/> enclosing columns and the plan's.</summary>
        public BoundExpression Value(int outerWidth) => Outputs is { } outputs
            ? ToJoinRow(outputs[0], outerWidth)
            : new ColumnReference(outerWidth, Plan.Columns[0].Type, Plan.Columns[0].Name);

        /// <summary>The predicates over the join row: the enclosing plan's <paramref name="outerWidth"/> columns, then the subquery's.</summary>
        public List<BoundExpression> JoinConditions(int outerWidth)
        {
            var conditions = new List<BoundExpression>(Predicates.Count);
            foreach (var predicate in Predicates)
            {
                conditions.Add(ToJoinRow(predicate, outerWidth));
            }

            return conditions;
        }

        public static BoundExpression ToJoinRow(BoundExpression expression, int outerWidth) => expression switch
        {
            OuterColumnReference outer => new ColumnReference(outer.Index, outer.Type, outer.Name),
            ColumnReference inner => inner with { Index = inner.Index + outerWidth },
            _ when expression.Children.Count == 0 => expression,
            _ => expression.WithChildren(MapChildren(expression.Children, outerWidth)),
        };

        private static BoundExpression[] MapChildren(IReadOnlyList<BoundExpression> children, int outerWidth)
        {
            var mapped = new BoundExpression[children.Count];
            for (int i = 0; i < mapped.Length; i++)
            {
                mapped[i] = ToJoinRow(children[i], outerWidth);
            }

            return mapped;
        }
    }

    private static Decorrelated Decorrelate(LogicalPlan plan, IConstantEvaluator evaluator)
    {
        var pulled = Pull(plan, evaluator);
        if (HasOuter(pulled.Plan))
        {
            throw new PlanningException(PlanningException.NotSupported, "this correlated subquery cannot be turned into a join; rewrite it as a join");
        }

        return pulled;
    }

    private static Decorrelated Pull(LogicalPlan plan, IConstantEvaluator evaluator)
    {
        if (!HasOuter(plan))
        {
            return new Decorrelated(plan, [], false, null, null);
        }

        switch (plan)
        {
            case FilterNode filter:
            {
                var input = RequireColumns(Pull(filter.Input, evaluator));
                var conjuncts = new List<BoundExpression>();
                ExpressionColumns.SplitConjuncts(filter.Predicate, conjuncts);
                var predicates = new List<BoundExpression>(input.Predicates);
                var local = new List<BoundExpression>();
                foreach (var conjunct in conjuncts)
                {
                    (HasOuter(conjunct) ? predicates : local).Add(conjunct);
                }

                if (local.Count > 0 && input.EmptyRow is not null)
                {
                    ThrowUnsupported("a HAVING clause in a correlated aggregated subquery");
                }

                var newPlan = local.Count == 0 ? input.Plan : new FilterNode(input.Plan, ExpressionColumns.Combine(local)!);
                return input with { Plan = newPlan, Predicates = predicates };
            }

            case ProjectNode project:
            {
                var input = Pull(project.Input, evaluator);
                if (input.Outputs is { } below)
                {
                    // A projection over outputs computed above the join is computed there too.
                    var composed = new List<BoundExpression>(project.Expressions.Count);
                    List<BoundExpression>? composedEmpty = input.EmptyRow is null ? null : new(project.Expressions.Count);
                    foreach (var expression in project.Expressions)
                    {
                        composed.Add(ExpressionColumns.Rewrite(expression, reference => below[reference.Index]));
                        composedEmpty?.Add(ConstantFolder.Fold(ExpressionColumns.Rewrite(expression, reference => input.EmptyRow![reference.Index]), evaluator));
                    }

                    return input with { Outputs = composed, EmptyRow = composedEmpty };
                }

                if (AnyOuter(project.Expressions))
                {
                    // Outputs that read the enclosing row are computed above the join, over the input's columns;
                    // over an aggregate that saw no rows they are computed from its empty-input values.
                    List<BoundExpression>? emptyOutputs = null;
                    if (input.EmptyRow is { } emptyInput)
                    {
                        emptyOutputs = new List<BoundExpression>(project.Expressions.Count);
                        foreach (var expression in project.Expressions)
                        {
                            emptyOutputs.Add(ConstantFolder.Fold(ExpressionColumns.Rewrite(expression, reference => emptyInput[reference.Index]), evaluator));
                        }
                    }

                    return input with { Outputs = project.Expressions, EmptyRow = emptyOutputs };
                }

                var expressions = new List<BoundExpression>(project.Expressions.Count);
                var names = new List<string>(project.Names);
                for (int i = 0; i < project.Expressions.Count; i++)
                {
                    expressions.Add(project.Expressions[i]);
                }

                // Keep the input columns the pulled-up conditions read.
                var positions = new Dictionary<int, int>();
                for (int i = 0; i < expressions.Count; i++)
                {
                    if (expressions[i] is ColumnReference reference)
                    {
                        positions.TryAdd(reference.Index, i);
                    }
                }

                var predicates = new List<BoundExpression>(input.Predicates.Count);
                foreach (var predicate in input.Predicates)
                {
                    predicates.Add(ExpressionColumns.Rewrite(predicate, reference =>
                    {
                        if (!positions.TryGetValue(reference.Index, out int position))
                        {
                            position = expressions.Count;
                            positions[reference.Index] = position;
                            expressions.Add(reference);
                            names.Add("$corr" + position);
                        }

                        return reference with { Index = position };
                    }));
                }

                int? marker = input.MarkerColumn is { } inputMarker && positions.TryGetValue(inputMarker, out int markerPosition) ? markerPosition : null;
                if (input.MarkerColumn is { } wanted && marker is null)
                {
                    marker = expressions.Count;
                    expressions.Add(new ColumnReference(wanted, input.Plan.Columns[wanted].Type, "$marker"));
                    names.Add("$marker");
                }

                IReadOnlyList<BoundExpression>? emptyRow = null;
                if (input.EmptyRow is { } inputEmpty)
                {
                    var row = new List<BoundExpression>(expressions.Count);
                    foreach (var expression in expressions)
                    {
                        row.Add(ConstantFolder.Fold(ExpressionColumns.Rewrite(expression, reference => inputEmpty[reference.Index]), evaluator));
                    }

                    emptyRow = row;
                }

                return new Decorrelated(new ProjectNode(input.Plan, expressions, names), predicates, input.UniquePerCorrelation, emptyRow, marker);
            }

            case AggregateNode aggregate:
                return PullThroughAggregate(aggregate, evaluator);

            case SortNode sort:
            {
                var input = Pull(sort.Input, evaluator);
                if (input.Outputs is not { } outputs)
                {
                    return input with { Plan = new SortNode(input.Plan, sort.Keys) };
                }

                // Keys over outputs that read the enclosing row are constant per outer row: they do not order anything.
                var keys = new List<SortKey>(sort.Keys.Count);
                foreach (var key in sort.Keys)
                {
                    var expression = ExpressionColumns.Rewrite(key.Expression, reference => outputs[reference.Index]);
                    if (!HasOuter(expression))
                    {
                        keys.Add(key with { Expression = expression });
                    }
                }

                return keys.Count == 0 ? input : input with { Plan = new SortNode(input.Plan, keys) };
            }

            case LimitNode limit:
            {
                var input = Pull(limit.Input, evaluator);
                if (input.Predicates.Count > 0)
                {
                    ThrowUnsupported("LIMIT or OFFSET on rows that depend on the enclosing query");
                }

                return input with { Plan = limit with { Input = input.Plan } };
            }

            case JoinNode { JoinType: JoinType.Inner or JoinType.Cross or JoinType.Left } join:
                return PullThroughJoin(join, evaluator);

            default:
                ThrowUnsupported($"a correlated {plan.GetType().Name.Replace("Node", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}");
                return null!;
        }
    }

    private static Decorrelated PullThroughAggregate(AggregateNode aggregate, IConstantEvaluator evaluator)
    {
        foreach (var key in aggregate.GroupKeys)
        {
            if (HasOuter(key))
            {
                ThrowUnsupported("a reference to the enclosing query in GROUP BY");
            }
        }

        foreach (var call in aggregate.Aggregates)
        {
            if (call.Argument is not null && HasOuter(call.Argument))
            {
                ThrowUnsupported("a reference to the enclosing query inside an aggregate");
            }
        }

        var input = RequireColumns(Pull(aggregate.Input, evaluator));
        if (input.Predicates.Count == 0)
        {
            return input with { Plan = aggregate with { Input = input.Plan }, EmptyRow = null, MarkerColumn = null };
        }

        // Each correlated condition must be inner-expression = outer-expression: the inner side becomes a group key.
        var keys = new List<BoundExpression>(aggregate.GroupKeys);
        var keyNames = new List<string>(aggregate.KeyNames);
        var correlationKeys = new List<(int Key, BoundExpression Outer)>();
        foreach (var predicate in input.Predicates)
        {
            if (predicate is not CallExpression { Function: ScalarFunction.Equal, Arguments: [var a, var b] })
            {
                ThrowUnsupported($"the correlated condition {predicate} inside an aggregated subquery (only equalities can be decorrelated there)");
                return null!;
            }

            var (inner, outer) = IsPureInner(a) && IsPureOuter(b) ? (a, b)
                : IsPureInner(b) && IsPureOuter(a) ? (b, a)
                : (null, null);
            if (inner is null || outer is null)
            {
                ThrowUnsupported($"the correlated condition {predicate} inside an aggregated subquery");
                return null!;
            }

            int keyIndex = -1;
            var text = inner.ToString();
            for (int k = aggregate.GroupKeys.Count; k < keys.Count; k++)
            {
                if (keys[k].ToString() == text)
                {
                    keyIndex = k;
                }
            }

            if (keyIndex < 0)
            {
                keyIndex = keys.Count;
                keys.Add(inner);
                keyNames.Add("$corr" + keyIndex);
            }

            correlationKeys.Add((keyIndex, outer));
        }

        var grouped = aggregate with { Input = input.Plan, GroupKeys = keys, KeyNames = keyNames };

        // Restore the original column order (keys, aggregates), with the correlation keys after them.
        int originalKeys = aggregate.GroupKeys.Count;
        int extraKeys = keys.Count - originalKeys;
        var columns = grouped.Columns;
        var expressions = new List<BoundExpression>(columns.Count);
        var names = new List<string>(columns.Count);
        for (int i = 0; i < originalKeys; i++)
        {
            expressions.Add(new ColumnReference(i, columns[i].Type, columns[i].Name));
        }

        for (int i = 0; i < aggregate.Aggregates.Count; i++)
        {
            int source = keys.Count + i;
            expressions.Add(new ColumnReference(source, columns[source].Type, columns[source].Name));
        }

        for (int i = 0; i < extraKeys; i++)
        {
            int source = originalKeys + i;
            expressions.Add(new ColumnReference(source, columns[source].Type, columns[source].Name));
        }

        for (int i = 0; i < expressions.Count; i++)
        {
            names.Add(columns[((ColumnReference)expressions[i]).Index].Name);
        }

        int ProjectedKey(int keyIndex) => originalKeys + aggregate.Aggregates.Count + (keyIndex - originalKeys);

        var predicates = new List<BoundExpression>(correlationKeys.Count);
        foreach (var (key, outer) in correlationKeys)
        {
            predicates.Add(new CallExpression(ScalarFunction.Equal, [new ColumnReference(ProjectedKey(key), keys[key].Type, keyNames[key]), outer], SqlTypes.Boolean));
        }

        bool global = originalKeys == 0;
        List<BoundExpression>? emptyRow = null;
        if (global)
        {
            emptyRow = new List<BoundExpression>(expressions.Count);
            foreach (var call in aggregate.Aggregates)
            {
                emptyRow.Add(EmptyAggregateValue(call));
            }

            for (int i = 0; i < extraKeys; i++)
            {
                emptyRow.Add(Literal.Null(keys[originalKeys + i].Type));
            }
        }

        return new Decorrelated(new ProjectNode(grouped, expressions, names), predicates, global, emptyRow, global ? ProjectedKey(correlationKeys[0].Key) : null);
    }

    /// <summary>What an aggregate returns over no rows: 0 for the counting ones, NULL for the rest.</summary>
    private static Literal EmptyAggregateValue(AggregateCall call)
    {
        var name = call.Function.ToString();
        bool counts = name.StartsWith("Count", StringComparison.Ordinal) || name == "ApproxDistinct";
        return counts ? new Literal(0L, call.Type) : Literal.Null(call.Type);
    }

    private static Decorrelated PullThroughJoin(JoinNode join, IConstantEvaluator evaluator)
    {
        if (join.Condition is not null && HasOuter(join.Condition) && join.JoinType == JoinType.Left)
        {
            ThrowUnsupported("a reference to the enclosing query in an outer join condition");
        }

        var left = RequireColumns(Pull(join.Left, evaluator));
        var right = RequireColumns(Pull(join.Right, evaluator));
        if (join.JoinType == JoinType.Left && right.Predicates.Count > 0)
        {
            ThrowUnsupported("a correlated condition on the outer side of a LEFT JOIN");
        }

        int oldLeft = join.Left.Columns.Count;
        int oldRight = join.Right.Columns.Count;
        int newLeft = left.Plan.Columns.Count;
        int newRight = right.Plan.Columns.Count;

        // Position of each column of the new join row in the final layout: old left, old right, extra left, extra right.
        var finalPosition = new int[newLeft + newRight];
        for (int i = 0; i < newLeft; i++)
        {
            finalPosition[i] = i < oldLeft ? i : oldLeft + oldRight + (i - oldLeft);
        }

        for (int i = 0; i < newRight; i++)
        {
            finalPosition[newLeft + i] = i < oldRight ? oldLeft + i : oldLeft + oldRight + (newLeft - oldLeft) + (i - oldRight);
        }

        // The join condition addresses the old join row; map it onto the new one.
        var local = new List<BoundExpression>();
        var predicates = new List<BoundExpression>();
        foreach (var predicate in left.Predicates)
        {
            predicates.Add(ExpressionColumns.Rewrite(predicate, reference => reference with { Index = finalPosition[reference.Index] }));
        }

        foreach (var predicate in right.Predicates)
        {
            predicates.Add(ExpressionColumns.Rewrite(predicate, reference => reference with { Index = finalPosition[newLeft + reference.Index] }));
        }

        if (join.Condition is not null)
        {
            var conjuncts = new List<BoundExpression>();
            ExpressionColumns.SplitConjuncts(join.Condition, conjuncts);
            foreach (var conjunct in conjuncts)
            {
                var onNewRow = ExpressionColumns.Rewrite(conjunct, reference => reference with { Index = reference.Index < oldLeft ? reference.Index : newLeft + (reference.Index - oldLeft) });
                if (HasOuter(conjunct))
                {
                    predicates.Add(ExpressionColumns.Rewrite(onNewRow, reference => reference with { Index = finalPosition[reference.Index] }));
                }
                else
                {
                    local.Add(onNewRow);
                }
            }
        }

        var joinType = join.JoinType;
        var condition = ExpressionColumns.Combine(local);
        if (joinType == JoinType.Inner && condition is null)
        {
            joinType = JoinType.Cross;
        }
        else if (joinType == JoinType.Cross && condition is not null)
        {
            joinType = JoinType.Inner;
        }
        else if (joinType == JoinType.Left && condition is null)
        {
            condition = True;
        }

        var joined = new JoinNode(left.Plan, right.Plan, joinType, condition);
        var columns = joined.Columns;
        var expressions = new BoundExpression[columns.Count];
        var names = new string[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            expressions[finalPosition[i]] = new ColumnReference(i, columns[i].Type, columns[i].Name);
            names[finalPosition[i]] = columns[i].Name;
        }

        return new Decorrelated(new ProjectNode(joined, expressions, names), predicates, false, null, null);
    }

    /// <summary>Nodes above a projection that reads the enclosing row would need its outputs as columns.</summary>
    private static Decorrelated RequireColumns(Decorrelated pulled)
    {
        if (pulled.Outputs is not null)
        {
            ThrowUnsupported("a reference to the enclosing query in a nested select list");
        }

        return pulled;
    }

    private static bool AnyOuter(IReadOnlyList<BoundExpression> expressions)
    {
        foreach (var expression in expressions)
        {
            if (HasOuter(expression))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPureInner(BoundExpression expression) => !HasOuter(expression) && ExpressionColumns.Of(expression).Count > 0;

    private static bool IsPureOuter(BoundExpression expression) => ExpressionColumns.Of(expression).Count == 0;

    private static void ThrowUnsupported(string what) =>
        throw new PlanningException(PlanningException.NotSupported, $"subquery with {what} is not supported; rewrite it as a join");

    public static bool HasOuter(BoundExpression expression)
    {
        if (expression is OuterColumnReference)
        {
            return true;
        }

        if (expression is SubqueryExpression nested && HasOuter(nested.Plan))
        {
            return true;
        }

        foreach (var child in expression.Children)
        {
            if (HasOuter(child))
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasOuter(LogicalPlan plan)
    {
        foreach (var expression in ExpressionsOf(plan))
        {
            if (HasOuter(expression))
            {
                return true;
            }
        }

        foreach (var input in plan.Inputs)
        {
            if (HasOuter(input))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<BoundExpression> ExpressionsOf(LogicalPlan plan)
    {
        switch (plan)
        {
            case FilterNode filter:
                yield return filter.Predicate;
                break;
            case ProjectNode project:
                foreach (var expression in project.Expressions)
                {
                    yield return expression;
                }

                break;
            case AggregateNode aggregate:
                foreach (var key in aggregate.GroupKeys)
                {
                    yield return key;
                }

                foreach (var call in aggregate.Aggregates)
                {
                    if (call.Argument is not null)
                    {
                        yield return call.Argument;
                    }
                }

                break;
            case SortNode sort:
                foreach (var key in sort.Keys)
                {
                    yield return key.Expression;
                }

                break;
            case JoinNode { Condition: { } condition }:
                yield return condition;
                break;
            case ValuesNode values:
                foreach (var row in values.Rows)
                {
                    foreach (var value in row)
                    {
                        yield return value;
                    }
                }

                break;
        }
    }
}
