namespace Lakehouse.Sql.Ast;

public abstract record Statement : Node;

public sealed record QueryStatement(Query Query) : Statement;

/// <summary><c>EXPLAIN [ANALYZE [VERBOSE]] [(FORMAT x, TYPE y)] statement</c>. Format and Type are upper-cased option values.</summary>
public sealed record ExplainStatement(Statement Statement, bool Analyze, bool Verbose, string? Format, string? Type) : Statement;

/// <summary>A <c>name = value</c> entry of a <c>WITH (...)</c> property list.</summary>
public sealed record Property(Identifier Name, Expression Value) : Node;

public sealed record ColumnDefinition(Identifier Name, DataTypeSyntax Type, bool Nullable, string? Comment) : Node;

public sealed record CreateTableStatement(
    QualifiedName Name,
    IReadOnlyList<ColumnDefinition> Columns,
    bool IfNotExists,
    string? Comment,
    IReadOnlyList<Property> Properties) : Statement;

/// <summary><c>CREATE TABLE [IF NOT EXISTS] name [(col, ...)] [COMMENT '...'] [WITH (props)] AS query [WITH [NO] DATA]</c>.</summary>
public sealed record CreateTableAsStatement(
    QualifiedName Name,
    IReadOnlyList<Identifier> ColumnAliases,
    Query Query,
    bool IfNotExists,
    string? Comment,
    IReadOnlyList<Property> Properties,
    bool WithData) : Statement;

/// <summary><c>INSERT INTO name [(columns)] query</c>; <see cref="Columns"/> is empty when no column list was given.</summary>
public sealed record InsertStatement(QualifiedName Target, IReadOnlyList<Identifier> Columns, Query Query) : Statement;

public sealed record DeleteStatement(QualifiedName Target, Expression? Where) : Statement;

public sealed record DropTableStatement(QualifiedName Name, bool IfExists) : Statement;

/// <summary><c>SHOW TABLES [FROM|IN schema] [LIKE 'pattern']</c>.</summary>
public sealed record ShowTablesStatement(QualifiedName? Schema, string? LikePattern) : Statement;

/// <summary><c>SHOW SCHEMAS [FROM|IN catalog] [LIKE 'pattern']</c>.</summary>
public sealed record ShowSchemasStatement(Identifier? Catalog, string? LikePattern) : Statement;

public sealed record ShowCatalogsStatement(string? LikePattern) : Statement;

/// <summary><c>SHOW COLUMNS FROM t</c>, <c>DESCRIBE t</c> and <c>DESC t</c> all produce this node.</summary>
public sealed record ShowColumnsStatement(QualifiedName Table) : Statement;

/// <summary><c>SHOW CREATE TABLE t</c>.</summary>
public sealed record ShowCreateTableStatement(QualifiedName Table) : Statement;

/// <summary><c>SET SESSION name = value</c>.</summary>
public sealed record SetSessionStatement(QualifiedName Name, Expression Value) : Statement;

public sealed record ResetSessionStatement(QualifiedName Name) : Statement;

/// <summary><c>USE schema</c> or <c>USE catalog.schema</c>; <see cref="Catalog"/> is null in the first form.</summary>
public sealed record UseStatement(Identifier? Catalog, Identifier Schema) : Statement;
