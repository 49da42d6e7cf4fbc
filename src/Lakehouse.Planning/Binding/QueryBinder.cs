using Apache.Arrow.Types;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding;

/// <summary>A bound relation: its plan and the names under which its columns can be referenced.</summary>
public sealed record RelationPlan(LogicalPlan Plan, Scope Scope);

/// <summary>Resolves table names (not table functions) to providers; returns null when unknown.</summary>
public interface ITableResolver
{
    ITableProvider? Find(QualifiedName name);
}

/// <summary>
/// Turns a query AST into a logical plan: relations (table functions, subqueries, VALUES, joins),
/// WHERE, GROUP BY with aggregates, HAVING, SELECT with aliases and <c>*</c>, DISTINCT, set
/// operations, ORDER BY (by alias, ordinal or expression), OFFSET and LIMIT. The top node's column
/// names are the query's output names.
/// </summary>
public sealed partial class QueryBinder
{
    private readonly TableFunctionRegistry _functions;
    private readonly TableFunctionContext _context;
    private readonly IConstantEvaluator _evaluator;
    private readonly ITableResolver? _tables;
    private readonly List<Dictionary<string, CommonTableExpression>> _ctes = [];

    public QueryBinder(TableFunctionRegistry functions, TableFunctionContext context, IConstantEvaluator evaluator, ITableResolver? tables = null)
    {
        _functions = functions;
        _context = context;
        _evaluator = evaluator;
        _tables = tables;
    }

    /// <summary>Where NULLs sort when ORDER BY does not say: last (Trino's default) unless a session asks otherwise.</summary>
    public DefaultNullOrder DefaultNullOrder { get; init; } = DefaultNullOrder.NullsLast;

    public LogicalPlan Bind(Query query) => BindQuery(query).Plan;

    private bool NullsFirst(SortItem item) => item.NullOrdering switch
    {
        NullOrdering.First => true,
        NullOrdering.Last => false,
        _ => DefaultNullOrder switch
        {
            DefaultNullOrder.NullsFirst => true,
            DefaultNullOrder.NullsFirstOnAscending => item.Direction != SortDirection.Descending,
            DefaultNullOrder.NullsFirstOnDescending => item.Direction == SortDirection.Descending,
            _ => false,
        },
    };

    private RelationPlan BindQuery(Query query)
    {
        bool pushedCtes = false;
        if (query.With is { } with)
        {
            if (with.Recursive)
            {
                throw new PlanningException(PlanningException.NotSupported, $"{with.Span}: WITH RECURSIVE is not supported");
            }

            var map = new Dictionary<string, CommonTableExpression>(StringComparer.Ordinal);
            foreach (var cte in with.Queries)
            {
                if (!map.TryAdd(cte.Name.Value, cte))
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{cte.Span}: WITH query name '{cte.Name.Text}' is specified more than once");
                }
            }

            _ctes.Add(map);
            pushedCtes = true;
        }

        try
        {
            RelationPlan result;
            if (query.Body is QuerySpecification specification)
            {
                result = BindSpecification(specification, query.OrderBy);
            }
            else
            {
                result = BindBody(query.Body);
                if (query.OrderBy.Count > 0)
                {
                    result = BindOrderOverOutput(result, query.OrderBy);
                }
            }

            return ApplyLimit(result, query);
        }
        finally
        {
            if (pushedCtes)
            {
                _ctes.RemoveAt(_ctes.Count - 1);
            }
        }
    }

    private RelationPlan ApplyLimit(RelationPlan relation, Query query)
    {
        if (query.WithTies)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{query.Span}: FETCH FIRST ... WITH TIES is not supported");
        }

        long offset = query.Offset is null ? 0 : EvaluateCount(query.Offset, "OFFSET");
        long? count = query.Limit is null ? null : EvaluateCount(query.Limit, "LIMIT");
        if (offset == 0 && count is null)
        {
            return relation;
        }

        return relation with { Plan = new LimitNode(relation.Plan, offset, count) };
    }

    private long EvaluateCount(Expression expression, string clause)
    {
        var value = EvaluateConstant(expression, clause);
        return value switch
        {
            int i when i >= 0 => i,
            long l when l >= 0 => l,
            _ => throw new PlanningException(PlanningException.InvalidArgument, $"{expression.Span}: {clause} must be a non-negative integer constant"),
        };
    }

    private object? EvaluateConstant(Expression expression, string what)
    {
        var bound = new ExpressionBinder(Scope.Empty, _evaluator).Bind(expression);
        try
        {
            return _evaluator.Evaluate(bound);
        }
        catch (PlanningException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{expression.Span}: {what} must be a constant: {e.Message}", e);
        }
    }

    private RelationPlan BindBody(QueryBody body) => body switch
    {
        QuerySpecification specification => BindSpecification(specification, []),
        ValuesBody values => BindValues(values),
        TableSubqueryBody subquery => BindQuery(subquery.Query),
        SetOperation operation => BindSetOperation(operation),
        TableBody table => BindTableName(table.Name, null, null, []),
        _ => throw new PlanningException(PlanningException.NotSupported, $"{body.Span}: this query form is not supported"),
    };

    private RelationPlan BindSetOperation(SetOperation operation)
    {
        var left = BindBody(operation.Left);
        var right = BindBody(operation.Right);
        var leftColumns = left.Plan.Columns;
        var rightColumns = right.Plan.Columns;
        if (leftColumns.Count != rightColumns.Count)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{operation.Span}: {operation.Operator.ToString().ToUpperInvariant()} inputs have {leftColumns.Count} and {rightColumns.Count} columns");
        }

        var types = new IArrowType[leftColumns.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = SqlTypes.CommonSuperType(leftColumns[i].Type, rightColumns[i].Type)
                ?? throw new PlanningException(PlanningException.TypeMismatch, $"{operation.Span}: {operation.Operator.ToString().ToUpperInvariant()} column {i + 1} has incompatible types {SqlTypes.Display(leftColumns[i].Type)} and {SqlTypes.Display(rightColumns[i].Type)}");
        }

        var names = new string[types.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = leftColumns[i].Name;
        }

        var coercedLeft = CoerceColumns(left.Plan, types, names);
        var coercedRight = CoerceColumns(right.Plan, types, names);
        if (operation.Operator != SetOperator.Union)
        {
            var kind = operation.Operator == SetOperator.Intersect ? SetOperationKind.Intersect : SetOperationKind.Except;
            LogicalPlan setOperation = new SetOperationNode(coercedLeft, coercedRight, kind, operation.All);
            return new RelationPlan(setOperation, ScopeOf(setOperation, null));
        }

        LogicalPlan plan = new UnionNode([coercedLeft, coercedRight]);
        if (!operation.All)
        {
            plan = DistinctOf(plan);
        }

        return new RelationPlan(plan, ScopeOf(plan, null));
    }

    private static LogicalPlan DistinctOf(LogicalPlan plan)
    {
        var keys = new List<BoundExpression>(plan.Columns.Count);
        var names = new List<string>(plan.Columns.Count);
        for (int i = 0; i < plan.Columns.Count; i++)
        {
            keys.Add(new ColumnReference(i, plan.Columns[i].Type, plan.Columns[i].Name));
            names.Add(plan.Columns[i].Name);
        }

        return new AggregateNode(plan, keys, names, [], []);
    }

    private static LogicalPlan CoerceColumns(LogicalPlan plan, IReadOnlyList<IArrowType> types, IReadOnlyList<string> names)
    {
        bool needed = false;
        for (int i = 0; i < types.Count; i++)
        {
            needed |= !SqlTypes.AreEqual(plan.Columns[i].Type, types[i]) || plan.Columns[i].Name != names[i];
        }

        if (!needed)
        {
            return plan;
        }

        var expressions = new List<BoundExpression>(types.Count);
        for (int i = 0; i < types.Count; i++)
        {
            expressions.Add(Coerce(new ColumnReference(i, plan.Columns[i].Type, plan.Columns[i].Name), types[i]));
        }

        return new ProjectNode(plan, expressions, names);
    }

    private static BoundExpression Coerce(BoundExpression expression, IArrowType type)
    {
        if (SqlTypes.AreEqual(expression.Type, type))
        {
            return expression;
        }

        if (expression is Literal { Value: null })
        {
            return Literal.Null(type);
        }

        return new Expressions.CastExpression(expression, type, false);
    }

    private RelationPlan BindValues(ValuesBody values)
    {
        if (values.Rows.Count == 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{values.Span}: VALUES needs at least one row");
        }

        var binder = new ExpressionBinder(Scope.Empty, _evaluator);
        int width = values.Rows[0].Values.Count;
        var rows = new List<BoundExpression[]>(values.Rows.Count);
        var types = new IArrowType[width];
        foreach (var row in values.Rows)
        {
            if (row.Values.Count != width)
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{row.Span}: VALUES rows must all have {width} values");
            }

            var bound = new BoundExpression[width];
            for (int i = 0; i < width; i++)
            {
                bound[i] = binder.Bind(row.Values[i]);
                types[i] = rows.Count == 0
                    ? bound[i].Type
                    : SqlTypes.CommonSuperType(types[i], bound[i].Type)
                        ?? throw new PlanningException(PlanningException.TypeMismatch, $"{row.Values[i].Span}: VALUES column {i + 1} mixes {SqlTypes.Display(types[i])} and {SqlTypes.Display(bound[i].Type)}");
            }

            rows.Add(bound);
        }

        var columns = new PlanColumn[width];
        for (int i = 0; i < width; i++)
        {
            if (types[i] is NullType)
            {
                types[i] = SqlTypes.Integer;
            }

            columns[i] = new PlanColumn("_col" + i, types[i]);
        }

        var coerced = new List<IReadOnlyList<BoundExpression>>(rows.Count);
        foreach (var row in rows)
        {
            var values2 = new BoundExpression[width];
            for (int i = 0; i < width; i++)
            {
                values2[i] = ConstantFolder.Fold(Coerce(row[i], types[i]), _evaluator);
            }

            coerced.Add(values2);
        }

        var plan = new ValuesNode(columns, coerced);
        return new RelationPlan(plan, ScopeOf(plan, null));
    }

    private static Scope ScopeOf(LogicalPlan plan, string? qualifier, IReadOnlyList<Identifier>? columnAliases = null, SourceSpan span = default)
    {
        var columns = plan.Columns;
        if (columnAliases is { Count: > 0 } && columnAliases.Count != columns.Count)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{span}: column alias list has {columnAliases.Count} entries but the relation has {columns.Count} columns");
        }

        var scope = new List<ScopeColumn>(columns.Count);
        for (int i = 0; i < columns.Count; i++)
        {
            var name = columnAliases is { Count: > 0 } ? columnAliases[i].Value : columns[i].Name;
            scope.Add(new ScopeColumn(qualifier, name, columns[i].Type, i));
        }

        return new Scope(scope);
    }

    private RelationPlan BindRelation(Relation relation) => relation switch
    {
        TableFunctionCall call => BindTableFunction(call),
        TableRef table => BindTableName(table.Name, table.TimeTravel, table.Alias, table.ColumnAliases),
        SubqueryRelation subquery => BindSubquery(subquery),
        Join join => BindJoin(join),
        _ => throw new PlanningException(PlanningException.NotSupported, $"{relation.Span}: this kind of FROM item is not supported"),
    };

    private RelationPlan BindSubquery(SubqueryRelation subquery)
    {
        var inner = BindQuery(subquery.Query);
        var plan = RenameColumns(inner.Plan, subquery.ColumnAliases);
        return new RelationPlan(plan, ScopeOf(plan, subquery.Alias?.Value, subquery.ColumnAliases, subquery.Span));
    }

    private static LogicalPlan RenameColumns(LogicalPlan plan, IReadOnlyList<Identifier> aliases)
    {
        if (aliases.Count == 0 || aliases.Count != plan.Columns.Count)
        {
            return plan;
        }

        var expressions = new List<BoundExpression>(aliases.Count);
        var names = new List<string>(aliases.Count);
        for (int i = 0; i < aliases.Count; i++)
        {
            expressions.Add(new ColumnReference(i, plan.Columns[i].Type, plan.Columns[i].Name));
            names.Add(aliases[i].Value);
        }

        return new ProjectNode(plan, expressions, names);
    }

    private RelationPlan BindTableName(QualifiedName name, TimeTravelClause? timeTravel, Identifier? alias, IReadOnlyList<Identifier> columnAliases)
    {
        if (name.Parts.Count == 1 && timeTravel is null)
        {
            for (int i = _ctes.Count - 1; i >= 0; i--)
            {
                if (_ctes[i].TryGetValue(name.Parts[0].Value, out var cte))
                {
                    // A CTE is bound where it is used and sees only the CTEs written before it in its own WITH.
                    var saved = _ctes.GetRange(i, _ctes.Count - i);
                    var earlier = new Dictionary<string, CommonTableExpression>(StringComparer.Ordinal);
                    foreach (var (earlierName, earlierCte) in saved[0])
                    {
                        if (ReferenceEquals(earlierCte, cte))
                        {
                            break;
                        }

                        earlier[earlierName] = earlierCte;
                    }

                    _ctes.RemoveRange(i, _ctes.Count - i);
                    _ctes.Add(earlier);
                    RelationPlan inner;
                    try
                    {
                        inner = BindQuery(cte.Query);
                    }
                    finally
                    {
                        _ctes.RemoveAt(_ctes.Count - 1);
                        _ctes.AddRange(saved);
                    }

                    var renamed = RenameColumns(inner.Plan, cte.ColumnAliases);
                    var aliased = RenameColumns(renamed, columnAliases);
                    return new RelationPlan(aliased, ScopeOf(aliased, (alias ?? name.Parts[0]).Value, null, name.Span));
                }
            }
        }

        var provider = _tables?.Find(name)
            ?? throw new PlanningException(
                PlanningException.TableNotFound,
                $"{name.Span}: table '{name.Value}' does not exist; read Iceberg tables with iceberg_scan('<table folder or metadata file>')");
        if (timeTravel is not null)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{timeTravel.Span}: table '{name.Value}' does not support time travel");
        }

        var scan = ScanOf(provider);
        return new RelationPlan(scan, ScopeOf(scan, (alias ?? name.Last).Value, columnAliases, name.Span));
    }

    private static ScanNode ScanOf(ITableProvider provider)
    {
        var indexes = new int[provider.Schema.FieldsList.Count];
        for (int i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }

        return new ScanNode(provider, indexes, null, null);
    }

    private RelationPlan BindTableFunction(TableFunctionCall call)
    {
        var function = _functions.Find(call.Name.Value)
            ?? throw new PlanningException(
                PlanningException.TableFunctionNotFound,
                $"{call.Name.Span}: table function '{call.Name.Value}' does not exist; available: {string.Join(", ", _functions.Names)}");
        var arguments = new List<object?>(call.Arguments.Count);
        foreach (var argument in call.Arguments)
        {
            arguments.Add(EvaluateConstant(argument, $"argument of {call.Name.Value}"));
        }

        TimeTravel? timeTravel = null;
        if (call.TimeTravel is { } clause)
        {
            timeTravel = BindTimeTravel(clause);
        }

        var provider = function.Resolve(arguments, timeTravel, _context);
        var scan = ScanOf(provider);
        return new RelationPlan(scan, ScopeOf(scan, call.Alias?.Value ?? call.Name.Last.Value, call.ColumnAliases, call.Span));
    }

    private TimeTravel BindTimeTravel(TimeTravelClause clause)
    {
        var bound = new ExpressionBinder(Scope.Empty, _evaluator).Bind(clause.Value);
        if (clause.Kind == TimeTravelKind.Version)
        {
            var version = _evaluator.Evaluate(bound);
            return version switch
            {
                int i => new TimeTravel((long)i, null),
                long l => new TimeTravel(l, null),
                string s => new TimeTravel(s, null),
                Int128 big when big >= long.MinValue && big <= long.MaxValue => new TimeTravel((long)big, null),
                _ => throw new PlanningException(PlanningException.InvalidArgument, $"{clause.Span}: FOR VERSION AS OF takes a snapshot id or a branch or tag name"),
            };
        }

        if (bound.Type is StringType or DateType or Date32Type)
        {
            bound = new Expressions.CastExpression(bound, SqlTypes.Timestamp, false);
        }

        if (bound.Type is not TimestampType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{clause.Span}: FOR TIMESTAMP AS OF takes a timestamp, found {SqlTypes.Display(bound.Type)}");
        }

        object? value;
        try
        {
            value = _evaluator.Evaluate(bound);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not PlanningException)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{clause.Span}: FOR TIMESTAMP AS OF: {e.Message}", e);
        }

        return value is long micros
            ? new TimeTravel(null, micros)
            : throw new PlanningException(PlanningException.InvalidArgument, $"{clause.Span}: FOR TIMESTAMP AS OF needs a non-null timestamp");
    }

    private RelationPlan BindJoin(Join join)
    {
        var left = BindRelation(join.Left);
        var right = BindRelation(join.Right);
        var type = join.Kind switch
        {
            JoinKind.Inner => JoinType.Inner,
            JoinKind.Left => JoinType.Left,
            JoinKind.Right => JoinType.Right,
            JoinKind.Full => JoinType.Full,
            _ => JoinType.Cross,
        };
        int leftWidth = left.Plan.Columns.Count;
        var combined = new List<ScopeColumn>(left.Scope.Columns.Count + right.Scope.Columns.Count);
        combined.AddRange(left.Scope.Columns);
        foreach (var column in right.Scope.Columns)
        {
            combined.Add(column with { Index = column.Index + leftWidth });
        }

        var scope = new Scope(combined);
        BoundExpression? condition = null;
        List<(int Left, int Right)> usingPairs = [];
        switch (join.Criteria)
        {
            case JoinOn on:
                condition = ConstantFolder.Fold(new ExpressionBinder(scope, _evaluator).BindBoolean(on.Condition, "JOIN condition"), _evaluator);
                break;
            case JoinUsing usingClause:
                (condition, scope, usingPairs) = BindUsing(left.Scope, right.Scope, leftWidth, NamesOf(usingClause.Columns), join.Span);
                break;
            case NaturalJoin:
                (condition, scope, usingPairs) = BindUsing(left.Scope, right.Scope, leftWidth, CommonNames(left.Scope, right.Scope), join.Span);
                break;
        }

        if (type == JoinType.Cross && condition is not null)
        {
            type = JoinType.Inner;
        }
        else if (type != JoinType.Cross && condition is null)
        {
            condition = new Literal(true, SqlTypes.Boolean);
        }

        LogicalPlan plan = new JoinNode(left.Plan, right.Plan, type, condition);
        if (usingPairs.Count > 0 && type is JoinType.Right or JoinType.Full)
        {
            (plan, scope) = CoalesceUsingColumns(plan, scope, usingPairs);
        }

        return new RelationPlan(plan, scope);
    }

    /// <summary>
    /// A USING column of a RIGHT or FULL join is the value of whichever side matched: the left column's
    /// slot becomes coalesce(left, right), so unmatched right rows still show their key.
    /// </summary>
    private static (LogicalPlan Plan, Scope Scope) CoalesceUsingColumns(LogicalPlan join, Scope scope, List<(int Left, int Right)> pairs)
    {
        var expressions = new List<BoundExpression>(join.Columns.Count);
        var names = new List<string>(join.Columns.Count);
        for (int i = 0; i < join.Columns.Count; i++)
        {
            expressions.Add(new ColumnReference(i, join.Columns[i].Type, join.Columns[i].Name));
            names.Add(join.Columns[i].Name);
        }

        var columns = new List<ScopeColumn>(scope.Columns);
        foreach (var (leftIndex, rightIndex) in pairs)
        {
            var leftType = join.Columns[leftIndex].Type;
            var rightType = join.Columns[rightIndex].Type;
            var common = SqlTypes.CommonSuperType(leftType, rightType) ?? leftType;
            expressions[leftIndex] = new CallExpression(
                ScalarFunction.Coalesce,
                [ExpressionBinder.CastTo(expressions[leftIndex], common), ExpressionBinder.CastTo(expressions[rightIndex], common)],
                common);
            for (int c = 0; c < columns.Count; c++)
            {
                if (columns[c].Index == leftIndex)
                {
                    columns[c] = columns[c] with { Type = common };
                }
            }
        }

        return (new ProjectNode(join, expressions, names), new Scope(columns));
    }

    private static List<string> NamesOf(IReadOnlyList<Identifier> identifiers)
    {
        var names = new List<string>(identifiers.Count);
        foreach (var identifier in identifiers)
        {
            names.Add(identifier.Value);
        }

        return names;
    }

    private static List<string> CommonNames(Scope left, Scope right)
    {
        var names = new List<string>();
        foreach (var column in left.Columns)
        {
            foreach (var other in right.Columns)
            {
                if (string.Equals(column.Name, other.Name, StringComparison.OrdinalIgnoreCase) && !names.Contains(column.Name))
                {
                    names.Add(column.Name);
                }
            }
        }

        return names;
    }

    private (BoundExpression? Condition, Scope Scope, List<(int Left, int Right)> Pairs) BindUsing(Scope left, Scope right, int leftWidth, List<string> names, SourceSpan span)
    {
        BoundExpression? condition = null;
        var pairs = new List<(int Left, int Right)>(names.Count);
        var hiddenRight = new HashSet<int>();
        foreach (var name in names)
        {
            var identifier = new Identifier(name, true);
            var leftColumn = left.Find(null, identifier)
                ?? throw new PlanningException(PlanningException.ColumnNotFound, $"{span}: column '{name}' of USING is missing on the left side of the join");
            var rightColumn = right.Find(null, identifier)
                ?? throw new PlanningException(PlanningException.ColumnNotFound, $"{span}: column '{name}' of USING is missing on the right side of the join");
            var equal = ExpressionBinder.BindComparison(
                ScalarFunction.Equal,
                new ColumnReference(leftColumn.Index, leftColumn.Type, leftColumn.Name),
                new ColumnReference(rightColumn.Index + leftWidth, rightColumn.Type, rightColumn.Name),
                span);
            condition = condition is null ? equal : new CallExpression(ScalarFunction.And, [condition, equal], SqlTypes.Boolean);
            hiddenRight.Add(rightColumn.Index);
            pairs.Add((leftColumn.Index, rightColumn.Index + leftWidth));
        }

        var columns = new List<ScopeColumn>(left.Columns.Count + right.Columns.Count);
        columns.AddRange(left.Columns);
        foreach (var column in right.Columns)
        {
            if (!hiddenRight.Contains(column.Index))
            {
                columns.Add(column with { Index = column.Index + leftWidth });
            }
        }

        return (condition, new Scope(columns), pairs);
    }

    private RelationPlan BindSpecification(QuerySpecification specification, IReadOnlyList<SortItem> orderBy)
    {
        RelationPlan from;
        if (specification.From is null)
        {
            var single = new ValuesNode([], [[]]);
            from = new RelationPlan(single, Scope.Empty);
        }
        else
        {
            from = BindRelation(specification.From);
        }

        var plan = from.Plan;
        if (specification.Where is not null)
        {
            if (ExpressionBinder.ContainsAggregate(specification.Where))
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{specification.Where.Span}: WHERE cannot contain aggregate functions");
            }

            WindowBinder.RejectWindowCalls(specification.Where, "WHERE");

            var predicate = BinderFor(from.Scope).BindBoolean(specification.Where, "WHERE clause");
            (plan, var remaining) = PlanFilterSubqueries(plan, predicate);
            if (remaining is not null)
            {
                plan = new FilterNode(plan, ConstantFolder.Fold(remaining, _evaluator));
            }
        }

        var windows = new WindowBinder(specification.Windows, _evaluator);

        var items = ExpandSelectItems(specification.SelectItems, from.Scope);
        bool aggregated = specification.GroupBy is not null || specification.Having is not null || AnyAggregate(items, orderBy);

        ExpressionBinder binder;
        AggregationContext? aggregation = null;
        List<List<int>>? groupingSets = null;
        if (aggregated)
        {
            aggregation = new AggregationContext(from.Scope, _evaluator);
            if (specification.GroupBy is { } groupBy)
            {
                groupingSets = AddGroupKeys(groupBy, items, aggregation);
            }

            binder = BinderFor(Scope.Empty, aggregation);
        }
        else
        {
            binder = BinderFor(from.Scope);
        }

        binder.Windows = windows;

        if (aggregation is not null)
        {
            // SELECT * over a grouped query: each column must be a group key, and then reads that key.
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i].Bound is not ColumnReference column)
                {
                    continue;
                }

                int key = aggregation.Keys.FindIndex(k => k is ColumnReference reference && reference.Index == column.Index);
                if (key < 0)
                {
                    throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{specification.Span}: column '{column.Name}' of SELECT * must appear in GROUP BY clause or be used in an aggregate function");
                }

                items[i] = items[i] with { Bound = new ColumnReference(key, column.Type, column.Name) };
            }
        }

        var selectExpressions = new List<BoundExpression>(items.Count);
        var selectNames = new List<string>(items.Count);
        foreach (var item in items)
        {
            selectExpressions.Add(FoldUnlessSubquery(item.Bound ?? binder.Bind(item.Expression!)));
            selectNames.Add(item.Name);
        }

        BoundExpression? having = null;
        if (specification.Having is not null)
        {
            WindowBinder.RejectWindowCalls(specification.Having, "HAVING");
            having = FoldUnlessSubquery(binder.BindBoolean(specification.Having, "HAVING clause"));
        }

        // ORDER BY items: a select output (by ordinal or alias) or an expression over the select's input.
        var sortTargets = new List<(int? Output, BoundExpression? Extra, SortItem Item)>(orderBy.Count);
        foreach (var item in orderBy)
        {
            int? output = ResolveOutputReference(item.Expression, selectNames, specification.Distinct);
            if (output is not null)
            {
                sortTargets.Add((output, null, item));
                continue;
            }

            var bound = FoldUnlessSubquery(binder.Bind(item.Expression));
            int match = IndexOfEquivalent(selectExpressions, bound);
            if (match >= 0)
            {
                sortTargets.Add((match, null, item));
            }
            else if (specification.Distinct)
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{item.Span}: for SELECT DISTINCT, ORDER BY expressions must appear in the select list");
            }
            else
            {
                sortTargets.Add((null, bound, item));
            }
        }

        if (aggregation is not null)
        {
            plan = groupingSets is null
                ? new AggregateNode(plan, aggregation.Keys, aggregation.KeyNames, aggregation.Aggregates, AggregateNames(aggregation.Aggregates))
                : GroupingSetsAggregate(plan, aggregation, groupingSets);
        }

        if (having is not null)
        {
            (plan, having) = PlanFilterSubqueries(plan, having);
            if (having is not null)
            {
                plan = new FilterNode(plan, ConstantFolder.Fold(having, _evaluator));
            }
        }

        var projected = new List<BoundExpression>(selectExpressions);
        var projectedNames = new List<string>(selectNames);
        var sortKeys = new List<SortKey>(sortTargets.Count);
        foreach (var (output, extra, item) in sortTargets)
        {
            int index;
            if (output is { } position)
            {
                index = position;
            }
            else
            {
                index = projected.Count;
                projected.Add(extra!);
                projectedNames.Add("$order" + index);
            }

            bool ascending = item.Direction == SortDirection.Ascending;
            bool nullsFirst = NullsFirst(item);
            sortKeys.Add(new SortKey(new ColumnReference(index, projected[index].Type, projectedNames[index]), ascending, nullsFirst));
        }

        plan = windows.Apply(plan, projected);
        if (AnySubquery(projected))
        {
            (plan, projected) = SubqueryPlanner.PlanExpressions(plan, projected, _evaluator);
            for (int i = 0; i < projected.Count; i++)
            {
                projected[i] = ConstantFolder.Fold(projected[i], _evaluator);
            }
        }

        plan = new ProjectNode(plan, projected, projectedNames);
        if (specification.Distinct)
        {
            plan = DistinctOf(plan);
        }

        if (sortKeys.Count > 0)
        {
            plan = new SortNode(plan, sortKeys);
        }

        if (projected.Count > selectExpressions.Count)
        {
            var trimmed = new List<BoundExpression>(selectExpressions.Count);
            for (int i = 0; i < selectExpressions.Count; i++)
            {
                trimmed.Add(new ColumnReference(i, projected[i].Type, projectedNames[i]));
            }

            plan = new ProjectNode(plan, trimmed, selectNames);
        }

        return new RelationPlan(plan, ScopeOf(plan, null));
    }

    private BoundExpression FoldUnlessSubquery(BoundExpression expression) =>
        SubqueryPlanner.Contains(expression) ? expression : ConstantFolder.Fold(expression, _evaluator);

    private static bool AnySubquery(List<BoundExpression> expressions)
    {
        foreach (var expression in expressions)
        {
            if (SubqueryPlanner.Contains(expression))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOfEquivalent(List<BoundExpression> expressions, BoundExpression target)
    {
        var text = target.ToString();
        for (int i = 0; i < expressions.Count; i++)
        {
            if (expressions[i].ToString() == text && SqlTypes.AreEqual(expressions[i].Type, target.Type))
            {
                return i;
            }
        }

        return -1;
    }

    private static int? ResolveOutputReference(Expression expression, List<string> names, bool distinct)
    {
        if (expression is IntegerLiteral ordinal)
        {
            if (!ordinal.TryGetInt64(out long position) || position < 1 || position > names.Count)
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{ordinal.Span}: ORDER BY position {ordinal.Text} is not in the select list (1..{names.Count})");
            }

            return (int)position - 1;
        }

        if (expression is ColumnRef { Name.Parts.Count: 1 } column)
        {
            int found = -1;
            for (int i = 0; i < names.Count; i++)
            {
                if (column.Name.Parts[0].Matches(names[i]))
                {
                    if (found >= 0 && !distinct)
                    {
                        throw new PlanningException(PlanningException.AmbiguousName, $"{column.Span}: ORDER BY '{column.Name.Parts[0].Text}' is ambiguous");
                    }

                    found = i;
                }
            }

            return found >= 0 ? found : null;
        }

        return null;
    }

    private static List<string> AggregateNames(List<AggregateCall> aggregates)
    {
        var names = new List<string>(aggregates.Count);
        foreach (var aggregate in aggregates)
        {
            names.Add(aggregate.ToString());
        }

        return names;
    }

    /// <summary>
    /// Adds the GROUP BY keys to <paramref name="aggregation"/>. With GROUPING SETS, ROLLUP or CUBE it returns
    /// the grouping sets as lists of key positions (the cross product of the elements' sets, as in Trino),
    /// and adds a hidden last key that tells the sets apart; for plain GROUP BY it returns null.
    /// </summary>
    private List<List<int>>? AddGroupKeys(GroupBy groupBy, List<SelectEntry> items, AggregationContext aggregation)
    {
        bool plain = true;
        foreach (var element in groupBy.Elements)
        {
            plain &= element is SimpleGroupBy;
        }

        if (plain)
        {
            foreach (var element in groupBy.Elements)
            {
                AddGroupKey(((SimpleGroupBy)element).Expression, items, aggregation);
            }

            return null;
        }

        // Each element contributes a list of alternative sets (of AST expressions); the query's sets are their cross product.
        var product = new List<List<int>> { new() };
        foreach (var element in groupBy.Elements)
        {
            var alternatives = new List<List<int>>();
            foreach (var set in SetsOf(element))
            {
                var keys = new List<int>(set.Count);
                foreach (var expression in set)
                {
                    keys.Add(AddGroupKey(expression, items, aggregation));
                }

                alternatives.Add(keys);
            }

            var next = new List<List<int>>(product.Count * alternatives.Count);
            foreach (var prefix in product)
            {
                foreach (var alternative in alternatives)
                {
                    var combined = new List<int>(prefix);
                    foreach (int key in alternative)
                    {
                        if (!combined.Contains(key))
                        {
                            combined.Add(key);
                        }
                    }

                    next.Add(combined);
                }
            }

            product = next;
        }

        if (groupBy.Distinct)
        {
            var distinct = new List<List<int>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var set in product)
            {
                var sorted = new List<int>(set);
                sorted.Sort();
                if (seen.Add(string.Join(',', sorted)))
                {
                    distinct.Add(set);
                }
            }

            product = distinct;
        }

        if (product.Count > 4096)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{groupBy.Span}: GROUP BY expands to {product.Count} grouping sets; at most 4096 are allowed");
        }

        aggregation.AddKey(Literal.Null(SqlTypes.BigInt), GroupingSetKeyName);
        return product;
    }

    private const string GroupingSetKeyName = "$grouping_set";

    private static List<IReadOnlyList<Expression>> SetsOf(GroupingElement element)
    {
        var sets = new List<IReadOnlyList<Expression>>();
        switch (element)
        {
            case SimpleGroupBy simple:
                sets.Add([simple.Expression]);
                break;
            case GroupingSets groupingSets:
                sets.AddRange(groupingSets.Sets);
                break;
            case Rollup rollup:
                for (int length = rollup.Expressions.Count; length >= 0; length--)
                {
                    var set = new List<Expression>(length);
                    for (int i = 0; i < length; i++)
                    {
                        set.Add(rollup.Expressions[i]);
                    }

                    sets.Add(set);
                }

                break;
            case Cube cube:
            {
                int n = cube.Expressions.Count;
                if (n > 12)
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{cube.Span}: CUBE supports at most 12 expressions");
                }

                for (int mask = (1 << n) - 1; mask >= 0; mask--)
                {
                    var set = new List<Expression>();
                    for (int i = 0; i < n; i++)
                    {
                        if ((mask & (1 << (n - 1 - i))) != 0)
                        {
                            set.Add(cube.Expressions[i]);
                        }
                    }

                    sets.Add(set);
                }

                break;
            }

            default:
                throw new PlanningException(PlanningException.NotSupported, $"{element.Span}: this GROUP BY element is not supported");
        }

        return sets;
    }

    /// <summary>
    /// One aggregation over the input repeated once per grouping set, where the keys outside the set are
    /// NULL and a hidden key holds the set's number, so groups of different sets never merge.
    /// </summary>
    private static AggregateNode GroupingSetsAggregate(LogicalPlan input, AggregationContext aggregation, List<List<int>> sets)
    {
        int width = input.Columns.Count;
        int keyCount = aggregation.Keys.Count - 1;
        var branches = new List<LogicalPlan>(sets.Count);
        for (int setIndex = 0; setIndex < sets.Count; setIndex++)
        {
            var expressions = new List<BoundExpression>(width + keyCount + 1);
            var names = new List<string>(width + keyCount + 1);
            for (int i = 0; i < width; i++)
            {
                expressions.Add(new ColumnReference(i, input.Columns[i].Type, input.Columns[i].Name));
                names.Add(input.Columns[i].Name);
            }

            for (int k = 0; k < keyCount; k++)
            {
                var key = aggregation.Keys[k];
                expressions.Add(sets[setIndex].Contains(k) ? key : Literal.Null(key.Type));
                names.Add(aggregation.KeyNames[k]);
            }

            expressions.Add(new Literal((long)setIndex, SqlTypes.BigInt));
            names.Add(GroupingSetKeyName);
            branches.Add(new ProjectNode(input, expressions, names));
        }

        LogicalPlan repeated = branches.Count == 1 ? branches[0] : new UnionNode(branches);
        var keys = new List<BoundExpression>(keyCount + 1);
        for (int k = 0; k <= keyCount; k++)
        {
            var column = repeated.Columns[width + k];
            keys.Add(new ColumnReference(width + k, column.Type, column.Name));
        }

        return new AggregateNode(repeated, keys, aggregation.KeyNames, aggregation.Aggregates, AggregateNames(aggregation.Aggregates));
    }

    private int AddGroupKey(Expression expression, List<SelectEntry> items, AggregationContext aggregation)
    {
        {
            if (expression is IntegerLiteral ordinal)
            {
                if (!ordinal.TryGetInt64(out long position) || position < 1 || position > items.Count || items[(int)position - 1].Expression is null)
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{ordinal.Span}: GROUP BY position {ordinal.Text} is not in the select list");
                }

                expression = items[(int)position - 1].Expression!;
            }

            if (ExpressionBinder.ContainsAggregate(expression))
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{expression.Span}: GROUP BY cannot contain aggregate functions");
            }

            BoundExpression key;
            try
            {
                key = aggregation.FromBinder.Bind(expression);
            }
            catch (PlanningException e) when (e.Code == PlanningException.ColumnNotFound && expression is ColumnRef { Name.Parts.Count: 1 } alias)
            {
                // GROUP BY may name a select alias, as in Trino's lenient mode and DuckDB.
                var aliased = FindAlias(items, alias.Name.Parts[0]);
                if (aliased is null || ExpressionBinder.ContainsAggregate(aliased))
                {
                    throw;
                }

                key = aggregation.FromBinder.Bind(aliased);
            }

            var name = key is ColumnReference reference ? reference.Name : "_key" + aggregation.Keys.Count;
            return aggregation.AddKey(ConstantFolder.Fold(key, _evaluator), name);
        }
    }

    private static Expression? FindAlias(List<SelectEntry> items, Identifier name)
    {
        foreach (var item in items)
        {
            if (item.Expression is not null && name.Matches(item.Name))
            {
                return item.Expression;
            }
        }

        return null;
    }

    private static bool AnyAggregate(List<SelectEntry> items, IReadOnlyList<SortItem> orderBy)
    {
        foreach (var item in items)
        {
            if (item.Expression is not null && ExpressionBinder.ContainsAggregate(item.Expression))
            {
                return true;
            }
        }

        foreach (var item in orderBy)
        {
            if (ExpressionBinder.ContainsAggregate(item.Expression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A select list entry: an AST expression, or an already bound column from <c>*</c>.</summary>
    private sealed record SelectEntry(Expression? Expression, BoundExpression? Bound, string Name);

    private static List<SelectEntry> ExpandSelectItems(IReadOnlyList<SelectItem> selectItems, Scope scope)
    {
        var entries = new List<SelectEntry>(selectItems.Count);
        int position = 0;
        foreach (var item in selectItems)
        {
            switch (item)
            {
                case AllColumns all:
                {
                    int before = entries.Count;
                    foreach (var column in scope.Columns)
                    {
                        if (all.Qualifier is not null && (column.Qualifier is null || !all.Qualifier.Last.Matches(column.Qualifier)))
                        {
                            continue;
                        }

                        entries.Add(new SelectEntry(null, new ColumnReference(column.Index, column.Type, column.Name), column.Name));
                    }

                    if (all.Qualifier is not null && entries.Count == before)
                    {
                        throw new PlanningException(PlanningException.ColumnNotFound, $"{all.Span}: no relation named '{all.Qualifier.Value}' in FROM");
                    }

                    if (all.Qualifier is null && entries.Count == before)
                    {
                        throw new PlanningException(PlanningException.InvalidArgument, $"{all.Span}: SELECT * needs a FROM clause");
                    }

                    break;
                }

                case SelectExpression expression:
                    entries.Add(new SelectEntry(expression.Expression, null, expression.Alias?.Value ?? DeriveName(expression.Expression, position)));
                    break;
            }

            position++;
        }

        return entries;
    }

    private static string DeriveName(Expression expression, int position) => expression switch
    {
        ColumnRef column => column.Name.Last.Value,
        DereferenceExpression dereference => dereference.Field.Value,
        FunctionCall call => call.Name.Last.Value,
        _ => "_col" + position,
    };

    private RelationPlan BindOrderOverOutput(RelationPlan relation, IReadOnlyList<SortItem> orderBy)
    {
        var names = new List<string>(relation.Plan.Columns.Count);
        foreach (var column in relation.Plan.Columns)
        {
            names.Add(column.Name);
        }

        var keys = new List<SortKey>(orderBy.Count);
        var binder = new ExpressionBinder(relation.Scope, _evaluator);
        foreach (var item in orderBy)
        {
            var expression = ResolveOutputReference(item.Expression, names, false) is { } index
                ? new ColumnReference(index, relation.Plan.Columns[index].Type, names[index])
                : binder.Bind(item.Expression);
            keys.Add(new SortKey(expression, item.Direction == SortDirection.Ascending, NullsFirst(item)));
        }

        return relation with { Plan = new SortNode(relation.Plan, keys) };
    }
}
