using System.Collections;
using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

/// <summary>Every node the parser builds carries a span inside its parent's span.</summary>
public sealed class SpanTests
{
    public static IEnumerable<object[]> Statements()
    {
        IEnumerable<string> samples = TpchQueries.All.Concat(new[]
        {
            "SELECT a, CAST(b AS row(x array(decimal(10, 2)))) FROM iceberg_scan('p') FOR VERSION AS OF 1 AS s (a, b) WHERE U&'\\0041' = 'A' AND X'AB' IS NOT NULL",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT sum(n) FILTER (WHERE n > 1) OVER (PARTITION BY n ORDER BY n RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW) FROM r",
            "CREATE TABLE IF NOT EXISTS t (a bigint NOT NULL COMMENT 'c', b timestamp(6) with time zone) WITH (format = 'PARQUET')",
            "SELECT trim(LEADING 'x' FROM s), position('a' IN s), transform(xs, x -> x + 1), ARRAY[1][1], ROW(1, 2), (a).b FROM ((SELECT 1) UNION (SELECT 2)) u",
            "SELECT a FROM t GROUP BY GROUPING SETS ((a, b), ()), ROLLUP (a), CUBE (b), (a, b) WINDOW w AS (ORDER BY a) FETCH FIRST ROW ONLY",
            "SELECT * FROM (t) x JOIN LATERAL (SELECT 1) l ON true CROSS JOIN UNNEST(x.a) WITH ORDINALITY u (v, n) NATURAL JOIN (VALUES 1) v (c)",
            "EXPLAIN ANALYZE INSERT INTO t (a) VALUES (1), (2)",
            "SELECT DATE '2020-01-01', TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00 UTC', current_timestamp(3), a = ANY (SELECT 1), EXISTS (SELECT 1), a IN (SELECT 1), CASE a WHEN 1 THEN 2 ELSE 3 END, extract(year FROM d), ts AT TIME ZONE 'UTC'",
            "CREATE TABLE t2 (a, b) COMMENT 'x' WITH (p = 1) AS SELECT 1, 2 WITH NO DATA",
            "SET SESSION a.b = 1",
            "USE c.s",
            "SHOW TABLES FROM s LIKE 'x'",
            "DELETE FROM t WHERE a > 1",
        });
        return samples.Select(sql => new object[] { sql });
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void EveryNodeHasASpanWithinItsParent(string sql)
    {
        Statement statement = SqlParser.Parse(sql);
        Assert.Equal(0, statement.Span.Start);
        Check(statement, statement.Span, sql);
    }

    private static void Check(Node node, SourceSpan parent, string sql)
    {
        SourceSpan span = node.Span;
        Assert.True(span.Length > 0, $"{node.GetType().Name} '{SqlFormatter.Format(node)}' has no span");
        Assert.True(span.Line >= 1 && span.Column >= 1, $"{node.GetType().Name} has no position");
        Assert.True(span.Start >= parent.Start && span.End <= parent.End, $"{node.GetType().Name} '{SqlFormatter.Format(node)}' lies outside its parent");
        Assert.True(span.End <= sql.Length);
        foreach (var property in node.GetType().GetProperties())
        {
            if (property.Name == nameof(Node.Span) || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            Visit(property.GetValue(node), span, sql);
        }
    }

    private static void Visit(object? value, SourceSpan parent, string sql)
    {
        switch (value)
        {
            case Node child:
                Check(child, parent, sql);
                break;
            case string:
                break;
            case IEnumerable items:
                foreach (object? item in items)
                {
                    Visit(item, parent, sql);
                }

                break;
        }
    }
}
