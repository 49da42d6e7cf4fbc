using Lakehouse.Planning.Expressions;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding;

/// <summary>Binds subqueries met inside expressions, and columns of enclosing queries (correlations).</summary>
public interface ISubqueryBinder
{
    /// <summary>Binds IN/EXISTS/scalar/quantified subquery <paramref name="expression"/> appearing in an expression over <paramref name="scope"/>.</summary>
    BoundExpression BindSubquery(Expression expression, Scope scope, ExpressionBinder binder);

    /// <summary>Resolves a column the current query does not have against the enclosing query, or returns null.</summary>
    BoundExpression? ResolveOuter(ColumnRef column);
}
