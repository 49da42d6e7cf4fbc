using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding;

/// <summary>Subqueries in expressions: binding with access to the enclosing query's columns.</summary>
public sealed partial class QueryBinder : ISubqueryBinder
{
    private readonly List<Scope> _outerScopes = [];

    private ExpressionBinder BinderFor(Scope scope, AggregationContext? aggregation = null) =>
        new(scope, _evaluator, aggregation) { Subqueries = this };

    BoundExpression ISubqueryBinder.BindSubquery(Expression expression, Scope scope, ExpressionBinder binder)
    {
        var query = expression switch
        {
            InSubqueryExpression inSubquery => inSubquery.Subquery,
            ExistsExpression exists => exists.Subquery,
            ScalarSubquery scalar => scalar.Query,
            QuantifiedComparison quantified => quantified.Subquery,
            _ => throw new PlanningException(PlanningException.NotSupported, $"{expression.Span}: unexpected subquery form"),
        };

        // The operand belongs to the enclosing query: bind it before entering the subquery's scope.
        var operand = expression switch
        {
            InSubqueryExpression inSubquery => binder.Bind(inSubquery.Operand),
            QuantifiedComparison quantified => binder.Bind(quantified.Operand),
            _ => null,
        };

        LogicalPlan plan;
        _outerScopes.Add(scope);
        try
        {
            plan = BindQuery(query).Plan;
        }
        finally
        {
            _outerScopes.RemoveAt(_outerScopes.Count - 1);
        }

        if (expression is ExistsExpression)
        {
            return new SubqueryExpression(SubqueryKind.Exists, plan, null, ScalarFunction.Equal, SqlTypes.Boolean);
        }

        if (plan.Columns.Count != 1)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{query.Span}: subquery must return exactly one column, it returns {plan.Columns.Count}");
        }

        if (expression is ScalarSubquery)
        {
            return new SubqueryExpression(SubqueryKind.Scalar, plan, null, ScalarFunction.Equal, plan.Columns[0].Type);
        }

        var (kind, comparison) = expression switch
        {
            InSubqueryExpression { Negated: false } => (SubqueryKind.Any, ScalarFunction.Equal),
            InSubqueryExpression { Negated: true } => (SubqueryKind.All, ScalarFunction.NotEqual),
            QuantifiedComparison quantified => (quantified.Quantifier == Quantifier.All ? SubqueryKind.All : SubqueryKind.Any, ComparisonOf(quantified.Operator, quantified.Span)),
            _ => throw new PlanningException(PlanningException.NotSupported, $"{expression.Span}: unexpected subquery form"),
        };

        // Coerce both sides to their common type: the operand in place, the subquery's column by a projection.
        var column = new ColumnReference(0, plan.Columns[0].Type, plan.Columns[0].Name);
        var compared = (CallExpression)ExpressionBinder.BindComparison(comparison, operand!, column, expression.Span);
        var coercedColumn = compared.Arguments[1];
        if (!ReferenceEquals(coercedColumn, column))
        {
            plan = new ProjectNode(plan, [coercedColumn], [plan.Columns[0].Name]);
        }

        return new SubqueryExpression(kind, plan, compared.Arguments[0], comparison, SqlTypes.Boolean);
    }

    private static ScalarFunction ComparisonOf(BinaryOperator op, SourceSpan span) => op switch
    {
        BinaryOperator.Equal => ScalarFunction.Equal,
        BinaryOperator.NotEqual => ScalarFunction.NotEqual,
        BinaryOperator.LessThan => ScalarFunction.LessThan,
        BinaryOperator.LessThanOrEqual => ScalarFunction.LessThanOrEqual,
        BinaryOperator.GreaterThan => ScalarFunction.GreaterThan,
        BinaryOperator.GreaterThanOrEqual => ScalarFunction.GreaterThanOrEqual,
        _ => throw new PlanningException(PlanningException.InvalidArgument, $"{span}: ANY/ALL needs a comparison operator"),
    };

    BoundExpression? ISubqueryBinder.ResolveOuter(ColumnRef column)
    {
        for (int depth = _outerScopes.Count - 1; depth >= 0; depth--)
        {
            var found = FindInScope(_outerScopes[depth], column.Name.Parts);
            if (found is null)
            {
                continue;
            }

            if (depth != _outerScopes.Count - 1)
            {
                throw new PlanningException(
                    PlanningException.NotSupported,
                    $"{column.Span}: column '{column}' belongs to a query two or more levels out; only references to the directly enclosing query are supported");
            }

            return new OuterColumnReference(found.Index, found.Type, found.Name);
        }

        return null;
    }

    private static ScopeColumn? FindInScope(Scope scope, IReadOnlyList<Identifier> parts) => parts.Count switch
    {
        1 => scope.Find(null, parts[0]),
        2 when scope.HasQualifier(parts[0]) => scope.Find(parts[0], parts[1]),
        > 2 when scope.HasQualifier(parts[^2]) => scope.Find(parts[^2], parts[^1]),
        _ => null,
    };

    /// <summary>Replaces the subqueries of a WHERE/HAVING predicate by joins; returns the new input and what remains to filter.</summary>
    private (LogicalPlan Plan, BoundExpression? Predicate) PlanFilterSubqueries(LogicalPlan plan, BoundExpression predicate) =>
        SubqueryPlanner.PlanFilter(plan, predicate, _evaluator);
}
