using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

/// <summary>Everyday Trino queries beyond the targeted construct tests.</summary>
public sealed class DialectCoverageTests
{
    [Theory]
    [InlineData("SELECT date_trunc('month', ts) AS m, approx_percentile(x, 0.5) FROM t GROUP BY 1 ORDER BY 1")]
    [InlineData("SELECT json_extract_scalar(j, '$.a') FROM t WHERE x BETWEEN -1 AND +1")]
    [InlineData("SELECT CAST(x AS array(row(a int, b varchar))) FROM t")]
    [InlineData("SELECT map(ARRAY['a'], ARRAY[1])['a'], element_at(m, 'k') FROM t")]
    [InlineData("SELECT x FROM t WHERE x LIKE '%a\\_%' ESCAPE '\\'")]
    [InlineData("select count(*) filter (where x) from t")]
    [InlineData("SELECT row_number() OVER () AS rn, lead(x, 1, 0) OVER (PARTITION BY g ORDER BY ts) FROM t")]
    [InlineData("SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4)) AND (a, b) = (1, 2)")]
    [InlineData("SELECT a FROM t WHERE a IN ((SELECT 1), 2)")]
    [InlineData("SELECT * FROM (t) x")]
    [InlineData("SELECT * FROM ((SELECT 1 AS a) x (b)) y")]
    [InlineData("SELECT * FROM ((t) x JOIN u ON x.a = u.a)")]
    [InlineData("SELECT * FROM (((a JOIN b ON true)) JOIN c USING (k))")]
    [InlineData("SELECT DISTINCT ON_time, \"order\" FROM t")]
    [InlineData("SELECT a AS \"select\", b \"from\" FROM t")]
    [InlineData("SELECT 1 -- trailing comment")]
    [InlineData("/* leading */ SELECT 1 /* trailing */;")]
    [InlineData("SELECT ARRAY[ARRAY[1, 2], ARRAY[3]][1][2]")]
    [InlineData("SELECT x.y.z, (x).y, CAST(r AS row(y bigint)).y FROM t")]
    [InlineData("SELECT sum(x) / count(*) * 100.0 FROM t HAVING count(*) > 0")]
    [InlineData("SELECT * FROM t1 LEFT JOIN t2 USING (id) WHERE t2.id IS NULL")]
    [InlineData("SELECT CASE WHEN a IS NULL THEN 0 WHEN a BETWEEN 1 AND 10 THEN 1 ELSE 2 END FROM t")]
    [InlineData("SELECT * FROM iceberg_scan('p') AS s (a, b) FOR TIMESTAMP AS OF TIMESTAMP '2024-01-01 00:00:00 UTC'")]
    [InlineData("SELECT COALESCE(NULLIF(a, ''), 'none'), IF(b, 1), TRY(1 / 0) FROM t")]
    [InlineData("SELECT current_date - INTERVAL '1' MONTH, localtime, current_time(3)")]
    [InlineData("SELECT a FROM t WHERE NOT a AND NOT (b OR c) OR d")]
    [InlineData("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM a JOIN b ON a.x = b.x")]
    [InlineData("SELECT * FROM t ORDER BY a NULLS LAST, b DESC LIMIT ?")]
    [InlineData("SELECT * FROM t WHERE a = ? AND b IN (?, ?)")]
    public void ParsesAndRoundTrips(string sql)
    {
        TestSql.AssertRoundTrip(sql);
    }

    [Fact]
    public void AliasAfterParenthesizedRelationRenamesIt()
    {
        var table = Assert.IsType<TableRef>(TestSql.Select("SELECT * FROM (t) x").From);
        Assert.Equal("x", table.Alias!.Value);

        var subquery = Assert.IsType<SubqueryRelation>(TestSql.Select("SELECT * FROM ((SELECT 1 AS a) x (b)) y").From);
        Assert.Equal("y", subquery.Alias!.Value);
        Assert.Equal("b", Assert.Single(subquery.ColumnAliases).Value);
    }

    [Fact]
    public void AliasOnAParenthesizedJoinIsAClearError()
    {
        SqlParseException error = TestSql.ParseError("SELECT * FROM (a JOIN b ON true) j");
        Assert.Equal("line 1:34: a parenthesized join cannot have an alias; alias the tables inside it or use a subquery", error.Message);
    }

    [Fact]
    public void ParametersAreNumberedInOrder()
    {
        Query query = TestSql.Query("SELECT ? FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?");
        var select = Assert.IsType<QuerySpecification>(query.Body);
        Assert.Equal(0, Assert.IsType<Parameter>(Assert.IsType<SelectExpression>(select.SelectItems[0]).Expression).Index);
        Assert.Equal(4, Assert.IsType<Parameter>(query.Limit).Index);
    }
}
