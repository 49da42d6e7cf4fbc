using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Catalog;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine.Statements;
using Lakehouse.Execution.Operators;
using Lakehouse.Planning;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Optimizer;
using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Execution.Engine;

/// <param name="BaseDirectory">Relative paths in table functions resolve against this folder.</param>
/// <param name="MaxFragmentsInFlight">Scan fragments running at once per scan.</param>
/// <param name="MemoryLimitBytes">Per-query memory limit; null means half of the memory available to the process.</param>
/// <param name="SpillEnabled">Whether operators over the limit spill to <paramref name="SpillDirectory"/> (the temp folder when null).</param>
public sealed record QueryEngineOptions(string BaseDirectory, int MaxFragmentsInFlight, long? MemoryLimitBytes = null, bool SpillEnabled = true, string? SpillDirectory = null);

/// <summary>
/// The coordinator's query pipeline: parse, bind, optimize, plan physically (cutting scans into
/// fragments for the workers) and run. <c>EXPLAIN</c> returns the physical plan, including what
/// each scan kept and pruned.
/// </summary>
public sealed class QueryEngine
{
    private readonly TableFunctionRegistry _functions;
    private readonly IReadOnlyList<IWorkerClient> _workers;
    private readonly QueryEngineOptions _options;
    private readonly ITableResolver? _tables;
    private readonly StatementExecutor _statements;
    private readonly SessionSettings _session;

    /// <param name="catalog">Tables of CREATE TABLE and INSERT; engines given the same catalog share tables. A new one when null.</param>
    public QueryEngine(TableFunctionRegistry functions, IReadOnlyList<IWorkerClient> workers, QueryEngineOptions options, ITableResolver? tables = null, MemoryCatalog? catalog = null)
    {
        _functions = functions;
        _workers = workers;
        _options = options;
        catalog ??= new MemoryCatalog();
        _tables = MemoryCatalog.Chain(catalog, tables);
        _statements = new StatementExecutor(
            catalog,
            query => Binder().Bind(query),
            logical => Planner().Plan(LogicalOptimizer.Optimize(logical)));
        _session = new SessionSettings(options);
    }

    /// <summary>The memory catalog holding this engine's tables.</summary>
    public MemoryCatalog Catalog => _statements.Catalog;

    /// <summary>Parses and plans one statement; statement errors surface here, before any row is read.</summary>
    public PreparedQuery Prepare(string sql)
    {
        var statement = SqlParser.Parse(sql);
        return statement switch
        {
            QueryStatement query => new PreparedQuery(PlanQuery(query.Query)),
            SetSessionStatement set => _session.Set(set, ConstantEvaluator.Instance),
            ResetSessionStatement reset => _session.Reset(reset),
            ExplainStatement { Analyze: true, Statement: QueryStatement query } => ExplainAnalyze(query.Query),
            ExplainStatement { Analyze: true } explain => throw new PlanningException(PlanningException.NotSupported, $"{explain.Span}: EXPLAIN ANALYZE takes a query"),
            ExplainStatement { Statement: QueryStatement query } => Explain(PlanQuery(query.Query)),
            _ => new PreparedQuery(_statements.Prepare(statement)),
        };
    }

    /// <summary>The optimized logical plan of a query, for tests and tools.</summary>
    public LogicalPlan PlanLogical(string sql)
    {
        var statement = SqlParser.Parse(sql);
        if (statement is not QueryStatement query)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{statement.Span}: not a query");
        }

        return LogicalOptimizer.Optimize(Binder().Bind(query.Query));
    }

    private PhysicalPlanner Planner(bool profile = false)
    {
        IWorkerClient[] workers = [.. _workers];
        return new PhysicalPlanner(workers, _options.MaxFragmentsInFlight) { Profile = profile, Memory = _session.NewQueryMemory() };
    }

    /// <summary>Session settings (SET SESSION): memory limit and spilling.</summary>
    public SessionSettings Session => _session;

    private QueryBinder Binder() => new(_functions, new TableFunctionContext(_options.BaseDirectory), ConstantEvaluator.Instance, _tables) { DefaultNullOrder = _session.DefaultNullOrder };

    private PhysicalOperator PlanQuery(Query query)
    {
        var logical = LogicalOptimizer.Optimize(Binder().Bind(query));
        return Planner().Plan(logical);
    }

    private PreparedQuery ExplainAnalyze(Query query)
    {
        var logical = LogicalOptimizer.Optimize(Binder().Bind(query));
        var root = Planner(profile: true).Plan(logical);
        return new PreparedQuery(new ExplainAnalyzeOperator(root));
    }

    private static PreparedQuery Explain(PhysicalOperator root)
    {
        var lines = new List<string>();
        root.Explain(lines);
        var schema = new Schema([new Field("Query Plan", StringType.Default, false)], null);
        var builder = ColumnBuilder.Create(StringType.Default, lines.Count);
        foreach (var line in lines)
        {
            builder.AppendScalar(line);
        }

        var batch = new RecordBatch(schema, [builder.Build()], lines.Count);
        return new PreparedQuery(new ValuesOperator(schema, [batch]));
    }
}

/// <summary>A planned statement: its result schema and the operator tree that produces it.</summary>
public sealed class PreparedQuery
{
    internal PreparedQuery(PhysicalOperator root) => Root = root;

    public PhysicalOperator Root { get; }

    public Schema Schema => Root.Schema;

    public async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in Root.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            // Operators may produce batches whose fields carry internal names; the result uses the planned schema.
            yield return ReferenceEquals(batch.Schema, Root.Schema) || batch.ColumnCount != Root.Schema.FieldsList.Count
                ? batch
                : new RecordBatch(Root.Schema, Columns(batch), batch.Length);
        }
    }

    private static IArrowArray[] Columns(RecordBatch batch)
    {
        var columns = new IArrowArray[batch.ColumnCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = batch.Column(i);
        }

        return columns;
    }
}
