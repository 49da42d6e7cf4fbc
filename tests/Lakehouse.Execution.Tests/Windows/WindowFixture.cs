using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>
/// The engine and DuckDB over table t (the shared sample) and table w: events with few partitions,
/// ties and NULLs in every key, and timestamps with irregular gaps (duplicates, hours, weeks).
/// </summary>
public sealed class WindowFixture : IDisposable
{
    public const int EventRows = 700;

    public WindowFixture()
    {
        var main = SampleData.MainTable();
        Events = EventTable();
        var functions = new TableFunctionRegistry();
        var memory = new MemoryTableFunction();
        functions.Register(memory);
        memory.Add(new MemoryTableProvider(main.Name, main.Schema, main.ToBatches()));
        memory.Add(new MemoryTableProvider(Events.Name, Events.Schema, Events.ToBatches()));
        var readers = new SplitReaderRegistry();
        readers.Register(new MemorySplitReader());
        IWorkerClient[] workers = [new InProcessWorkerClient(new Worker(readers))];
        Engine = new QueryEngine(functions, workers, new QueryEngineOptions(Path.GetTempPath(), 2));
        Oracle = new DuckDbOracle([main, Events]);
    }

    public SampleTable Events { get; }

    public QueryEngine Engine { get; }

    public DuckDbOracle Oracle { get; }

    public static string ForEngine(string sql) =>
        sql.Replace("{t}", "memory_table('t')", StringComparison.Ordinal).Replace("{w}", "memory_table('w')", StringComparison.Ordinal);

    public static string ForDuckDb(string sql) =>
        sql.Replace("{t}", "t", StringComparison.Ordinal).Replace("{w}", "w", StringComparison.Ordinal);

    public Task<QueryResult> RunAsync(string sql) => ResultComparer.CollectAsync(Engine.Prepare(ForEngine(sql)));

    public void Dispose() => Oracle.Dispose();

    private static SampleTable EventTable()
    {
        var random = new Random(20261122);
        var schema = new Schema(
            [
                new Field("id", Int32Type.Default, false),
                new Field("g", StringType.Default, true),
                new Field("k", Int32Type.Default, true),
                new Field("v", Int32Type.Default, true),
                new Field("amt", new Decimal128Type(10, 2), true),
                new Field("x", DoubleType.Default, true),
                new Field("ts", new TimestampType(TimeUnit.Microsecond, (string?)null), true),
                new Field("dt", Date32Type.Default, true),
                new Field("uid", Int32Type.Default, false),
                new Field("mon", Int32Type.Default, false),
            ],
            null);
        string?[] groups = ["north", "south", "east", "west", null];
        long micros = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Ticks / 10;
        var rows = new List<object?[]>(EventRows);
        for (int i = 0; i < EventRows; i++)
        {
            // Gaps: often none (equal timestamps), mostly hours, sometimes days or weeks.
            int gapKind = random.Next(10);
            micros += gapKind switch
            {
                0 or 1 => 0,
                < 7 => random.NextInt64(1, 6 * 3_600_000_000L),
                < 9 => random.NextInt64(1, 4 * 86_400_000_000L),
                _ => random.NextInt64(5, 40) * 86_400_000_000L,
            };
            int day = (int)(micros / 86_400_000_000L);
            var date = DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day));
            rows.Add(
            [
                i + 1,
                groups[random.Next(groups.Length)],
                Maybe(random, 0.1, random.Next(0, 16)),
                Maybe(random, 0.1, random.Next(-50, 51)),
                Maybe(random, 0.08, (object)(Int128)random.Next(-10_000, 100_000)),
                Maybe(random, 0.08, Math.Round((random.NextDouble() * 200) - 50, 2)),
                Maybe(random, 0.05, micros),
                Maybe(random, 0.05, day),
                random.Next(1, 41),
                ((date.Year - 2024) * 12) + date.Month,
            ]);
        }

        return new SampleTable(
            "w",
            schema,
            ["INTEGER", "VARCHAR", "INTEGER", "INTEGER", "DECIMAL(10,2)", "DOUBLE", "TIMESTAMP", "DATE", "INTEGER", "INTEGER"],
            rows,
            [250, 250, 200]);
    }

    private static object? Maybe(Random random, double nullFraction, object value) => random.NextDouble() < nullFraction ? null : value;
}

[CollectionDefinition(Name)]
public sealed class WindowCollection : ICollectionFixture<WindowFixture>
{
    public const string Name = "windows";
}
