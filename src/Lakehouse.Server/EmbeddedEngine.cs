using Apache.Arrow;
using Lakehouse.Execution.Catalog;
using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Connectors.Iceberg;
using Lakehouse.Execution.Connectors.Parquet;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Server;

/// <summary>Builds the in-process engine: table functions, split readers, the local worker and the query service.</summary>
public sealed class EmbeddedEngine : IEngineHost
{
    private readonly WorkerList _workers;
    private readonly MemoryCatalog _catalog;

    private EmbeddedEngine(IQueryService queryService, IWorkerClient localWorker, WorkerList workers, MemoryCatalog catalog)
    {
        QueryService = queryService;
        LocalWorker = localWorker;
        _workers = workers;
        _catalog = catalog;
    }

    public IQueryService QueryService { get; }

    public IWorkerClient LocalWorker { get; }

    public static EmbeddedEngine Create(string baseDirectory) => Create(baseDirectory, null);

    /// <param name="baseDirectory">Relative table paths in queries resolve against this folder.</param>
    /// <param name="workers">Workers that run scan fragments; the in-process worker when null.</param>
    public static EmbeddedEngine Create(string baseDirectory, IReadOnlyList<IWorkerClient>? workers) => Create(baseDirectory, workers, null);

    /// <param name="baseDirectory">Relative table paths in queries resolve against this folder.</param>
    /// <param name="workers">Workers that run scan fragments; the in-process worker when null.</param>
    /// <param name="tablesFolder">A folder whose sub-folders of Parquet files are tables by name (e.g. TPC-H data), or null.</param>
    public static EmbeddedEngine Create(string baseDirectory, IReadOnlyList<IWorkerClient>? workers, string? tablesFolder)
    {
        var tableFunctions = new TableFunctionRegistry();
        var splitReaders = new SplitReaderRegistry();
        RegisterConnectors(tableFunctions, splitReaders);
        var worker = new InProcessWorkerClient(new Worker(splitReaders));
        var workerList = new WorkerList(workers ?? [worker]);
        // One catalog per engine: every session of a server sees the same CREATE TABLE tables.
        var catalog = new MemoryCatalog();
        var engine = new QueryEngine(
            tableFunctions,
            workerList,
            new QueryEngineOptions(baseDirectory, Math.Max(2, Environment.ProcessorCount)),
            tablesFolder is null ? null : new ParquetFolderTables(tablesFolder, tableFunctions.Find("read_parquet")!),
            catalog: catalog);
        return new EmbeddedEngine(new EngineQueryService(engine), worker, workerList, catalog);
    }

    /// <summary>Registers every connector's table functions and split readers.</summary>
    public static void RegisterConnectors(TableFunctionRegistry tableFunctions, SplitReaderRegistry splitReaders)
    {
        tableFunctions.Register(new MemoryTableFunction());
        splitReaders.Register(new MemorySplitReader());
        IcebergConnector.Register(tableFunctions, splitReaders, FileIORouter.Default);
        ParquetConnector.Register(tableFunctions, splitReaders, FileIORouter.Default);
    }

    public void UseWorkers(IReadOnlyList<IWorkerClient> workers)
    {
        if (workers.Count == 0)
        {
            throw new LakehouseServerException("INVALID_ARGUMENT", "at least one worker is needed to run queries");
        }

        _workers.Replace(workers);
    }

    public ValueTask DisposeAsync()
    {
        _catalog.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>The workers queries are planned on; replaced as a whole so a planning query sees one consistent set.</summary>
    private sealed class WorkerList(IReadOnlyList<IWorkerClient> initial) : IReadOnlyList<IWorkerClient>
    {
        private volatile IWorkerClient[] _workers = [.. initial];

        public void Replace(IReadOnlyList<IWorkerClient> workers) => _workers = [.. workers];

        public IWorkerClient this[int index] => _workers[index];

        public int Count => _workers.Length;

        public IEnumerator<IWorkerClient> GetEnumerator() => ((IEnumerable<IWorkerClient>)_workers).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _workers.GetEnumerator();
    }

    private sealed class EngineQueryService(QueryEngine engine) : IQueryService
    {
        public Task<IQueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prepared = engine.Prepare(sql);
            return Task.FromResult<IQueryResult>(new PreparedResult(prepared));
        }
    }

    private sealed class PreparedResult(PreparedQuery prepared) : IQueryResult
    {
        public Schema Schema => prepared.Schema;

        public IAsyncEnumerable<RecordBatch> ReadAllAsync(CancellationToken cancellationToken) => prepared.ExecuteAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
