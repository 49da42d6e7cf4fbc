using Apache.Arrow;
using Lakehouse.Execution.Catalog;
using Lakehouse.Planning.Catalog;
using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Server;

namespace Lakehouse.Benchmarks;

/// <summary>
/// Our engine, embedded, with TPC-H table names resolved to the Iceberg tables. The thread count
/// bounds the scan fragments in flight; the rest of the engine sizes itself by the processor count.
/// </summary>
public sealed class OurEngineRunner
{
    private readonly QueryEngine _engine;

    public OurEngineRunner(string tablesFolder, int threads)
    {
        var tableFunctions = new TableFunctionRegistry();
        var splitReaders = new SplitReaderRegistry();
        EmbeddedEngine.RegisterConnectors(tableFunctions, splitReaders);
        var worker = new InProcessWorkerClient(new Worker(splitReaders));
        var icebergScan = tableFunctions.Find("iceberg_scan")
            ?? throw new BenchmarkException(BenchmarkException.DataPreparationFailed, "the engine has no iceberg_scan table function");
        _engine = new QueryEngine(
            tableFunctions,
            [worker],
            new QueryEngineOptions(tablesFolder, threads),
            new IcebergFolderTables(tablesFolder, icebergScan));
    }

    /// <summary>Runs the query and drains its answer; returns the batches when <paramref name="keep"/> asks for them.</summary>
    public async Task<List<RecordBatch>?> RunAsync(string sql, bool keep, CancellationToken cancellationToken)
    {
        var prepared = _engine.Prepare(sql);
        var kept = keep ? new List<RecordBatch>() : null;
        await foreach (var batch in prepared.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            kept?.Add(batch);
        }

        return kept;
    }
}
