namespace Lakehouse.Sql.Ast;

/// <summary>
/// A full query: optional WITH, a body, then ORDER BY / OFFSET / LIMIT (or FETCH FIRST).
/// <see cref="Limit"/> is null when absent or for <c>LIMIT ALL</c>; <c>FETCH FIRST ROW ONLY</c> gives a limit of 1.
/// </summary>
public sealed record Query(
    With? With,
    QueryBody Body,
    IReadOnlyList<SortItem> OrderBy,
    Expression? Offset,
    Expression? Limit,
    bool WithTies) : Node;

public sealed record With(bool Recursive, IReadOnlyList<CommonTableExpression> Queries) : Node;

/// <summary><c>name [(column, ...)] AS (query)</c>; <see cref="ColumnAliases"/> is empty when no list was given.</summary>
public sealed record CommonTableExpression(Identifier Name, IReadOnlyList<Identifier> ColumnAliases, Query Query) : Node;

public abstract record QueryBody : Node;

/// <summary>A SELECT block. <see cref="From"/> is null for <c>SELECT 1</c>; a comma-separated FROM list becomes cross joins.</summary>
public sealed record QuerySpecification(
    bool Distinct,
    IReadOnlyList<SelectItem> SelectItems,
    Relation? From,
    Expression? Where,
    GroupBy? GroupBy,
    Expression? Having,
    IReadOnlyList<WindowDefinition> Windows) : QueryBody;

public enum SetOperator
{
    Union,
    Intersect,
    Except,
}

/// <summary>UNION / INTERSECT / EXCEPT. <see cref="All"/> is false for the default DISTINCT semantics.</summary>
public sealed record SetOperation(SetOperator Operator, bool All, QueryBody Left, QueryBody Right) : QueryBody;

/// <summary><c>VALUES (1, 'a'), (2, 'b')</c>; <c>VALUES 1, 2</c> gives one-value rows.</summary>
public sealed record ValuesBody(IReadOnlyList<ValuesRow> Rows) : QueryBody;

public sealed record ValuesRow(IReadOnlyList<Expression> Values) : Node;

/// <summary>A parenthesized query used as a query body, e.g. the operands of <c>(SELECT ... LIMIT 1) UNION (...)</c>.</summary>
public sealed record TableSubqueryBody(Query Query) : QueryBody;

/// <summary><c>TABLE name</c>: shorthand for <c>SELECT * FROM name</c>.</summary>
public sealed record TableBody(QualifiedName Name) : QueryBody;

public abstract record SelectItem : Node;

public sealed record SelectExpression(Expression Expression, Identifier? Alias) : SelectItem;

/// <summary><c>*</c> (Qualifier null) or <c>t.*</c>.</summary>
public sealed record AllColumns(QualifiedName? Qualifier) : SelectItem;

/// <summary><c>GROUP BY [ALL|DISTINCT] element, ...</c>. Ordinals (<c>GROUP BY 1</c>) stay integer literals.</summary>
public sealed record GroupBy(bool Distinct, IReadOnlyList<GroupingElement> Elements) : Node;

public abstract record GroupingElement : Node;

public sealed record SimpleGroupBy(Expression Expression) : GroupingElement;

/// <summary><c>GROUPING SETS ((a, b), (a), ())</c>.</summary>
public sealed record GroupingSets(IReadOnlyList<IReadOnlyList<Expression>> Sets) : GroupingElement;

public sealed record Rollup(IReadOnlyList<Expression> Expressions) : GroupingElement;

public sealed record Cube(IReadOnlyList<Expression> Expressions) : GroupingElement;

public enum SortDirection
{
    Ascending,
    Descending,
}

public enum NullOrdering
{
    Unspecified,
    First,
    Last,
}

public sealed record SortItem(Expression Expression, SortDirection Direction, NullOrdering NullOrdering) : Node
{
    public bool Descending => Direction == SortDirection.Descending;
}

/// <summary><c>WINDOW name AS (spec)</c> in a SELECT block.</summary>
public sealed record WindowDefinition(Identifier Name, WindowSpec Spec) : Node;
