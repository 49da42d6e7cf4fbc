using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Distributed;

namespace Lakehouse.Server.Tests;

/// <summary>An error of the engine's shape: an exception type with a string <c>Code</c>.</summary>
internal sealed class CodedTestException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Stands in for the engine to exercise the transport: answers a small fixed set of statements
/// and rejects anything else the way the parser would.
/// </summary>
internal sealed class ScriptedQueryService : IQueryService
{
    public const string TwoBatchQuery = "SELECT * FROM two_batches";
    public const string EmptyQuery = "SELECT * FROM nothing";
    public const string FailingDuringExecutionQuery = "SELECT * FROM breaks_while_reading";

    private int _executions;

    public int Executions => _executions;

    public static Schema TwoBatchSchema { get; } = new Schema.Builder()
        .Field(new Field("x", Int32Type.Default, nullable: false))
        .Field(new Field("y", StringType.Default, nullable: true))
        .Field(new Field("id", GuidType.Default, nullable: true))
        .Build();

    public static IReadOnlyList<RecordBatch> TwoBatches()
    {
        var first = new RecordBatch(
            TwoBatchSchema,
            [
                new Int32Array.Builder().Append(1).Append(2).Build(),
                new StringArray.Builder().Append("a").AppendNull().Build(),
                new GuidArray.Builder().Append(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")).AppendNull().Build(),
            ],
            2);
        var second = new RecordBatch(
            TwoBatchSchema,
            [
                new Int32Array.Builder().Append(3).Build(),
                new StringArray.Builder().Append("c,\"d\"").Build(),
                new GuidArray.Builder().Append(Guid.Parse("ffffffff-0000-0000-0000-000000000001")).Build(),
            ],
            1);
        return [first, second];
    }

    public Task<IQueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        IQueryResult result = sql switch
        {
            TwoBatchQuery => new ListResult(TwoBatchSchema, TwoBatches(), failAfterFirst: false),
            EmptyQuery => new ListResult(TwoBatchSchema, [], failAfterFirst: false),
            FailingDuringExecutionQuery => new ListResult(TwoBatchSchema, TwoBatches(), failAfterFirst: true),
            _ => throw new CodedTestException("SQL_SYNTAX_ERROR", $"line 1:1: cannot parse statement '{sql}'"),
        };
        return Task.FromResult(result);
    }

    private sealed class ListResult(Schema schema, IReadOnlyList<RecordBatch> batches, bool failAfterFirst) : IQueryResult
    {
        public Schema Schema { get; } = schema;

        public async IAsyncEnumerable<RecordBatch> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var batch in batches)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
                if (failAfterFirst)
                {
                    throw new CodedTestException("STORAGE_FILE_NOT_FOUND", "data file 'warehouse/t/data/0.parquet' does not exist");
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A worker that answers each fragment with one row describing the bytes it received.</summary>
internal sealed class EchoWorker : IWorkerClient
{
    public static readonly byte[] FailingFragment = "fail"u8.ToArray();

    public string Address => "in-process";

    public static Schema ResultSchema { get; } = new Schema.Builder()
        .Field(new Field("fragment", BinaryType.Default, nullable: false))
        .Field(new Field("length", Int32Type.Default, nullable: false))
        .Build();

    public async IAsyncEnumerable<RecordBatch> ExecuteAsync(byte[] serializedFragment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (serializedFragment.AsSpan().SequenceEqual(FailingFragment))
        {
            throw new CodedTestException("EXECUTION_FRAGMENT_INVALID", "fragment is not a serialized plan");
        }

        yield return new RecordBatch(
            ResultSchema,
            [new BinaryArray.Builder().Append(serializedFragment).Build(), new Int32Array.Builder().Append(serializedFragment.Length).Build()],
            1);
    }
}

internal sealed class ScriptedEngineHost : IEngineHost
{
    public IQueryService QueryService { get; } = new ScriptedQueryService();

    public IWorkerClient LocalWorker { get; } = new EchoWorker();

    public IReadOnlyList<IWorkerClient> Workers { get; private set; } = [];

    public void UseWorkers(IReadOnlyList<IWorkerClient> workers) => Workers = workers;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One in-process server on a free port, shared by a test class.</summary>
public sealed class ScriptedServerFixture : Xunit.IAsyncLifetime
{
    private LakehouseServerHandle? _server;

    internal ScriptedQueryService QueryService { get; } = new();

    public LakehouseServerHandle Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync()
    {
        _server = await LakehouseServer.StartAsync(new LakehouseServerOptions
        {
            Port = 0,
            QueryService = QueryService,
            LocalWorker = new EchoWorker(),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
