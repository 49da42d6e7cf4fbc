namespace Lakehouse.Sql.Ast;

/// <summary>An item of a FROM clause. Aliases are null and column-alias lists empty when not given.</summary>
public abstract record Relation : Node;

public enum TimeTravelKind
{
    Version,
    Timestamp,
}

/// <summary><c>FOR VERSION AS OF expr</c> or <c>FOR TIMESTAMP AS OF expr</c> (also <c>FOR SYSTEM_VERSION / SYSTEM_TIME</c>).</summary>
public sealed record TimeTravelClause(TimeTravelKind Kind, Expression Value) : Node;

public sealed record TableRef(
    QualifiedName Name,
    TimeTravelClause? TimeTravel,
    Identifier? Alias,
    IReadOnlyList<Identifier> ColumnAliases) : Relation;

/// <summary>A table-valued function in FROM, e.g. <c>iceberg_scan('path') FOR VERSION AS OF 1 AS t</c>.</summary>
public sealed record TableFunctionCall(
    QualifiedName Name,
    IReadOnlyList<Expression> Arguments,
    TimeTravelClause? TimeTravel,
    Identifier? Alias,
    IReadOnlyList<Identifier> ColumnAliases) : Relation;

/// <summary>A parenthesized query in FROM, including <c>(VALUES ...) v(x)</c>.</summary>
public sealed record SubqueryRelation(Query Query, Identifier? Alias, IReadOnlyList<Identifier> ColumnAliases) : Relation;

/// <summary><c>LATERAL (query) [alias]</c>.</summary>
public sealed record LateralRelation(Query Query, Identifier? Alias, IReadOnlyList<Identifier> ColumnAliases) : Relation;

/// <summary><c>UNNEST(expr, ...) [WITH ORDINALITY] [alias [(columns)]]</c>.</summary>
public sealed record UnnestRelation(
    IReadOnlyList<Expression> Arguments,
    bool WithOrdinality,
    Identifier? Alias,
    IReadOnlyList<Identifier> ColumnAliases) : Relation;

public enum JoinKind
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// <summary>
/// A join. <see cref="Criteria"/> is null only for CROSS joins (including comma-separated FROM items).
/// A parenthesized join tree such as <c>(a JOIN b ON ...)</c> parses to the inner join itself.
/// </summary>
public sealed record Join(JoinKind Kind, Relation Left, Relation Right, JoinCriteria? Criteria) : Relation;

public abstract record JoinCriteria : Node;

public sealed record JoinOn(Expression Condition) : JoinCriteria;

public sealed record JoinUsing(IReadOnlyList<Identifier> Columns) : JoinCriteria;

public sealed record NaturalJoin : JoinCriteria;
