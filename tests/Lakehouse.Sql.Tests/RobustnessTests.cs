using System.Diagnostics;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

/// <summary>Malformed input of every shape must end in <see cref="SqlParseException"/> and nothing else.</summary>
public sealed class RobustnessTests
{
    private static readonly string[] Seeds =
        TpchQueries.All.Concat(new[]
        {
            "SELECT a, CAST(b AS row(x array(decimal(10, 2)))) FROM iceberg_scan('p') FOR VERSION AS OF 1 AS s (a, b) WHERE U&'\\0041' = 'A' AND X'AB' IS NOT NULL",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT sum(n) FILTER (WHERE n > 1) OVER (PARTITION BY n ORDER BY n RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW) FROM r",
            "CREATE TABLE IF NOT EXISTS t (a bigint NOT NULL COMMENT 'c', b timestamp(6) with time zone) WITH (format = 'PARQUET')",
            "SELECT trim(LEADING 'x' FROM s), position('a' IN s), x -> x + 1, (a, b) -> a, ARRAY[1][1], ROW(1, 2).f FROM ((SELECT 1) UNION (SELECT 2)) u",
            "EXPLAIN ANALYZE INSERT INTO t (a) VALUES (1), (2); SHOW TABLES FROM db LIKE 'x'; /* c */ SET SESSION a = 1",
        }).ToArray();

    [Fact]
    public void EveryPrefixOfValidSqlFailsCleanly()
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (string seed in Seeds)
        {
            for (int length = 0; length < seed.Length; length++)
            {
                AssertParsesOrFailsCleanly(seed[..length]);
            }
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void RandomMutationsFailCleanly()
    {
        var random = new Random(20240607);
        string[] fragments = { "(", ")", ",", "'", "\"", "SELECT", "FROM", "NOT", "AND", "*", "-", "--", "/*", "[", "]", ".", "?", ";", "CASE", "END", "OVER", "->", "U&'", "X'", "1e", "INTERVAL", "FOR" };
        for (int iteration = 0; iteration < 4000; iteration++)
        {
            string seed = Seeds[random.Next(Seeds.Length)];
            int position = random.Next(seed.Length);
            string mutated = random.Next(3) switch
            {
                0 => seed.Remove(position, Math.Min(seed.Length - position, random.Next(1, 8))),
                1 => seed.Insert(position, fragments[random.Next(fragments.Length)]),
                _ => seed.Insert(position, " " + fragments[random.Next(fragments.Length)] + " "),
            };
            AssertParsesOrFailsCleanly(mutated);
        }
    }

    [Fact]
    public void RandomTokenSoupFailsCleanly()
    {
        var random = new Random(7);
        string[] vocabulary =
        {
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "UNION", "ALL", "JOIN", "ON", "AS", "WITH", "VALUES",
            "CASE", "WHEN", "THEN", "ELSE", "END", "NOT", "AND", "OR", "IN", "IS", "NULL", "BETWEEN", "LIKE", "EXISTS",
            "CAST", "INTERVAL", "DATE", "ROW", "ARRAY", "OVER", "PARTITION", "ROWS", "FOR", "VERSION", "OF", "TIMESTAMP",
            "a", "t", "\"q\"", "1", "2.5", "1e2", "'s'", "X'AB'", "?", "(", ")", "(", ")", ",", ".", "*", "+", "-", "/",
            "||", "=", "<>", "<", ">=", "[", "]", "->", ";", "EXPLAIN", "CREATE", "TABLE", "INSERT", "INTO", "DROP",
        };
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            int length = random.Next(1, 25);
            var words = new string[length];
            for (int position = 0; position < length; position++)
            {
                words[position] = vocabulary[random.Next(vocabulary.Length)];
            }

            AssertParsesOrFailsCleanly((random.Next(2) == 0 ? "SELECT " : string.Empty) + string.Join(' ', words));
        }
    }

    private static void AssertParsesOrFailsCleanly(string sql)
    {
        IReadOnlyList<Ast.Statement> statements;
        try
        {
            statements = SqlParser.ParseScript(sql);
        }
        catch (SqlParseException error)
        {
            Assert.DoesNotContain('\n', error.Message);
            Assert.StartsWith($"line {error.Line}:{error.Column}: ", error.Message);
            Assert.InRange(error.Position, 0, sql.Length);
            return;
        }

        // Whatever parses must also survive formatting and parsing again.
        foreach (Ast.Statement statement in statements)
        {
            TestSql.AssertRoundTrip(statement);
        }
    }
}
