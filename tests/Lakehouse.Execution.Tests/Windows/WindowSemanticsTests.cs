using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>Window results checked against hand-computed values, plans, and the errors of invalid window queries.</summary>
[Collection(WindowCollection.Name)]
public sealed class WindowSemanticsTests(WindowFixture fixture)
{
    [Fact]
    public async Task RanksAndRunningSumTreatTiesAsPeers()
    {
        var result = await fixture.RunAsync(
            "SELECT x, row_number() OVER (ORDER BY x), rank() OVER (ORDER BY x), dense_rank() OVER (ORDER BY x), sum(x) OVER (ORDER BY x), " +
            "sum(x) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) FROM (VALUES 3, 1, 2, 2) t(x) ORDER BY 2");
        Assert.Equal(4, result.Rows.Count);
        long[][] expected = [[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 5, 3], [2, 3, 2, 2, 5, 5], [3, 4, 4, 3, 8, 8]];
        for (int r = 0; r < expected.Length; r++)
        {
            for (int c = 0; c < expected[r].Length; c++)
            {
                Assert.Equal(Cell.Integer(expected[r][c].ToString(System.Globalization.CultureInfo.InvariantCulture)), result.Rows[r][c]);
            }
        }
    }

    [Fact]
    public async Task NtileSpreadsTheRemainderOverTheFirstBuckets()
    {
        var result = await fixture.RunAsync("SELECT x, ntile(3) OVER (ORDER BY x) FROM (VALUES 1, 2, 3, 4, 5, 6, 7) t(x) ORDER BY x");
        string[] buckets = ["1", "1", "1", "2", "2", "3", "3"];
        for (int r = 0; r < buckets.Length; r++)
        {
            Assert.Equal(Cell.Integer(buckets[r]), result.Rows[r][1]);
        }
    }

    [Fact]
    public async Task RangeOffsetFramesLeaveNullKeysWithTheirPeers()
    {
        var result = await fixture.RunAsync(
            "SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES 1, 2, 4, NULL, NULL) t(x) ORDER BY x NULLS LAST");
        string[] counts = ["2", "2", "1", "2", "2"];
        for (int r = 0; r < counts.Length; r++)
        {
            Assert.Equal(Cell.Integer(counts[r]), result.Rows[r][1]);
        }
    }

    [Fact]
    public async Task ExplainShowsOneWindowNodeAndPrunesUnusedCalls()
    {
        var text = await ExplainAsync("EXPLAIN SELECT id, rank() OVER (PARTITION BY g ORDER BY k) FROM memory_table('w')");
        Assert.Contains("Window", text);
        Assert.Contains("rank() OVER (PARTITION BY", text);

        var pruned = await ExplainAsync("EXPLAIN SELECT id FROM (SELECT id, sum(v) OVER (PARTITION BY g) AS total FROM memory_table('w'))");
        Assert.DoesNotContain("Window", pruned);
    }

    [Fact]
    public void FiltersOnPartitionKeysRunBelowTheWindowAndReachTheScan()
    {
        var plan = fixture.Engine.PlanLogical(
            "SELECT * FROM (SELECT id, g, k, row_number() OVER (PARTITION BY g ORDER BY id) AS rn, sum(v) OVER (PARTITION BY k, g) AS total " +
            "FROM memory_table('w')) q WHERE g = 'north' AND k > 3 AND rn <= 2");
        var window = Assert.Single(Find<WindowNode>(plan));
        var scan = Assert.Single(Find<ScanNode>(window.Input));
        Assert.NotNull(scan.Filter);

        // g is a partition key of both calls and goes below; k partitions only one call and rn is computed: they stay above.
        var above = Assert.IsType<FilterNode>(Find<FilterNode>(plan).Find(filter => filter.Input is WindowNode));
        Assert.Contains("$window0", above.Predicate.ToString(), StringComparison.Ordinal);
        Assert.Contains("k#", above.Predicate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("north", above.Predicate.ToString(), StringComparison.Ordinal);
    }

    private static List<T> Find<T>(LogicalPlan plan)
        where T : LogicalPlan
    {
        var found = new List<T>();
        var pending = new Stack<LogicalPlan>();
        pending.Push(plan);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is T match)
            {
                found.Add(match);
            }

            foreach (var input in current.Inputs)
            {
                pending.Push(input);
            }
        }

        return found;
    }

    [Theory]
    [InlineData("SELECT id FROM {w} WHERE row_number() OVER (ORDER BY id) > 3", PlanningException.InvalidArgument, "WHERE cannot contain window functions")]
    [InlineData("SELECT g, count(*) FROM {w} GROUP BY g HAVING rank() OVER (ORDER BY g) = 1", PlanningException.InvalidArgument, "HAVING cannot contain window functions")]
    [InlineData("SELECT count(*) FROM {w} GROUP BY rank() OVER (ORDER BY id)", PlanningException.InvalidArgument, "not allowed here")]
    [InlineData("SELECT sum(row_number() OVER (ORDER BY id)) FROM {w}", PlanningException.InvalidArgument, "not allowed here")]
    [InlineData("SELECT sum(v) OVER missing FROM {w}", PlanningException.InvalidArgument, "window 'missing' is not defined")]
    [InlineData("SELECT sum(v) OVER (ORDER BY k, id RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.InvalidArgument, "exactly one ORDER BY key")]
    [InlineData("SELECT sum(v) OVER (RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.InvalidArgument, "exactly one ORDER BY key")]
    [InlineData("SELECT sum(v) OVER (ORDER BY k RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.TypeMismatch, "must be a number")]
    [InlineData("SELECT sum(v) OVER (ORDER BY ts RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.TypeMismatch, "must be an INTERVAL")]
    [InlineData("SELECT sum(v) OVER (ORDER BY g RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.TypeMismatch, "numeric, date or timestamp")]
    [InlineData("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.InvalidArgument, "must not be negative")]
    [InlineData("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.TypeMismatch, "must be an integer")]
    [InlineData("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN v PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.NotSupported, "must be a constant")]
    [InlineData("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM {w}", PlanningException.InvalidArgument, "CURRENT ROW cannot end with PRECEDING")]
    [InlineData("SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM {w}", PlanningException.InvalidArgument, "starting with FOLLOWING")]
    [InlineData("SELECT sum(v) OVER (GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM {w}", PlanningException.InvalidArgument, "GROUPS frame needs an ORDER BY")]
    [InlineData("SELECT sum(lag(v) OVER (ORDER BY id)) OVER () FROM {w}", PlanningException.InvalidArgument, "cannot be nested")]
    [InlineData("SELECT lag(DISTINCT v) OVER (ORDER BY id) FROM {w}", PlanningException.InvalidArgument, "DISTINCT and FILTER apply only to aggregate functions")]
    [InlineData("SELECT g, stddev(sum(v)) OVER () FROM {w} GROUP BY g", PlanningException.NotSupported, "only count, sum, avg, min and max")]
    [InlineData("SELECT upper(g) OVER (ORDER BY id) FROM {w}", PlanningException.FunctionNotFound, "'upper' is not a window function")]
    [InlineData("SELECT rank(v) OVER (ORDER BY id) FROM {w}", PlanningException.InvalidArgument, "rank expects 0 argument(s)")]
    [InlineData("SELECT sum(v) IGNORE NULLS OVER (ORDER BY id) FROM {w}", PlanningException.InvalidArgument, "IGNORE NULLS")]
    [InlineData("SELECT ntile('x') OVER (ORDER BY id) FROM {w}", PlanningException.TypeMismatch, "bucket count must be an integer")]
    [InlineData("SELECT rank() OVER (w ORDER BY id) FROM {w} WINDOW w AS (PARTITION BY g ORDER BY k)", PlanningException.InvalidArgument, "already has an ORDER BY")]
    [InlineData("SELECT rank() OVER (w PARTITION BY k) FROM {w} WINDOW w AS (ORDER BY k)", PlanningException.InvalidArgument, "cannot have its own PARTITION BY")]
    [InlineData("SELECT rank() OVER w FROM {w} WINDOW w AS (ORDER BY k), w AS (ORDER BY id)", PlanningException.InvalidArgument, "defined more than once")]
    [InlineData("SELECT sum(v) OVER (PARTITION BY g) FROM {w} GROUP BY k", PlanningException.MustBeAggregateOrGroupBy, "GROUP BY")]
    public void InvalidWindowQueriesFailWhilePlanning(string sql, string code, string detail)
    {
        var error = Assert.IsType<PlanningException>(Record.Exception(() => fixture.Engine.Prepare(WindowFixture.ForEngine(sql))));
        Assert.True(code == error.Code, $"expected {code}, got {error.Code}: {error.Message}");
        Assert.StartsWith("line 1:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT ntile(0) OVER (ORDER BY id) FROM {w}", "ntile bucket count")]
    [InlineData("SELECT ntile(k - 20) OVER (ORDER BY id) FROM {w}", "ntile bucket count")]
    [InlineData("SELECT lag(v, -1) OVER (ORDER BY id) FROM {w}", "lag offset must not be negative")]
    [InlineData("SELECT nth_value(v, 0) OVER (ORDER BY id) FROM {w}", "nth_value position")]
    public async Task InvalidArgumentsFailWhileRunning(string sql, string detail)
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await ResultComparer.CollectAsync(fixture.Engine.Prepare(WindowFixture.ForEngine(sql)));
        });
        var execution = Assert.IsType<ExecutionException>(error);
        Assert.Equal(ExecutionException.InvalidArgument, execution.Code);
        Assert.Contains(detail, execution.Message, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(string sql)
    {
        var prepared = fixture.Engine.Prepare(sql);
        var lines = new List<string>();
        await foreach (var batch in prepared.ExecuteAsync(CancellationToken.None))
        {
            var column = (Apache.Arrow.StringArray)batch.Column(0);
            for (int i = 0; i < batch.Length; i++)
            {
                lines.Add(column.GetString(i));
            }
        }

        return string.Join("\n", lines);
    }
}
