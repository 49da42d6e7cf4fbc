using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Memory;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Server;

/// <summary>Builds the in-process engine: table functions, split readers, the local worker and the query service.</summary>
public sealed class EmbeddedEngine : IEngineHost
{
    private EmbeddedEngine(IQueryService queryService, IWorkerClient localWorker)
    {
        QueryService = queryService;
        LocalWorker = localWorker;
    }

    /// <summary>Creates the SQL engine over the registries; set by the layer that owns the query engine.</summary>
    public static Func<EmbeddedEngineParts, IQueryService>? QueryServiceFactory { get; set; }

    public IQueryService QueryService { get; }

    public IWorkerClient LocalWorker { get; }

    public static EmbeddedEngine Create(string baseDirectory)
    {
        var tableFunctions = new TableFunctionRegistry();
        var splitReaders = new SplitReaderRegistry();
        RegisterConnectors(tableFunctions, splitReaders);
        var worker = new InProcessWorkerClient(new Worker(splitReaders));
        var factory = QueryServiceFactory
            ?? throw new LakehouseServerException(
                "ENGINE_NOT_CONFIGURED",
                "no embedded SQL engine is configured in this build; query a server with --server grpc://host:port");
        return new EmbeddedEngine(factory(new EmbeddedEngineParts(tableFunctions, splitReaders, worker, baseDirectory)), worker);
    }

    /// <summary>Registers every connector's table functions and split readers.</summary>
    public static void RegisterConnectors(TableFunctionRegistry tableFunctions, SplitReaderRegistry splitReaders)
    {
        tableFunctions.Register(new MemoryTableFunction());
        splitReaders.Register(new MemorySplitReader());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed record EmbeddedEngineParts(
    TableFunctionRegistry TableFunctions,
    SplitReaderRegistry SplitReaders,
    IWorkerClient LocalWorker,
    string BaseDirectory);
