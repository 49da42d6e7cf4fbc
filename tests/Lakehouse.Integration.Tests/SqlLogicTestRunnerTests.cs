using Lakehouse.Cli;
using Lakehouse.Cli.SqlLogicTest;
using Lakehouse.Server;

namespace Lakehouse.Integration.Tests;

public sealed class SqlLogicTestRunnerTests
{
    private static SqlLogicTestRunner Runner() => new(() => EmbeddedEngine.Create(Path.GetTempPath()));

    private static Task<SqlLogicTestFileResult> RunAsync(string text) => Runner().RunTextAsync(text, "test.slt", CancellationToken.None);

    [Fact]
    public void ParsesStatementAndQueryRecords()
    {
        var script = SqlLogicTestParser.Parse("""
            # a comment
            statement ok
            CREATE TABLE t (a INTEGER)

            statement error does not exist
            SELECT * FROM nowhere

            query IT rowsort my_label
            SELECT a, 'x'
            FROM t
            ----
            1 x
            2 x

            hash-threshold 8

            query R valuesort
            SELECT 1.5
            ----
            1.500
            """);

        Assert.Equal(0, script.SkippedRecords);
        Assert.Collection(
            script.Records,
            record =>
            {
                var statement = Assert.IsType<StatementRecord>(record);
                Assert.Equal(2, statement.Line);
                Assert.Equal("CREATE TABLE t (a INTEGER)", statement.Sql);
                Assert.Null(statement.ExpectedError);
            },
            record => Assert.Equal("does not exist", Assert.IsType<StatementRecord>(record).ExpectedError),
            record =>
            {
                var query = Assert.IsType<QueryRecord>(record);
                Assert.Equal(8, query.Line);
                Assert.Equal("IT", query.ColumnTypes);
                Assert.Equal(SortMode.RowSort, query.SortMode);
                Assert.Equal("my_label", query.Label);
                Assert.Equal("SELECT a, 'x'\nFROM t", query.Sql);
                Assert.Equal(["1 x", "2 x"], query.ExpectedLines);
            },
            record => Assert.Equal(8, Assert.IsType<HashThresholdRecord>(record).Threshold),
            record => Assert.Equal(SortMode.ValueSort, Assert.IsType<QueryRecord>(record).SortMode));
    }

    [Fact]
    public void ConditionsKeepOnlyRecordsForThisEngine()
    {
        var script = SqlLogicTestParser.Parse("""
            skipif lakehouse
            statement ok
            SELECT 1

            onlyif sqlite
            statement ok
            SELECT 2

            onlyif lakehouse
            statement ok
            SELECT 3

            skipif mysql
            statement ok
            SELECT 4
            """);

        Assert.Equal(2, script.SkippedRecords);
        Assert.Equal(["SELECT 3", "SELECT 4"], script.Records.Select(record => ((StatementRecord)record).Sql));
    }

    [Fact]
    public void LoopsAndForeachExpandTheirBodies()
    {
        var script = SqlLogicTestParser.Parse("""
            loop i 0 3

            statement ok
            SELECT ${i}

            endloop

            foreach word alpha beta

            statement ok
            SELECT '${word}'

            endloop
            """);

        Assert.Equal(
            ["SELECT 0", "SELECT 1", "SELECT 2", "SELECT 'alpha'", "SELECT 'beta'"],
            script.Records.Select(record => ((StatementRecord)record).Sql));
        Assert.Equal(3, script.Records[0].Line);
    }

    [Fact]
    public void DuckDbStyleErrorMessageFollowsTheSeparator()
    {
        var script = SqlLogicTestParser.Parse("""
            statement error
            SELECT * FROM nowhere
            ----
            does not exist
            """);

        Assert.Equal("does not exist", Assert.IsType<StatementRecord>(Assert.Single(script.Records)).ExpectedError);
    }

    [Fact]
    public void UnknownRecordTypesAreInvalidRecords()
    {
        var script = SqlLogicTestParser.Parse("""
            frobnicate now
            SELECT 1

            statement maybe
            SELECT 1

            loop i 0 2
            statement ok
            SELECT 1
            """);

        Assert.Equal(3, script.Records.Count);
        Assert.All(script.Records, record => Assert.IsType<InvalidRecord>(record));
        Assert.Equal([1, 4, 7], script.Records.Select(record => record.Line));
    }

    [Fact]
    public void HashIsMd5OfValuesEachFollowedByNewline()
    {
        Assert.Equal("6ddb4095eb719e2a9f0a3f95677d24e0", SqlLogicTestRunner.Hash(["1", "2"]));
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", SqlLogicTestRunner.Hash([]));
    }

    [Fact]
    public async Task PassingRecordsArePassed()
    {
        var result = await RunAsync("""
            statement ok
            CREATE TABLE t (a INTEGER, b VARCHAR)

            statement ok
            INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b')

            query IT rowsort
            SELECT a, b FROM t
            ----
            1 a
            2 b
            3 c

            query IT rowsort
            SELECT a, b FROM t
            ----
            1
            a
            2
            b
            3
            c

            query IT
            SELECT a, b FROM t ORDER BY a DESC
            ----
            3	c
            2	b
            1	a

            query T valuesort
            SELECT b FROM t
            ----
            a
            b
            c

            statement error does not exist
            SELECT * FROM nowhere

            query error cannot be resolved
            SELECT nope FROM t
            """);

        Assert.Empty(result.Failures);
        Assert.Equal(8, result.Passed);
        Assert.Equal(8, result.Total);
    }

    [Fact]
    public async Task ValuesAreWrittenAsSqlLogicTestExpects()
    {
        var result = await RunAsync("""
            query TTRRTI
            SELECT NULL, '', 2, 1.23456, true, CAST(7 AS BIGINT)
            ----
            NULL (empty) 2.000 1.235 true 7
            """);

        Assert.Empty(result.Failures);
        Assert.Equal(1, result.Passed);
    }

    [Fact]
    public async Task HashedResultsAreComparedByHash()
    {
        var result = await RunAsync("""
            hash-threshold 2

            query IT rowsort
            SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS v (n, s)
            ----
            6 values hashing to c84f8aeceada6a51da4b3bb1000ecc8b

            query IT valuesort
            SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS v (n, s)
            ----
            6 values hashing to 1aaf6b3a23fa17af5862c0b6108b7d5a

            query IT nosort
            SELECT * FROM (VALUES (3, 'c'), (2, 'b'), (1, 'a')) AS v (n, s)
            ----
            6 values hashing to d2640056078099bce40a99ef21677c0b

            query IT rowsort
            SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS v (n, s)
            ----
            6 values hashing to 00000000000000000000000000000000
            """);

        Assert.Equal(3, result.Passed);
        Assert.Equal(4, result.Total);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(18, failure.Line);
        Assert.Contains("6 values hashing to c84f8aeceada6a51da4b3bb1000ecc8b", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingRecordsAreReportedWithTheirLine()
    {
        var result = await RunAsync("""
            query I nosort
            SELECT * FROM (VALUES 2, 1) AS v (n)
            ----
            1
            2

            query I
            SELECT 1
            ----
            2

            statement ok
            SELECT * FROM nowhere

            statement error
            SELECT 1

            statement error some other message
            SELECT nope

            query II
            SELECT 1
            ----
            1

            query I
            SELECT 5
            ----
            5
            """);

        Assert.Equal(1, result.Passed);
        Assert.Equal(7, result.Total);
        Assert.Equal([1, 7, 12, 15, 18, 21], result.Failures.Select(failure => failure.Line));
        Assert.Contains("expected (2 lines)", result.Failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("TABLE_NOT_FOUND", result.Failures[2].Message, StringComparison.Ordinal);
        Assert.Contains("but the statement succeeded", result.Failures[3].Message, StringComparison.Ordinal);
        Assert.Contains("1 columns but the record declares 2", result.Failures[5].Message, StringComparison.Ordinal);
        Assert.Equal("test.slt:1: " + result.Failures[0].Message, result.Failures[0].ToString());
    }

    [Fact]
    public async Task LabelledQueriesMustAgree()
    {
        var result = await RunAsync("""
            query I nosort same
            SELECT 1
            ----
            1

            query I nosort same
            SELECT 2
            ----
            2
            """);

        Assert.Equal(1, result.Passed);
        Assert.Contains("labelled 'same'", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HaltStopsTheFile()
    {
        var result = await RunAsync("""
            statement ok
            SELECT 1

            halt

            statement ok
            SELECT * FROM nowhere
            """);

        Assert.Equal(1, result.Total);
        Assert.Equal(1, result.Passed);
    }

    [Fact]
    public async Task EachFileStartsWithAnEmptyCatalog()
    {
        var first = await RunAsync("""
            statement ok
            CREATE TABLE t (a INTEGER)
            """);
        var second = await RunAsync("""
            statement ok
            CREATE TABLE t (a INTEGER)
            """);

        Assert.Equal(1, first.Passed);
        Assert.Equal(1, second.Passed);
    }

    [Fact]
    public void ErrorPatternsAreFragmentsOrRegularExpressions()
    {
        Assert.True(SqlLogicTestRunner.ErrorMatches(string.Empty, "anything"));
        Assert.True(SqlLogicTestRunner.ErrorMatches("does not EXIST", "TABLE_NOT_FOUND: table 't' does not exist"));
        Assert.True(SqlLogicTestRunner.ErrorMatches("table '.*' does not", "TABLE_NOT_FOUND: table 't' does not exist"));
        Assert.False(SqlLogicTestRunner.ErrorMatches("division", "TABLE_NOT_FOUND: table 't' does not exist"));
        Assert.False(SqlLogicTestRunner.ErrorMatches("(unbalanced", "TABLE_NOT_FOUND"));
    }

    [Fact]
    public async Task CommandPrintsCountsFailuresAndTotalLast()
    {
        var folder = Directory.CreateTempSubdirectory("slt-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.slt"), "query I\nSELECT 1\n----\n1\n\nquery I\nSELECT 2\n----\n3\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "b.slt"), "statement ok\nSELECT 1\n");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exitCode = await CliApp.RunAsync(["sqllogictest", folder.FullName], stdout, stderr, folder.FullName);

            var lines = stdout.ToString().TrimEnd().Split('\n');
            Assert.Equal(CliApp.Failure, exitCode);
            Assert.Equal("a.slt: 1/2", lines[0].TrimEnd());
            Assert.Contains(lines, line => line.Contains("a.slt:6:", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.TrimEnd() == "b.slt: 1/1");
            Assert.Equal("sqllogictest: 2/3 records passed", lines[^1].TrimEnd());

            stdout = new StringWriter();
            exitCode = await CliApp.RunAsync(["sqllogictest", Path.Combine(folder.FullName, "b.slt")], stdout, stderr, folder.FullName);
            Assert.Equal(CliApp.Success, exitCode);
            Assert.EndsWith("sqllogictest: 1/1 records passed", stdout.ToString().TrimEnd(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BooleansAndRealsMatchTheSpellingsOfOtherSuites()
    {
        var result = await RunAsync("""
            query IT
            SELECT 1 < 2, 2 < 1
            ----
            1 false

            query I
            SELECT 1 < 2
            ----
            true

            query R
            SELECT CAST(22 AS double)
            ----
            22.000000

            query R
            SELECT CAST(22.5 AS double)
            ----
            22.000000
            """);
        Assert.Equal(4, result.Total);
        Assert.Equal(3, result.Passed);
        Assert.Single(result.Failures);
    }

    [Fact]
    public async Task RowsWithoutOrderByComeInInsertionOrder()
    {
        var result = await RunAsync("""
            statement ok
            CREATE TABLE t (a INTEGER)

            statement ok
            INSERT INTO t VALUES (3)

            statement ok
            INSERT INTO t VALUES (1)

            statement ok
            INSERT INTO t VALUES (2)

            query I nosort
            SELECT a * 10 FROM t
            ----
            30
            10
            20
            """);
        Assert.Equal(result.Total, result.Passed);
    }
}
