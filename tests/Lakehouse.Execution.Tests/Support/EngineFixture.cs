using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Tests.Support;

/// <summary>The engine over memory tables t and u, and a DuckDB holding the same rows.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Main = SampleData.MainTable();
        Side = SampleData.SideTable();
        var functions = new TableFunctionRegistry();
        var memory = new MemoryTableFunction();
        functions.Register(memory);
        MainProvider = new MemoryTableProvider(Main.Name, Main.Schema, Main.ToBatches());
        SideProvider = new MemoryTableProvider(Side.Name, Side.Schema, Side.ToBatches());
        memory.Add(MainProvider);
        memory.Add(SideProvider);
        var readers = new SplitReaderRegistry();
        readers.Register(new MemorySplitReader());
        IWorkerClient[] workers = [new InProcessWorkerClient(new Worker(readers))];
        Engine = new QueryEngine(functions, workers, new QueryEngineOptions(Path.GetTempPath(), 2));
        Oracle = new DuckDbOracle([Main, Side]);
    }

    public SampleTable Main { get; }

    public SampleTable Side { get; }

    public MemoryTableProvider MainProvider { get; }

    public MemoryTableProvider SideProvider { get; }

    public QueryEngine Engine { get; }

    public DuckDbOracle Oracle { get; }

    /// <summary>Replaces the {t} and {u} placeholders with this engine's table references.</summary>
    public static string ForEngine(string sql) => sql.Replace("{t}", "memory_table('t')", StringComparison.Ordinal).Replace("{u}", "memory_table('u')", StringComparison.Ordinal);

    /// <summary>Replaces the placeholders with DuckDB's table names.</summary>
    public static string ForDuckDb(string sql) => sql.Replace("{t}", "t", StringComparison.Ordinal).Replace("{u}", "u", StringComparison.Ordinal);

    public Task<QueryResult> RunAsync(string sql) => ResultComparer.CollectAsync(Engine.Prepare(ForEngine(sql)));

    public void Dispose() => Oracle.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
