using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class TpchTests
{
    public static IEnumerable<object[]> Queries() =>
        TpchQueries.All.Select((sql, index) => new object[] { index + 1, sql });

    [Theory]
    [MemberData(nameof(Queries))]
    public void TpchQueryParsesAndRoundTrips(int number, string sql)
    {
        Statement statement = SqlParser.Parse(sql);
        Query query = Assert.IsType<QueryStatement>(statement).Query;
        Assert.True(query.Body is QuerySpecification, $"Q{number}");
        TestSql.AssertRoundTrip(statement);
    }

    [Fact]
    public void AllTwentyTwoQueriesArePresent()
    {
        Assert.Equal(22, TpchQueries.All.Length);
    }

    [Fact]
    public void Q13DerivedTableHasColumnAliases()
    {
        QuerySpecification select = TestSql.Select(TpchQueries.All[12]);
        var derived = Assert.IsType<SubqueryRelation>(select.From);
        Assert.Equal("c_orders", derived.Alias!.Value);
        Assert.Equal(new[] { "c_custkey", "c_count" }, derived.ColumnAliases.Select(alias => alias.Value));
        var join = Assert.IsType<Join>(Assert.IsType<QuerySpecification>(derived.Query.Body).From);
        Assert.Equal(JoinKind.Left, join.Kind);
    }

    [Fact]
    public void Q22UsesSubstringFromFor()
    {
        QuerySpecification outer = TestSql.Select(TpchQueries.All[21]);
        var inner = Assert.IsType<QuerySpecification>(Assert.IsType<SubqueryRelation>(outer.From).Query.Body);
        var substring = Assert.IsType<FunctionCall>(Assert.IsType<SelectExpression>(inner.SelectItems[0]).Expression);
        Assert.Equal("substring", substring.Name.Value);
        Assert.Equal(3, substring.Arguments.Count);
    }
}
