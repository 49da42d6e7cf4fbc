using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

/// <summary>Syntax accepted for queries and suites written for other engines.</summary>
public sealed class PortabilityTests
{
    [Fact]
    public void DoubleColonIsACast()
    {
        var cast = Assert.IsType<CastExpression>(SqlParser.ParseExpression("x::bigint"));
        Assert.Equal("bigint", cast.TargetType.Name);
        Assert.False(cast.IsTry);

        var negated = Assert.IsType<UnaryExpression>(SqlParser.ParseExpression("-2::integer"));
        Assert.IsType<CastExpression>(negated.Operand);

        var chained = Assert.IsType<CastExpression>(SqlParser.ParseExpression("'1'::integer::varchar"));
        Assert.IsType<CastExpression>(chained.Operand);
    }

    [Fact]
    public void ColumnAndTableConstraintsAreAccepted()
    {
        var create = Assert.IsType<CreateTableStatement>(SqlParser.Parse("CREATE TABLE t (id INTEGER PRIMARY KEY, code VARCHAR UNIQUE NOT NULL, n INTEGER NULL, PRIMARY KEY (id), UNIQUE (code, n))"));
        Assert.Equal(3, create.Columns.Count);
        Assert.False(create.Columns[0].Nullable);
        Assert.False(create.Columns[1].Nullable);
        Assert.True(create.Columns[2].Nullable);
    }

    [Fact]
    public void SetAndResetWithoutSession()
    {
        var set = Assert.IsType<SetSessionStatement>(SqlParser.Parse("SET default_null_order = 'nulls_first'"));
        Assert.Equal("default_null_order", set.Name.Value);
        Assert.IsType<SetSessionStatement>(SqlParser.Parse("SET threads TO 4"));
        Assert.IsType<ResetSessionStatement>(SqlParser.Parse("RESET default_null_order"));
    }

    [Fact]
    public void ALoneColonIsStillAnError()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.Parse("SELECT 1:2"));
        Assert.Contains("unexpected character ':'", error.Message, StringComparison.Ordinal);
    }
}
