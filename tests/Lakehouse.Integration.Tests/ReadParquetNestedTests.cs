using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Connectors.Parquet;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Integration.Tests;

/// <summary>Nested and less common Parquet types, read through the read_parquet provider and its split reader.</summary>
public sealed class ReadParquetNestedTests : IDisposable
{
    private readonly string _folder;

    public ReadParquetNestedTests()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lakehouse-read-parquet-nested-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        using var duck = new DuckDbFiles(_folder);
        duck.Execute($$"""
            COPY (
                SELECT
                    i AS id,
                    {'a': i, 'b': 'x' || i} AS pair,
                    CASE WHEN i % 3 = 0 THEN NULL ELSE [i, i + 1, i + 2] END AS numbers,
                    MAP {'k' || i: i * 10} AS lookup,
                    ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS id_uuid,
                    TIME '01:02:03.456789' + i * INTERVAL 1 SECOND AS at_time
                FROM range(0, 10) t(i)
            ) TO '{{Path.Combine(_folder, "nested.parquet")}}' (FORMAT parquet)
            """);
    }

    public void Dispose() => TempFolders.Delete(_folder);

    [Fact]
    public void Nested_columns_map_to_arrow_nested_types()
    {
        var provider = Resolve();
        var fields = provider.Schema.FieldsList;
        Assert.Equal(["id", "pair", "numbers", "lookup", "id_uuid", "at_time"], fields.Select(f => f.Name).ToArray());
        var pair = Assert.IsType<StructType>(fields[1].DataType);
        Assert.Equal(["a", "b"], pair.Fields.Select(f => f.Name).ToArray());
        Assert.IsType<Int64Type>(Assert.IsType<ListType>(fields[2].DataType).ValueDataType);
        var map = Assert.IsType<MapType>(fields[3].DataType);
        Assert.IsType<StringType>(map.KeyField.DataType);
        Assert.IsType<Int64Type>(map.ValueField.DataType);
        Assert.IsType<GuidType>(fields[4].DataType);
        Assert.Equal(TimeUnit.Microsecond, Assert.IsType<Time64Type>(fields[5].DataType).Unit);
    }

    [Fact]
    public async Task Split_reader_decodes_nested_values_by_name()
    {
        var batches = await ReadAsync([0, 1, 2, 3, 4, 5]);
        var batch = Assert.Single(batches);
        Assert.Equal(10, batch.Length);

        var pair = (StructArray)batch.Column(1);
        Assert.Equal(7L, ((Int64Array)pair.Fields[0]).GetValue(7));
        Assert.Equal("x7", ((StringArray)pair.Fields[1]).GetString(7));

        var numbers = (ListArray)batch.Column(2);
        Assert.True(numbers.IsNull(3));
        var four = (Int64Array)numbers.GetSlicedValues(4);
        Assert.Equal([4L, 5L, 6L], four.Values.ToArray());

        var lookup = (MapArray)batch.Column(3);
        Assert.Equal(1, lookup.GetValueLength(2));
        Assert.Equal("k2", ((StringArray)lookup.Keys).GetString(lookup.ValueOffsets[2]));
        Assert.Equal(20L, ((Int64Array)lookup.Values).GetValue(lookup.ValueOffsets[2]));

        var uuids = (GuidArray)batch.Column(4);
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000009"), uuids.GetGuid(9));

        var times = (Time64Array)batch.Column(5);
        Assert.Equal(((((1 * 60) + 2) * 60) + 3 + 5) * 1_000_000L + 456_789, times.GetMicroSeconds(5));
    }

    [Fact]
    public async Task Projection_reads_only_the_requested_columns_in_order()
    {
        var batch = Assert.Single(await ReadAsync([5, 0]));
        Assert.Equal(2, batch.ColumnCount);
        Assert.Equal("at_time", batch.Schema.FieldsList[0].Name);
        Assert.Equal(9L, ((Int64Array)batch.Column(1)).GetValue(9));
    }

    [Fact]
    public async Task Engine_counts_rows_of_a_file_with_nested_columns()
    {
        var rows = await EngineQuery.RunAsync(_folder, "SELECT count(*), sum(id) FROM read_parquet('nested.parquet') WHERE id > 2");
        ResultCells.AssertEqual([["7", "42"]], rows, "count over nested file");
    }

    [Fact]
    public async Task Files_with_field_ids_are_read_by_id()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "ids"));
        using var duck = new DuckDbFiles(_folder);
        duck.Execute($"COPY (SELECT i AS k, 'v' || i AS v, {{'x': i * 2}} AS s FROM range(100) t(i)) TO '{Path.Combine(_folder, "ids", "a.parquet")}' (FORMAT parquet, FIELD_IDS {{k: 7, v: 3, s: {{__duckdb_field_id: 5, x: 11}}}})");
        duck.Execute($"COPY (SELECT i AS k, 'w' || i AS v, {{'x': i * 3}} AS s FROM range(100, 150) t(i)) TO '{Path.Combine(_folder, "ids", "b.parquet")}' (FORMAT parquet, FIELD_IDS {{k: 7, v: 3, s: {{__duckdb_field_id: 5, x: 11}}}})");
        var rows = await EngineQuery.RunAsync(_folder, "SELECT count(*), sum(k), min(v), max(v) FROM read_parquet('ids')");
        ResultCells.AssertEqual(duck.Cells($"SELECT count(*), sum(k), min(v), max(v) FROM {duck.Table("ids")}"), rows, "files with field ids");

        var provider = new ReadParquetFunction(FileIORouter.Default).Resolve(["ids"], null, new TableFunctionContext(_folder));
        Assert.Equal(["7", "3", "5"], provider.Schema.FieldsList.Select(f => f.Metadata["PARQUET:field_id"]).ToArray());

        duck.Execute($"COPY (SELECT i AS k, 'v' || i AS v, {{'x': i}} AS s FROM range(5) t(i)) TO '{Path.Combine(_folder, "ids", "c.parquet")}' (FORMAT parquet, FIELD_IDS {{k: 1, v: 2, s: {{__duckdb_field_id: 5, x: 11}}}})");
        var error = Assert.Throws<Lakehouse.Execution.ExecutionException>(() => new ReadParquetFunction(FileIORouter.Default).Resolve(["ids"], null, new TableFunctionContext(_folder)));
        Assert.Equal(ParquetErrors.SchemaMismatch, error.Code);
    }

    private ITableProvider Resolve() =>
        new ReadParquetFunction(FileIORouter.Default).Resolve(["nested.parquet"], null, new TableFunctionContext(_folder));

    private async Task<List<RecordBatch>> ReadAsync(int[] columns)
    {
        var plan = Resolve().PlanScan(new ScanRequest(columns, null, null));
        var reader = new ParquetSplitReader(FileIORouter.Default);
        var batches = new List<RecordBatch>();
        foreach (var split in plan.Splits)
        {
            Assert.Equal(ParquetSplitReader.Id, split.ConnectorId);
            await foreach (var batch in reader.ReadAsync(split, CancellationToken.None))
            {
                batches.Add(batch);
            }
        }

        return batches;
    }
}
