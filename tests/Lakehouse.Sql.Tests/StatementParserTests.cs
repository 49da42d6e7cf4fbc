using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class StatementParserTests
{
    [Fact]
    public void ExplainVariants()
    {
        var explain = Assert.IsType<ExplainStatement>(SqlParser.Parse("EXPLAIN SELECT 1"));
        Assert.False(explain.Analyze);
        Assert.IsType<QueryStatement>(explain.Statement);

        var analyze = Assert.IsType<ExplainStatement>(SqlParser.Parse("explain analyze verbose select 1"));
        Assert.True(analyze.Analyze);
        Assert.True(analyze.Verbose);

        var options = Assert.IsType<ExplainStatement>(SqlParser.Parse("EXPLAIN (FORMAT json, TYPE distributed) SELECT 1"));
        Assert.Equal(("JSON", "DISTRIBUTED"), (options.Format, options.Type));

        var parenthesizedQuery = Assert.IsType<ExplainStatement>(SqlParser.Parse("EXPLAIN (SELECT 1)"));
        Assert.Null(parenthesizedQuery.Format);
        Assert.IsType<QueryStatement>(parenthesizedQuery.Statement);
    }

    [Fact]
    public void CreateTableWithColumnsAndProperties()
    {
        var create = Assert.IsType<CreateTableStatement>(SqlParser.Parse(
            "CREATE TABLE IF NOT EXISTS db.events (id bigint NOT NULL, name varchar COMMENT 'who', amount decimal(38, 2), ts timestamp(6) with time zone, tags array(varchar), attrs map(varchar, integer), loc row(lat double, lon double)) "
            + "COMMENT 'events' WITH (format = 'PARQUET', partitioning = ARRAY['day(ts)'])"));
        Assert.True(create.IfNotExists);
        Assert.Equal("db.events", create.Name.Value);
        Assert.Equal(7, create.Columns.Count);
        Assert.False(create.Columns[0].Nullable);
        Assert.True(create.Columns[1].Nullable);
        Assert.Equal("who", create.Columns[1].Comment);
        Assert.Equal(new long[] { 38, 2 }, create.Columns[2].Type.Parameters);
        Assert.Equal("timestamp with time zone", create.Columns[3].Type.Name);
        Assert.Equal("row", create.Columns[6].Type.Name);
        Assert.Equal("events", create.Comment);
        Assert.Equal(new[] { "format", "partitioning" }, create.Properties.Select(property => property.Name.Value));
        Assert.IsType<ArrayConstructor>(create.Properties[1].Value);
    }

    [Fact]
    public void CreateTableAsSelect()
    {
        var plain = Assert.IsType<CreateTableAsStatement>(SqlParser.Parse("CREATE TABLE t AS SELECT * FROM u"));
        Assert.Empty(plain.ColumnAliases);
        Assert.True(plain.WithData);
        Assert.False(plain.IfNotExists);

        var full = Assert.IsType<CreateTableAsStatement>(SqlParser.Parse(
            "CREATE TABLE IF NOT EXISTS t (a, b) WITH (format = 'PARQUET') AS (SELECT 1, 2) WITH NO DATA"));
        Assert.Equal(2, full.ColumnAliases.Count);
        Assert.Single(full.Properties);
        Assert.False(full.WithData);
        Assert.True(full.IfNotExists);
    }

    [Fact]
    public void InsertDeleteDrop()
    {
        var insert = Assert.IsType<InsertStatement>(SqlParser.Parse("INSERT INTO db.t (a, b) SELECT x, y FROM u"));
        Assert.Equal(2, insert.Columns.Count);
        var values = Assert.IsType<InsertStatement>(SqlParser.Parse("INSERT INTO t VALUES (1, 'a'), (2, 'b')"));
        Assert.Empty(values.Columns);
        Assert.IsType<ValuesBody>(values.Query.Body);
        var parenthesized = Assert.IsType<InsertStatement>(SqlParser.Parse("INSERT INTO t (SELECT 1)"));
        Assert.Empty(parenthesized.Columns);

        var delete = Assert.IsType<DeleteStatement>(SqlParser.Parse("DELETE FROM t WHERE a = 1"));
        Assert.NotNull(delete.Where);
        Assert.Null(Assert.IsType<DeleteStatement>(SqlParser.Parse("DELETE FROM t")).Where);

        var drop = Assert.IsType<DropTableStatement>(SqlParser.Parse("DROP TABLE IF EXISTS db.t"));
        Assert.True(drop.IfExists);
        Assert.False(Assert.IsType<DropTableStatement>(SqlParser.Parse("DROP TABLE t")).IfExists);
    }

    [Fact]
    public void ShowDescribeSetUse()
    {
        var tables = Assert.IsType<ShowTablesStatement>(SqlParser.Parse("SHOW TABLES FROM cat.db LIKE 'ord%'"));
        Assert.Equal("cat.db", tables.Schema!.Value);
        Assert.Equal("ord%", tables.LikePattern);
        Assert.Null(Assert.IsType<ShowTablesStatement>(SqlParser.Parse("SHOW TABLES")).Schema);
        Assert.Equal("cat", Assert.IsType<ShowSchemasStatement>(SqlParser.Parse("SHOW SCHEMAS IN cat")).Catalog!.Value);
        Assert.Equal("c%", Assert.IsType<ShowCatalogsStatement>(SqlParser.Parse("SHOW CATALOGS LIKE 'c%'")).LikePattern);
        Assert.Equal("t", Assert.IsType<ShowColumnsStatement>(SqlParser.Parse("SHOW COLUMNS FROM t")).Table.Value);
        Assert.Equal("db.t", Assert.IsType<ShowColumnsStatement>(SqlParser.Parse("DESCRIBE db.t")).Table.Value);
        Assert.Equal("t", Assert.IsType<ShowColumnsStatement>(SqlParser.Parse("DESC t")).Table.Value);
        Assert.Equal("t", Assert.IsType<ShowCreateTableStatement>(SqlParser.Parse("SHOW CREATE TABLE t")).Table.Value);

        var set = Assert.IsType<SetSessionStatement>(SqlParser.Parse("SET SESSION query_max_memory = '1GB'"));
        Assert.Equal("query_max_memory", set.Name.Value);
        Assert.Equal("1GB", Assert.IsType<StringLiteral>(set.Value).Value);
        Assert.Equal("cat.prop", Assert.IsType<SetSessionStatement>(SqlParser.Parse("SET SESSION cat.prop = 5")).Name.Value);
        Assert.Equal("x", Assert.IsType<ResetSessionStatement>(SqlParser.Parse("RESET SESSION x")).Name.Value);

        var use = Assert.IsType<UseStatement>(SqlParser.Parse("USE cat.db"));
        Assert.Equal(("cat", "db"), (use.Catalog!.Value, use.Schema.Value));
        Assert.Null(Assert.IsType<UseStatement>(SqlParser.Parse("USE db")).Catalog);
    }

    [Fact]
    public void ScriptsSplitOnSemicolons()
    {
        IReadOnlyList<Statement> statements = SqlParser.ParseScript(
            "CREATE TABLE t (a bigint);\n-- comment only\nINSERT INTO t VALUES 1;;\nSELECT 'a;b' FROM t;");
        Assert.Equal(3, statements.Count);
        Assert.IsType<CreateTableStatement>(statements[0]);
        Assert.IsType<InsertStatement>(statements[1]);
        Assert.Equal((3, 1), (statements[1].Span.Line, statements[1].Span.Column));
        Assert.IsType<QueryStatement>(statements[2]);
        Assert.Empty(SqlParser.ParseScript("  ; -- nothing\n"));
        Assert.IsType<QueryStatement>(SqlParser.Parse("SELECT 1;"));
    }

    [Theory]
    [InlineData("EXPLAIN ANALYZE SELECT 1")]
    [InlineData("EXPLAIN (FORMAT TEXT) SELECT 1")]
    [InlineData("CREATE TABLE IF NOT EXISTS t (a bigint NOT NULL COMMENT 'x', b row(c varchar(3), d array(map(varchar, double)))) COMMENT 'c' WITH (format = 'PARQUET')")]
    [InlineData("CREATE TABLE t (a, b) AS SELECT 1, 2 WITH NO DATA")]
    [InlineData("INSERT INTO t (a) SELECT 1")]
    [InlineData("DELETE FROM t WHERE a IN (1, 2)")]
    [InlineData("DROP TABLE IF EXISTS t")]
    [InlineData("SHOW TABLES FROM db LIKE 'x%'")]
    [InlineData("SHOW SCHEMAS FROM cat")]
    [InlineData("SHOW CATALOGS")]
    [InlineData("DESCRIBE t")]
    [InlineData("SHOW CREATE TABLE t")]
    [InlineData("SET SESSION a.b = 1")]
    [InlineData("RESET SESSION a")]
    [InlineData("USE cat.db")]
    [InlineData("CREATE TABLE t (ts timestamp(3) with time zone, i interval day to second, y interval year to month, d double)")]
    public void StatementsRoundTrip(string sql)
    {
        TestSql.AssertRoundTrip(sql);
    }
}
