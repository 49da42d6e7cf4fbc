using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Tests.Memory;

/// <summary>A per-query memory limit: hash aggregation spills and finishes; without spilling the query fails clearly.</summary>
[Collection(EngineCollection.Name)]
public sealed class MemoryLimitTests(EngineFixture fixture)
{
    private const string HighCardinality = "SELECT id, a, count(*), sum(b), max(s), avg(x) FROM {t} GROUP BY id, a";

    private QueryEngine EngineWithLimit(long limitBytes, bool spill)
    {
        var functions = new TableFunctionRegistry();
        var memory = new MemoryTableFunction();
        functions.Register(memory);
        memory.Add(fixture.MainProvider);
        memory.Add(fixture.SideProvider);
        var readers = new SplitReaderRegistry();
        readers.Register(new MemorySplitReader());
        IWorkerClient[] workers = [new InProcessWorkerClient(new Worker(readers))];
        return new QueryEngine(functions, workers, new QueryEngineOptions(Path.GetTempPath(), 2, limitBytes, spill));
    }

    [Fact]
    public async Task AggregationOverTheLimitSpillsAndMatchesDuckDb()
    {
        var engine = EngineWithLimit(64 * 1024, spill: true);
        var expected = fixture.Oracle.Query(EngineFixture.ForDuckDb(HighCardinality));
        var actual = await ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(HighCardinality)));
        ResultComparer.AssertSame(expected, actual, false, HighCardinality);

        var analyzed = await ResultComparer.CollectAsync(engine.Prepare("EXPLAIN ANALYZE " + EngineFixture.ForEngine(HighCardinality)));
        Assert.Contains(analyzed.Rows, row => (row[0]?.ToString() ?? string.Empty).Contains("spilled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AggregationOverTheLimitWithoutSpillingFailsClearly()
    {
        var engine = EngineWithLimit(64 * 1024, spill: false);
        var error = await Assert.ThrowsAsync<ExecutionException>(() => ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(HighCardinality))));
        Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);
        Assert.StartsWith("memory limit exceeded: HashAggregate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);

        // The engine stays usable after the failure.
        var after = await ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine("SELECT count(*) FROM {t}")));
        Assert.Single(after.Rows);
    }

    [Fact]
    public async Task SessionSettingsChangeTheLimitAndSpilling()
    {
        var engine = EngineWithLimit(1L << 30, spill: true);
        await ResultComparer.CollectAsync(engine.Prepare("SET SESSION query_max_memory = '64kB'"));
        await ResultComparer.CollectAsync(engine.Prepare("SET SESSION spill_enabled = false"));
        Assert.Equal(64 * 1024, engine.Session.MemoryLimitBytes);
        var error = await Assert.ThrowsAsync<ExecutionException>(() => ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(HighCardinality))));
        Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);

        await ResultComparer.CollectAsync(engine.Prepare("RESET SESSION spill_enabled"));
        var result = await ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(HighCardinality)));
        Assert.Equal(SampleData.MainRows, result.Rows.Count);

        var unknown = Assert.Throws<Lakehouse.Planning.PlanningException>(() => engine.Prepare("SET SESSION no_such_setting = 1"));
        Assert.Contains("unknown session property", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SortOverTheLimitFailsClearly()
    {
        var engine = EngineWithLimit(16 * 1024, spill: false);
        var error = await Assert.ThrowsAsync<ExecutionException>(() => ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine("SELECT * FROM {t} ORDER BY s, id"))));
        Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);
        Assert.Contains("Sort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SortOverTheLimitSpillsRunsAndMergesThem()
    {
        const string sql = "SELECT id, s, a, x FROM {t} ORDER BY s DESC NULLS FIRST, a, id";
        var engine = EngineWithLimit(16 * 1024, spill: true);
        var expected = fixture.Oracle.Query(EngineFixture.ForDuckDb(sql));
        var actual = await ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(sql)));
        ResultComparer.AssertSame(expected, actual, true, sql);

        var analyzed = await ResultComparer.CollectAsync(engine.Prepare("EXPLAIN ANALYZE " + EngineFixture.ForEngine(sql)));
        Assert.Contains(analyzed.Rows, row => (row[0]?.ToString() ?? string.Empty).Contains("spilled", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT x.id, y.id, y.s FROM {t} x JOIN {t} y ON x.a = y.a AND x.id < y.id WHERE x.id <= 600")]
    [InlineData("SELECT x.id, y.id FROM {t} x LEFT JOIN {t} y ON x.a = y.a + 1 AND y.b > 0")]
    [InlineData("SELECT x.id, y.id FROM {t} x FULL JOIN (SELECT * FROM {t} WHERE id % 3 = 0) y ON x.id = y.id + 1")]
    [InlineData("SELECT id FROM {t} x WHERE NOT EXISTS (SELECT 1 FROM {t} y WHERE y.a = x.a + 100 AND y.id <> x.id)")]
    [InlineData("SELECT id, EXISTS (SELECT 1 FROM {t} y WHERE y.b = x.b AND y.id <> x.id) FROM {t} x")]
    public async Task JoinWhoseBuildSideIsOverTheLimitSpillsPartitions(string sql)
    {
        var engine = EngineWithLimit(16 * 1024, spill: true);
        var expected = fixture.Oracle.Query(EngineFixture.ForDuckDb(sql));
        var actual = await ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine(sql)));
        ResultComparer.AssertSame(expected, actual, false, sql);

        var analyzed = await ResultComparer.CollectAsync(engine.Prepare("EXPLAIN ANALYZE " + EngineFixture.ForEngine(sql)));
        Assert.Contains(analyzed.Rows, row => (row[0]?.ToString() ?? string.Empty).Contains("spilled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JoinOverTheLimitWithoutSpillingFailsClearly()
    {
        var engine = EngineWithLimit(48 * 1024, spill: false);
        var error = await Assert.ThrowsAsync<ExecutionException>(() => ResultComparer.CollectAsync(engine.Prepare(EngineFixture.ForEngine("SELECT x.id, y.id FROM {t} x JOIN {t} y ON x.a = y.a"))));
        Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);
        Assert.Contains("HashJoin build side", error.Message, StringComparison.Ordinal);
    }
}
