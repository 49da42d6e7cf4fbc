using Apache.Arrow;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Execution.Operators;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Logical;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// Binds SQL over the in-memory lineitem table with the engine's binder and optimizer, then builds
/// the operators the physical planner would build for the same nodes, except that each scan is an
/// in-memory source over the batches already decoded. What is measured is the operator and its
/// kernels, not scan fragments or their transport.
/// </summary>
public sealed class OperatorPlans
{
    public const string TableName = "lineitem";

    private readonly QueryEngine _engine;
    private readonly IReadOnlyList<RecordBatch> _batches;

    public OperatorPlans(IReadOnlyList<RecordBatch> batches)
    {
        _batches = batches;
        var functions = new TableFunctionRegistry();
        var memoryTables = new MemoryTableFunction();
        memoryTables.Add(new MemoryTableProvider(TableName, LineitemData.ArrowSchema, batches, new MemoryTableStore()));
        functions.Register(memoryTables);
        _engine = new QueryEngine(functions, System.Array.Empty<IWorkerClient>(), new QueryEngineOptions(Path.GetTempPath(), 1));
    }

    /// <summary>SQL text with <c>{lineitem}</c> standing for the table.</summary>
    public PhysicalOperator Plan(string sql)
    {
        var logical = _engine.PlanLogical(sql.Replace("{lineitem}", $"memory_table('{TableName}')", StringComparison.Ordinal));
        return Build(logical);
    }

    private PhysicalOperator Build(LogicalPlan plan) => plan switch
    {
        ScanNode scan => Source(scan),
        FilterNode filter => new FilterOperator(Build(filter.Input), filter.Predicate),
        ProjectNode project => new ProjectOperator(Build(project.Input), project.Expressions, project.ToSchema()),
        AggregateNode aggregate => new HashAggregateOperator(Build(aggregate.Input), aggregate.GroupKeys, aggregate.Aggregates, aggregate.ToSchema()),
        _ => throw new InvalidOperationException($"the micro-benchmarks build no operator for {plan.Describe()}"),
    };

    private ValuesOperator Source(ScanNode scan)
    {
        var schema = scan.ToSchema();
        return new ValuesOperator(schema, LineitemData.Select(_batches, scan.ColumnIndexes, schema));
    }

    /// <summary>Runs <paramref name="root"/> to the end; returns the rows it produced.</summary>
    public static async Task<long> DrainAsync(PhysicalOperator root)
    {
        long rows = 0;
        await foreach (var batch in root.ExecuteAsync(CancellationToken.None).ConfigureAwait(false))
        {
            rows += batch.Length;
        }

        return rows;
    }
}
