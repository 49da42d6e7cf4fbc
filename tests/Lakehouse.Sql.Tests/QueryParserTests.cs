using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class QueryParserTests
{
    [Fact]
    public void SelectListAliasesAndStars()
    {
        QuerySpecification select = TestSql.Select("SELECT *, t.*, s.t.*, a AS x, b y, c \"Z\", count(*) cnt FROM t");
        Assert.False(select.Distinct);
        Assert.Null(Assert.IsType<AllColumns>(select.SelectItems[0]).Qualifier);
        Assert.Equal("t", Assert.IsType<AllColumns>(select.SelectItems[1]).Qualifier!.Value);
        Assert.Equal("s.t", Assert.IsType<AllColumns>(select.SelectItems[2]).Qualifier!.Value);
        Assert.Equal("x", Assert.IsType<SelectExpression>(select.SelectItems[3]).Alias!.Value);
        Assert.Equal("y", Assert.IsType<SelectExpression>(select.SelectItems[4]).Alias!.Value);
        Identifier quoted = Assert.IsType<SelectExpression>(select.SelectItems[5]).Alias!;
        Assert.True(quoted.Quoted);
        Assert.Equal("Z", quoted.Value);
        Assert.Equal("cnt", Assert.IsType<SelectExpression>(select.SelectItems[6]).Alias!.Value);
    }

    [Fact]
    public void DistinctAllAndSelectWithoutFrom()
    {
        Assert.True(TestSql.Select("SELECT DISTINCT a FROM t").Distinct);
        Assert.False(TestSql.Select("SELECT ALL a FROM t").Distinct);
        QuerySpecification constant = TestSql.Select("SELECT 1");
        Assert.Null(constant.From);
        Assert.Equal("1", Assert.IsType<IntegerLiteral>(Assert.IsType<SelectExpression>(constant.SelectItems[0]).Expression).Text);
    }

    [Fact]
    public void ColumnsNamedLikeNonReservedKeywords()
    {
        QuerySpecification select = TestSql.Select(
            "SELECT year, date, timestamp, value, data, count, first, last, position, format, version, \"timestamp\" FROM t WHERE value IS NULL");
        Assert.Equal(12, select.SelectItems.Count);
        foreach (SelectItem item in select.SelectItems)
        {
            var expression = Assert.IsType<SelectExpression>(item);
            Assert.IsType<ColumnRef>(expression.Expression);
            Assert.Null(expression.Alias);
        }
    }

    [Fact]
    public void WhereGroupByHavingOrderByLimit()
    {
        Query query = TestSql.Query(
            "SELECT a, sum(b) FROM t WHERE c > 1 GROUP BY a, 2 HAVING sum(b) > 10 ORDER BY a DESC NULLS FIRST, 2 ASC NULLS LAST LIMIT 5");
        var select = Assert.IsType<QuerySpecification>(query.Body);
        Assert.IsType<BinaryExpression>(select.Where);
        Assert.Equal(2, select.GroupBy!.Elements.Count);
        Assert.Equal("2", Assert.IsType<IntegerLiteral>(Assert.IsType<SimpleGroupBy>(select.GroupBy.Elements[1]).Expression).Text);
        Assert.IsType<BinaryExpression>(select.Having);
        Assert.Equal(2, query.OrderBy.Count);
        Assert.Equal((SortDirection.Descending, NullOrdering.First), (query.OrderBy[0].Direction, query.OrderBy[0].NullOrdering));
        Assert.Equal((SortDirection.Ascending, NullOrdering.Last), (query.OrderBy[1].Direction, query.OrderBy[1].NullOrdering));
        Assert.Equal("5", Assert.IsType<IntegerLiteral>(query.Limit).Text);
        Assert.Null(query.Offset);
    }

    [Fact]
    public void LimitAllOffsetAndFetchFirst()
    {
        Query limitAll = TestSql.Query("SELECT a FROM t LIMIT ALL");
        Assert.Null(limitAll.Limit);

        Query offset = TestSql.Query("SELECT a FROM t ORDER BY a OFFSET 10 ROWS LIMIT 5");
        Assert.Equal("10", Assert.IsType<IntegerLiteral>(offset.Offset).Text);
        Assert.Equal("5", Assert.IsType<IntegerLiteral>(offset.Limit).Text);

        Query limitThenOffset = TestSql.Query("SELECT a FROM t LIMIT 5 OFFSET 2");
        Assert.Equal("2", Assert.IsType<IntegerLiteral>(limitThenOffset.Offset).Text);

        Query fetch = TestSql.Query("SELECT a FROM t FETCH FIRST 3 ROWS ONLY");
        Assert.Equal("3", Assert.IsType<IntegerLiteral>(fetch.Limit).Text);
        Assert.False(fetch.WithTies);

        Query fetchRow = TestSql.Query("SELECT a FROM t FETCH NEXT ROW ONLY");
        Assert.Equal("1", Assert.IsType<IntegerLiteral>(fetchRow.Limit).Text);

        Query ties = TestSql.Query("SELECT a FROM t ORDER BY a FETCH FIRST 2 ROWS WITH TIES");
        Assert.True(ties.WithTies);
    }

    [Fact]
    public void GroupingSetsRollupCube()
    {
        QuerySpecification select = TestSql.Select(
            "SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), ()), ROLLUP (a, b), CUBE (b), (a, b)");
        IReadOnlyList<GroupingElement> elements = select.GroupBy!.Elements;
        var sets = Assert.IsType<GroupingSets>(elements[0]);
        Assert.Equal(new[] { 2, 1, 0 }, sets.Sets.Select(set => set.Count));
        Assert.Equal(2, Assert.IsType<Rollup>(elements[1]).Expressions.Count);
        Assert.Single(Assert.IsType<Cube>(elements[2]).Expressions);
        Assert.IsType<SimpleGroupBy>(elements[3]);
        Assert.IsType<SimpleGroupBy>(elements[4]);
        Assert.Equal(5, elements.Count);
        Assert.True(TestSql.Select("SELECT a FROM t GROUP BY DISTINCT a").GroupBy!.Distinct);
    }

    [Fact]
    public void WindowClause()
    {
        QuerySpecification select = TestSql.Select(
            "SELECT rank() OVER w, sum(x) OVER (w2 ROWS UNBOUNDED PRECEDING) FROM t WINDOW w AS (PARTITION BY a ORDER BY b), w2 AS (ORDER BY c)");
        Assert.Equal(2, select.Windows.Count);
        Assert.Equal("w", select.Windows[0].Name.Value);
        Assert.Single(select.Windows[0].Spec.PartitionBy);
        Assert.Single(select.Windows[1].Spec.OrderBy);
    }

    [Fact]
    public void SetOperationPrecedence()
    {
        // INTERSECT binds tighter than UNION and EXCEPT, which are left-associative.
        QueryBody body = TestSql.Query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4").Body;
        var except = Assert.IsType<SetOperation>(body);
        Assert.Equal((SetOperator.Except, true), (except.Operator, except.All));
        var union = Assert.IsType<SetOperation>(except.Left);
        Assert.Equal((SetOperator.Union, false), (union.Operator, union.All));
        Assert.IsType<QuerySpecification>(union.Left);
        var intersect = Assert.IsType<SetOperation>(union.Right);
        Assert.Equal(SetOperator.Intersect, intersect.Operator);

        Query ordered = TestSql.Query("(SELECT a FROM t ORDER BY a LIMIT 1) UNION DISTINCT (SELECT b FROM u) ORDER BY 1");
        var outer = Assert.IsType<SetOperation>(ordered.Body);
        Assert.False(outer.All);
        Assert.NotNull(Assert.IsType<TableSubqueryBody>(outer.Left).Query.Limit);
        Assert.Single(ordered.OrderBy);
    }

    [Fact]
    public void WithClause()
    {
        Query query = TestSql.Query("WITH x AS (SELECT 1 AS a), y (b, c) AS (SELECT 1, 2) SELECT * FROM x, y");
        Assert.False(query.With!.Recursive);
        Assert.Equal(2, query.With.Queries.Count);
        Assert.Equal("x", query.With.Queries[0].Name.Value);
        Assert.Equal(new[] { "b", "c" }, query.With.Queries[1].ColumnAliases.Select(alias => alias.Value));

        Query recursive = TestSql.Query(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r");
        Assert.True(recursive.With!.Recursive);
        Assert.IsType<SetOperation>(recursive.With.Queries[0].Query.Body);
    }

    [Fact]
    public void ValuesAndTableBodies()
    {
        var values = Assert.IsType<ValuesBody>(TestSql.Query("VALUES (1, 'a'), (2, 'b')").Body);
        Assert.Equal(2, values.Rows.Count);
        Assert.Equal(2, values.Rows[0].Values.Count);

        var single = Assert.IsType<ValuesBody>(TestSql.Query("VALUES 1, 2, 3").Body);
        Assert.Equal(3, single.Rows.Count);
        Assert.Single(single.Rows[0].Values);

        Assert.Equal("db.t", Assert.IsType<TableBody>(TestSql.Query("TABLE db.t").Body).Name.Value);
    }

    [Fact]
    public void JoinsOfEveryKind()
    {
        Relation from = TestSql.Select(
            "SELECT * FROM a JOIN b ON a.x = b.x LEFT JOIN c USING (x, y) RIGHT OUTER JOIN d ON true FULL JOIN e ON false "
            + "CROSS JOIN f INNER JOIN g ON 1 = 1 NATURAL JOIN h NATURAL LEFT OUTER JOIN i").From!;
        var kinds = new List<JoinKind>();
        var criteria = new List<string>();
        Relation current = from;
        while (current is Join join)
        {
            kinds.Add(join.Kind);
            criteria.Add(join.Criteria?.GetType().Name ?? "none");
            current = join.Left;
        }

        Assert.Equal("a", Assert.IsType<TableRef>(current).Name.Value);
        kinds.Reverse();
        criteria.Reverse();
        Assert.Equal(
            new[] { JoinKind.Inner, JoinKind.Left, JoinKind.Right, JoinKind.Full, JoinKind.Cross, JoinKind.Inner, JoinKind.Inner, JoinKind.Left },
            kinds);
        Assert.Equal(
            new[] { "JoinOn", "JoinUsing", "JoinOn", "JoinOn", "none", "JoinOn", "NaturalJoin", "NaturalJoin" },
            criteria);
    }

    [Fact]
    public void CommaJoinsAreCrossJoins()
    {
        var join = Assert.IsType<Join>(TestSql.Select("SELECT * FROM a, b x, c AS y (p, q)").From);
        Assert.Equal(JoinKind.Cross, join.Kind);
        Assert.Null(join.Criteria);
        var last = Assert.IsType<TableRef>(join.Right);
        Assert.Equal("y", last.Alias!.Value);
        Assert.Equal(2, last.ColumnAliases.Count);
        var inner = Assert.IsType<Join>(join.Left);
        Assert.Equal("x", Assert.IsType<TableRef>(inner.Right).Alias!.Value);
    }

    [Fact]
    public void ParenthesizedJoinsAndNestedRightJoins()
    {
        var join = Assert.IsType<Join>(TestSql.Select("SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.x = b.x").From);
        Assert.IsType<Join>(join.Right);
        Assert.IsType<JoinOn>(join.Criteria);

        var nested = Assert.IsType<Join>(TestSql.Select("SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.x = b.x").From);
        Assert.Equal("a", Assert.IsType<TableRef>(nested.Left).Name.Value);
        Assert.IsType<Join>(nested.Right);

        var parenthesizedLeft = Assert.IsType<Join>(TestSql.Select("SELECT * FROM ((a JOIN b ON true) JOIN c ON true)").From);
        Assert.IsType<Join>(parenthesizedLeft.Left);
    }

    [Fact]
    public void SubqueriesAndValuesInFrom()
    {
        var join = Assert.IsType<Join>(TestSql.Select(
            "SELECT * FROM (SELECT a FROM t) s JOIN (VALUES (1), (4)) filter_ids(id) ON s.a = filter_ids.id").From);
        var subquery = Assert.IsType<SubqueryRelation>(join.Left);
        Assert.Equal("s", subquery.Alias!.Value);
        var values = Assert.IsType<SubqueryRelation>(join.Right);
        Assert.IsType<ValuesBody>(values.Query.Body);
        Assert.Equal("filter_ids", values.Alias!.Value);
        Assert.Equal("id", Assert.Single(values.ColumnAliases).Value);

        var union = Assert.IsType<SubqueryRelation>(TestSql.Select("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u").From);
        Assert.IsType<SetOperation>(union.Query.Body);
        Assert.Equal("u", union.Alias!.Value);

        var redundant = Assert.IsType<SubqueryRelation>(TestSql.Select("SELECT * FROM ((SELECT 1 AS a)) x").From);
        Assert.IsType<QuerySpecification>(redundant.Query.Body);

        var subqueryJoin = Assert.IsType<Join>(TestSql.Select("SELECT * FROM ((SELECT 1 AS a) x JOIN y ON true)").From);
        Assert.IsType<SubqueryRelation>(subqueryJoin.Left);

        var lateral = Assert.IsType<Join>(TestSql.Select("SELECT * FROM t CROSS JOIN LATERAL (SELECT t.a) l").From);
        Assert.Equal("l", Assert.IsType<LateralRelation>(lateral.Right).Alias!.Value);

        var unnest = Assert.IsType<Join>(TestSql.Select("SELECT * FROM t CROSS JOIN UNNEST(t.xs, t.ys) WITH ORDINALITY AS u (x, y, n)").From);
        var unnestRelation = Assert.IsType<UnnestRelation>(unnest.Right);
        Assert.True(unnestRelation.WithOrdinality);
        Assert.Equal(2, unnestRelation.Arguments.Count);
        Assert.Equal(3, unnestRelation.ColumnAliases.Count);
    }

    [Fact]
    public void TableFunctionsWithTimeTravel()
    {
        var scan = Assert.IsType<TableFunctionCall>(TestSql.Select(
            "SELECT count(*) FROM iceberg_scan('data/lineitem') FOR VERSION AS OF 7817332053627255703").From);
        Assert.Equal("iceberg_scan", scan.Name.Value);
        Assert.Equal("data/lineitem", Assert.IsType<StringLiteral>(Assert.Single(scan.Arguments)).Value);
        Assert.Equal(TimeTravelKind.Version, scan.TimeTravel!.Kind);
        Assert.Equal("7817332053627255703", Assert.IsType<IntegerLiteral>(scan.TimeTravel.Value).Text);
        Assert.Null(scan.Alias);

        var before = Assert.IsType<TableFunctionCall>(TestSql.Select(
            "SELECT * FROM iceberg_scan('p') FOR TIMESTAMP AS OF TIMESTAMP '2025-05-02 12:21:19.060' AS s (a, b)").From);
        Assert.Equal(TimeTravelKind.Timestamp, before.TimeTravel!.Kind);
        Assert.IsType<TypedLiteral>(before.TimeTravel.Value);
        Assert.Equal("s", before.Alias!.Value);
        Assert.Equal(2, before.ColumnAliases.Count);

        var after = Assert.IsType<TableFunctionCall>(TestSql.Select("SELECT * FROM iceberg_scan('p') scan FOR VERSION AS OF 1").From);
        Assert.Equal("scan", after.Alias!.Value);
        Assert.Equal(TimeTravelKind.Version, after.TimeTravel!.Kind);

        var table = Assert.IsType<TableRef>(TestSql.Select("SELECT * FROM db.t FOR SYSTEM_TIME AS OF current_timestamp - INTERVAL '1' DAY x").From);
        Assert.Equal(TimeTravelKind.Timestamp, table.TimeTravel!.Kind);
        Assert.IsType<BinaryExpression>(table.TimeTravel.Value);
        Assert.Equal("x", table.Alias!.Value);
    }

    [Fact]
    public void SpansOfClauses()
    {
        const string sql = "SELECT a\nFROM t AS x\nWHERE b = 1";
        QuerySpecification select = TestSql.Select(sql);
        var from = Assert.IsType<TableRef>(select.From);
        Assert.Equal((2, 6), (from.Span.Line, from.Span.Column));
        Assert.Equal("t AS x", sql.Substring(from.Span.Start, from.Span.Length));
        Assert.Equal((3, 7), (select.Where!.Span.Line, select.Where.Span.Column));
        Assert.Equal(sql.Length, select.Span.Length);
    }

    [Theory]
    [InlineData("SELECT DISTINCT a, b AS c FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 ORDER BY a DESC LIMIT 10")]
    [InlineData("WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r")]
    [InlineData("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4")]
    [InlineData("SELECT 1 UNION (SELECT 2 UNION SELECT 3)")]
    [InlineData("(SELECT 1 INTERSECT SELECT 2) INTERSECT ALL SELECT 3")]
    [InlineData("SELECT * FROM a, b JOIN c ON b.x = c.x")]
    [InlineData("SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.x = b.x")]
    [InlineData("SELECT * FROM a NATURAL FULL JOIN b CROSS JOIN LATERAL (SELECT 1) l (x)")]
    [InlineData("SELECT * FROM iceberg_scan('p') FOR VERSION AS OF 1 AS s (a)")]
    [InlineData("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v (x, y)")]
    [InlineData("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2 ORDER BY 1 LIMIT 1)) u")]
    [InlineData("SELECT a FROM t GROUP BY GROUPING SETS ((a), ()), ROLLUP (a), CUBE (a, b)")]
    [InlineData("SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)")]
    [InlineData("SELECT a FROM t ORDER BY a OFFSET 2 FETCH FIRST 3 ROWS WITH TIES")]
    [InlineData("SELECT * FROM t CROSS JOIN UNNEST(t.a) WITH ORDINALITY AS u (x, n)")]
    [InlineData("VALUES 1, 2")]
    [InlineData("TABLE t")]
    public void QueriesRoundTrip(string sql)
    {
        TestSql.AssertRoundTrip(sql);
    }
}
