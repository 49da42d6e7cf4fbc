using Apache.Arrow;
using Lakehouse.Execution.Catalog;
using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Distributed;
using Lakehouse.Execution.Engine;
using Lakehouse.Execution.Memory;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Tests.Catalog;

/// <summary>CREATE TABLE, INSERT, CREATE TABLE AS and DROP over the memory catalog, checked against DuckDB where they overlap.</summary>
public sealed class MemoryCatalogTests : IDisposable
{
    private readonly SampleTable _main = SampleData.MainTable();
    private readonly SampleTable _side = SampleData.SideTable();
    private readonly DuckDbOracle _oracle;
    private readonly MemoryCatalog _catalog = new();
    private readonly QueryEngine _engine;

    public MemoryCatalogTests()
    {
        var functions = new TableFunctionRegistry();
        var memory = new MemoryTableFunction();
        functions.Register(memory);
        memory.Add(new MemoryTableProvider(_main.Name, _main.Schema, _main.ToBatches()));
        memory.Add(new MemoryTableProvider(_side.Name, _side.Schema, _side.ToBatches()));
        var readers = new SplitReaderRegistry();
        readers.Register(new MemorySplitReader());
        IWorkerClient[] workers = [new InProcessWorkerClient(new Worker(readers))];
        _engine = new QueryEngine(functions, workers, new QueryEngineOptions(Path.GetTempPath(), 2), catalog: _catalog);
        _oracle = new DuckDbOracle([_main, _side]);
    }

    public void Dispose()
    {
        _catalog.Clear();
        _oracle.Dispose();
    }

    private Task<QueryResult> RunAsync(string sql) => ResultComparer.CollectAsync(_engine.Prepare(sql));

    [Theory]
    [InlineData("SELECT * FROM t")]
    [InlineData("SELECT id, a, s FROM t WHERE a > 40 AND s IS NOT NULL")]
    [InlineData("SELECT a, count(*), sum(b), min(s), max(d), avg(x) FROM t GROUP BY a")]
    [InlineData("SELECT s, count(DISTINCT a), sum(e) FROM t GROUP BY s")]
    [InlineData("SELECT t.id, u.uid FROM t JOIN u ON t.a = u.k WHERE u.w > 5")]
    [InlineData("SELECT dt, flag, count(*) FROM t WHERE id <= 1500 GROUP BY dt, flag")]
    public async Task TablesCopiedWithCreateTableAsMatchDuckDb(string sql)
    {
        Assert.Equal(3000L, await ScalarAsync("CREATE TABLE t AS SELECT * FROM memory_table('t')"));
        Assert.Equal(200L, await ScalarAsync("CREATE TABLE u AS SELECT * FROM memory_table('u')"));

        var expected = _oracle.Query(sql);
        var actual = await RunAsync(sql);
        ResultComparer.AssertSame(expected, actual, ordered: false, sql);
    }

    [Fact]
    public async Task InsertedRowsMatchDuckDbAfterCoercion()
    {
        await ScalarAsync("CREATE TABLE t (id BIGINT NOT NULL, a BIGINT, b BIGINT, x DOUBLE, d DECIMAL(20, 4), e DECIMAL(38, 10), s VARCHAR, dt DATE, ts TIMESTAMP, flag BOOLEAN)");
        Assert.Equal(1000L, await ScalarAsync("INSERT INTO t SELECT * FROM memory_table('t') WHERE id <= 1000"));
        Assert.Equal(2000L, await ScalarAsync("INSERT INTO t SELECT * FROM memory_table('t') WHERE id > 1000"));

        const string sql = "SELECT id, a, b, x, d, e, s, dt, ts, flag FROM t";
        var engineResult = await RunAsync(sql);
        Assert.Equal(["bigint", "bigint", "bigint", "double", "decimal(20,4)", "decimal(38,10)", "varchar", "date", "timestamp(6)", "boolean"], engineResult.ColumnTypes);
        var expected = _oracle.Query("SELECT CAST(id AS BIGINT), CAST(a AS BIGINT), b, x, CAST(d AS DECIMAL(20, 4)), e, s, dt, ts, flag FROM t");
        ResultComparer.AssertSame(expected, engineResult, ordered: false, sql);
    }

    [Fact]
    public async Task ScansPlannedBeforeAnInsertDoNotSeeItsRows()
    {
        await ScalarAsync("CREATE TABLE n (v INTEGER)");
        await ScalarAsync("INSERT INTO n VALUES (1), (2)");
        var before = _engine.Prepare("SELECT count(*) FROM n");
        await ScalarAsync("INSERT INTO n VALUES (3)");

        var result = await ResultComparer.CollectAsync(before);
        Assert.Equal(Cell.Integer("2"), Assert.Single(Assert.Single(result.Rows)));
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM n"));
    }

    [Fact]
    public async Task AFailingInsertLeavesTheTableUnchanged()
    {
        await ScalarAsync("CREATE TABLE n (v INTEGER)");
        await ScalarAsync("INSERT INTO n SELECT id FROM memory_table('t')");

        var error = await Assert.ThrowsAsync<ExecutionException>(() => ScalarAsync("INSERT INTO n SELECT 100 / (id - 2500) FROM memory_table('t')"));
        Assert.Equal(ExecutionException.DivisionByZero, error.Code);
        Assert.Equal(3000L, await ScalarAsync("SELECT count(*) FROM n"));
    }

    [Fact]
    public async Task StatementsChangeNothingUntilTheirResultIsRead()
    {
        var create = _engine.Prepare("CREATE TABLE later (v INTEGER)");
        Assert.Null(_catalog.Get(new MemoryTableName("default", "later")));
        await ResultComparer.CollectAsync(create);
        var table = _catalog.Get(new MemoryTableName("default", "later"));
        Assert.NotNull(table);

        var insert = _engine.Prepare("INSERT INTO later VALUES (1), (2)");
        Assert.Equal(0, table.RowCount);
        await ResultComparer.CollectAsync(insert);
        Assert.Equal(2, table.RowCount);
    }

    [Fact]
    public async Task EnginesSharingACatalogSeeEachOthersTables()
    {
        var readers = new SplitReaderRegistry();
        readers.Register(new MemorySplitReader());
        var other = new QueryEngine(new TableFunctionRegistry(), [new InProcessWorkerClient(new Worker(readers))], new QueryEngineOptions(Path.GetTempPath(), 2), catalog: _catalog);
        Assert.Same(_catalog, other.Catalog);

        await ScalarAsync("CREATE TABLE shared_table AS SELECT 41 + 1 AS answer");
        var result = await ResultComparer.CollectAsync(other.Prepare("SELECT answer FROM memory.default.shared_table"));
        Assert.Equal(Cell.Integer("42"), Assert.Single(result.Rows)[0]);
    }

    [Fact]
    public async Task DroppedTablesFreeTheirBatches()
    {
        var store = new MemoryTableStore();
        var catalog = new MemoryCatalog(store);
        var name = new MemoryTableName("default", "x");
        var schema = new Schema([new Field("v", Apache.Arrow.Types.Int32Type.Default, true)], null);
        var table = catalog.Create(name, schema, [], ifNotExists: false, default);
        Assert.NotNull(table);
        Assert.Empty(table.Snapshot().PlanScan(new ScanRequest([0], null, null)).Splits);
        Assert.Null(catalog.Create(name, schema, [], ifNotExists: true, default));

        var values = new Apache.Arrow.Int32Array.Builder().Append(5).Append(6).Build();
        table.Append([new RecordBatch(schema, [values], 2)]);
        var split = Assert.Single(table.Snapshot().PlanScan(new ScanRequest([0], null, null)).Splits);
        var reader = new MemorySplitReader(store);
        await foreach (var batch in reader.ReadAsync(split, CancellationToken.None))
        {
            Assert.Equal(2, batch.Length);
        }

        Assert.True(catalog.Drop(name));
        Assert.False(catalog.Drop(name));
        Assert.Throws<PlanningException>(() => table.Append([]));
        var error = await Assert.ThrowsAsync<ExecutionException>(async () =>
        {
            await foreach (var batch in reader.ReadAsync(split, CancellationToken.None))
            {
                Assert.Fail($"read {batch.Length} rows of a dropped table");
            }
        });
        Assert.Equal(ExecutionException.InvalidFragment, error.Code);
    }

    [Fact]
    public async Task NamesResolveWithOrWithoutSchemaAndCatalog()
    {
        await ScalarAsync("CREATE TABLE Mixed (v INTEGER)");
        await ScalarAsync("INSERT INTO default.mixed VALUES (7)");
        await ScalarAsync("INSERT INTO memory.default.MIXED VALUES (8)");
        Assert.Equal(15L, await ScalarAsync("SELECT sum(v) FROM mixed"));

        var error = Assert.Throws<PlanningException>(() => _engine.Prepare("INSERT INTO other.default.mixed VALUES (1)"));
        Assert.Equal(PlanningException.NotSupported, error.Code);
        Assert.Contains("'memory' catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertChecksColumnsAndTypesWhenPrepared()
    {
        await ScalarAsync("CREATE TABLE typed (i INTEGER NOT NULL, s VARCHAR, d DATE)");
        var mismatch = Assert.Throws<PlanningException>(() => _engine.Prepare("INSERT INTO typed VALUES (1, 'a', 'not a date')"));
        Assert.Equal(PlanningException.TypeMismatch, mismatch.Code);
        Assert.Contains("column 'd'", mismatch.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<PlanningException>(() => _engine.Prepare("INSERT INTO typed (s) VALUES ('a')"));
        Assert.Contains("NOT NULL column 'i'", missing.Message, StringComparison.Ordinal);

        var overflow = await Assert.ThrowsAsync<ExecutionException>(() => ScalarAsync("INSERT INTO typed (i) VALUES (CAST(9999999999 AS BIGINT))"));
        Assert.Equal(ExecutionException.NumericOverflow, overflow.Code);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM typed"));
    }

    [Fact]
    public async Task ShowCreateTableTextCreatesTheSameTable()
    {
        await ScalarAsync("CREATE TABLE original (id BIGINT NOT NULL, \"Mixed Name\" VARCHAR, amount DECIMAL(12, 3), at TIMESTAMP WITH TIME ZONE, day DATE, tag UUID)");
        var shown = await RunAsync("SHOW CREATE TABLE original");
        var text = Assert.IsType<string>(Assert.Single(Assert.Single(shown.Rows)))[4..];
        Assert.StartsWith("CREATE TABLE memory.default.original (\n   id bigint NOT NULL,\n   \"Mixed Name\" varchar,", text, StringComparison.Ordinal);

        var described = await RunAsync("DESCRIBE original");
        await ScalarAsync("DROP TABLE original");
        await ScalarAsync(text);
        var again = await RunAsync("DESCRIBE memory.default.original");
        ResultComparer.AssertSame(described, again, ordered: true, "DESCRIBE original");
        Assert.Equal(6, again.Rows.Count);
    }

    /// <summary>Runs a statement whose result is one integer cell and returns it; DDL (no rows) gives 0.</summary>
    private async Task<long> ScalarAsync(string sql)
    {
        var result = await RunAsync(sql);
        if (result.Rows.Count == 0 && result.ColumnTypes is ["boolean"])
        {
            return 0;
        }

        var cell = Assert.Single(Assert.Single(result.Rows));
        if (cell is string text && text.StartsWith("int:", StringComparison.Ordinal))
        {
            return long.Parse(text[4..], System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"'{sql}' returned {cell}");
    }
}
