using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Cli;
using Lakehouse.Execution.Distributed;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Storage;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lakehouse-demo-" + Guid.NewGuid().ToString("N"));

    public DemoCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Warehouse => Path.Combine(_root, "wh");

    [Fact]
    public async Task DemoWritesTablesThatLoadAndPlan()
    {
        var engine = new RecordingEngineHost();
        var (exitCode, stdout, stderr) = await RunAsync(engine.Create, "demo", "--warehouse", Warehouse);

        Assert.Equal(string.Empty, stderr);
        Assert.Equal(CliApp.Success, exitCode);

        var events = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "events"));
        Assert.Equal(2, events.Metadata.Snapshots.Count);
        var current = IcebergScanPlanner.Plan(events, SnapshotSelection.Current, AlwaysTrue.Instance);
        var first = IcebergScanPlanner.Plan(events, SnapshotSelection.ById(events.Metadata.Snapshots[0].SnapshotId), AlwaysTrue.Instance);
        Assert.Equal(7, current.Tasks.Count);
        Assert.Equal(4, first.Tasks.Count);
        Assert.Equal(long.Parse(events.Metadata.CurrentSnapshot!.Summary["total-records"], System.Globalization.CultureInfo.InvariantCulture), current.Tasks.Sum(t => t.File.RecordCount));

        var orders = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "orders"));
        Assert.Equal(7, IcebergScanPlanner.Plan(orders, SnapshotSelection.Current, AlwaysTrue.Instance).Tasks.Count);
        var customers = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "customers"));
        Assert.Equal(50, IcebergScanPlanner.Plan(customers, SnapshotSelection.Current, AlwaysTrue.Instance).Tasks.Sum(t => t.File.RecordCount));

        Assert.Equal(Path.GetFullPath(Warehouse), engine.BaseDirectory);
        var firstId = events.Metadata.Snapshots[0].SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(engine.Queries, sql => sql.EndsWith("FOR VERSION AS OF " + firstId, StringComparison.Ordinal));
        Assert.Equal(2, engine.Queries.Count(sql => sql.StartsWith("EXPLAIN ", StringComparison.Ordinal)));
        Assert.Contains(engine.Queries, sql => sql.Contains("GROUP BY", StringComparison.Ordinal));
        foreach (var sql in engine.Queries)
        {
            Assert.Contains("sql> " + sql, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("  plan of EXPLAIN SELECT count(*)", stdout, StringComparison.Ordinal);
        Assert.Contains("events", stdout, StringComparison.Ordinal);
        Assert.Contains("snapshot " + firstId, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoRunsTwiceReplacingItsTables()
    {
        var engine = new RecordingEngineHost();
        Assert.Equal(CliApp.Success, (await RunAsync(engine.Create, "demo", "--warehouse", Warehouse)).ExitCode);
        var before = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "events")).Metadata.TableUuid;

        var (exitCode, _, stderr) = await RunAsync(engine.Create, "demo", "--warehouse", Warehouse);

        Assert.Equal(string.Empty, stderr);
        Assert.Equal(CliApp.Success, exitCode);
        var events = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "events"));
        Assert.Equal(2, events.Metadata.Snapshots.Count);
        Assert.NotEqual(before, events.Metadata.TableUuid);
    }

    [Fact]
    public async Task DemoRunsItsTourOnTheEmbeddedEngine()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApp.RunAsync(["demo", "--warehouse", Warehouse], stdout, stderr, _root);

        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Equal(CliApp.Success, exitCode);
        Assert.Equal(3, DemoTablesIn(Warehouse));
        var events = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Warehouse, "events")).Metadata;
        var output = stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Matches($"\\n *{events.CurrentSnapshot!.Summary["total-records"]}\\n\\(1 row\\)", output);
        Assert.Matches($"FOR VERSION AS OF {events.Snapshots[0].SnapshotId}\\n[^\\n]*\\n-+\\n *{events.Snapshots[0].Summary["total-records"]}\\n", output);
        Assert.Contains("manifests: 1 read, 1 skipped of 2", output, StringComparison.Ordinal);
        Assert.Contains("5 pruned by partition", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingStatementIsReportedAndTheTourGoesOn()
    {
        var engine = new RecordingEngineHost { FailOn = "GROUP BY event_type" };

        var (exitCode, stdout, stderr) = await RunAsync(engine.Create, "demo", "--warehouse", Warehouse);

        Assert.Equal(CliApp.Failure, exitCode);
        Assert.Equal("lakehouse: error [TEST_FAILURE]: cannot run this statement", stderr.Trim());
        Assert.Contains("FOR VERSION AS OF", engine.Queries[^1], StringComparison.Ordinal);
        Assert.Equal(9, engine.Queries.Count);
        Assert.Contains("1 demo statement(s) failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultWarehouseIsUnderTheWorkingDirectory()
    {
        var engine = new RecordingEngineHost();
        var (exitCode, _, _) = await RunAsync(engine.Create, "demo");

        Assert.Equal(CliApp.Success, exitCode);
        Assert.Equal(3, DemoTablesIn(Path.Combine(_root, "demo-warehouse")));
    }

    [Fact]
    public async Task ForeignContentInATableFolderIsNotDeleted()
    {
        var foreign = Path.Combine(Warehouse, "orders", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(foreign)!);
        await File.WriteAllTextAsync(foreign, "keep me");

        var (exitCode, _, stderr) = await RunAsync(_ => new RecordingEngineHost(), "demo", "--warehouse", Warehouse);

        Assert.Equal(CliApp.Failure, exitCode);
        Assert.Contains("[DEMO_WAREHOUSE_NOT_EMPTY]", stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(foreign));
    }

    [Fact]
    public async Task UnknownOptionIsAUsageError()
    {
        var (exitCode, _, stderr) = await RunAsync(_ => new RecordingEngineHost(), "demo", "--tables", "3");

        Assert.Equal(CliApp.UsageError, exitCode);
        Assert.Contains("--tables", stderr, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Func<string, IEngineHost> engineFactory, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, _root, engineFactory, CancellationToken.None);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static int DemoTablesIn(string warehouse)
    {
        var count = 0;
        foreach (var name in new[] { "events", "orders", "customers" })
        {
            var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(warehouse, name));
            Assert.NotNull(table.Metadata.CurrentSnapshot);
            count++;
        }

        return count;
    }

    /// <summary>Records the statements it is given and answers each with one row: a plan line for EXPLAIN, a number otherwise.</summary>
    private sealed class RecordingEngineHost : IEngineHost, IQueryService
    {
        private readonly ConcurrentQueue<string> _queries = new();

        public string? BaseDirectory { get; private set; }

        public IEngineHost Create(string baseDirectory)
        {
            BaseDirectory = baseDirectory;
            return this;
        }

        public IReadOnlyList<string> Queries => _queries.ToArray();

        public string? FailOn { get; init; }

        public IQueryService QueryService => this;

        public IWorkerClient LocalWorker { get; } = new EchoWorker();

        public void UseWorkers(IReadOnlyList<IWorkerClient> workers)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<IQueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            _queries.Enqueue(sql);
            if (FailOn is not null && sql.Contains(FailOn, StringComparison.Ordinal))
            {
                throw new CodedTestException("TEST_FAILURE", "cannot run this statement");
            }

            IQueryResult result = sql.StartsWith("EXPLAIN ", StringComparison.Ordinal)
                ? new OneRowResult(new Field("plan", StringType.Default, nullable: false), new StringArray.Builder().Append("plan of " + sql).Build())
                : new OneRowResult(new Field("answer", Int64Type.Default, nullable: false), new Int64Array.Builder().Append(sql.Length).Build());
            return Task.FromResult(result);
        }
    }

    private sealed class OneRowResult(Field field, IArrowArray values) : IQueryResult
    {
        public Schema Schema { get; } = new Schema.Builder().Field(field).Build();

        public async IAsyncEnumerable<RecordBatch> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return new RecordBatch(Schema, [values], 1);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
