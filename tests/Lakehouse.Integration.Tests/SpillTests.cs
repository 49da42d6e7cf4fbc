using Lakehouse.Execution;
using Lakehouse.Server;

namespace Lakehouse.Integration.Tests;

/// <summary>
/// A GROUP BY whose hash table is far over the query memory limit (150,000 order keys of TPC-H SF 0.1
/// under 4 MiB): with spilling it finishes and matches DuckDB; without, it fails with
/// MEMORY_LIMIT_EXCEEDED and the engine keeps answering.
/// </summary>
public sealed class SpillTests(TpchScaleData.Sf01 data) : IClassFixture<TpchScaleData.Sf01>
{
    private const string HighCardinality = """
        SELECT l_orderkey, count(*) AS lines, sum(l_quantity) AS quantity, sum(l_extendedprice * (1 - l_discount)) AS revenue, max(l_shipdate) AS last_ship
        FROM lineitem
        GROUP BY l_orderkey
        """;

    [Fact]
    public async Task Aggregation_over_the_memory_limit_spills_and_matches_DuckDB()
    {
        var engine = EmbeddedEngine.Create(data.Folder, null, data.Folder);
        await using (engine.ConfigureAwait(false))
        {
            await TpchResults.RunAsync(engine.QueryService, "SET SESSION query_max_memory = '4MB'");
            var actual = await TpchResults.RunAsync(engine.QueryService, HighCardinality);
            TpchResults.AssertSame(data.Duck.Query(HighCardinality), actual, ordered: false, "spilled aggregation");

            var plan = await TpchResults.RunAsync(engine.QueryService, "EXPLAIN ANALYZE " + HighCardinality);
            Assert.Contains(plan, row => row[0].Value is string line && line.Contains("spilled", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_spilling_the_query_fails_clearly_and_the_engine_stays_up()
    {
        var engine = EmbeddedEngine.Create(data.Folder, null, data.Folder);
        await using (engine.ConfigureAwait(false))
        {
            await TpchResults.RunAsync(engine.QueryService, "SET SESSION query_max_memory = '4MB'");
            await TpchResults.RunAsync(engine.QueryService, "SET SESSION spill_enabled = false");
            var error = await Assert.ThrowsAsync<ExecutionException>(() => TpchResults.RunAsync(engine.QueryService, HighCardinality));
            Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);
            Assert.StartsWith("memory limit exceeded", error.Message, StringComparison.Ordinal);

            var count = await TpchResults.RunAsync(engine.QueryService, "SELECT count(*) FROM orders");
            Assert.Equal(150_000L, count[0][0].Value);
        }
    }
}
