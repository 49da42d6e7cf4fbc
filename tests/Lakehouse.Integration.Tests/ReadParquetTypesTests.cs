using Apache.Arrow.Types;
using Lakehouse.Execution.Connectors.Parquet;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Integration.Tests;

/// <summary>Parquet files written by DuckDB with many column types, read by read_parquet and by DuckDB.</summary>
public sealed class ReadParquetTypesTests : IDisposable
{
    private const string Columns = """
        SELECT
            (i % 100)::TINYINT AS tiny, ((i * 30) % 30000)::SMALLINT AS small, (i * 1000)::INTEGER AS int32, i::BIGINT * 10000000000 AS int64,
            (i / 3)::REAL AS real_value, i / 7 AS double_value,
            (i * 1.25)::DECIMAL(9, 2) AS dec9, (i * 1.0001)::DECIMAL(18, 4) AS dec18, (i * 123456789.123)::DECIMAL(38, 10) AS dec38,
            CASE WHEN i % 5 = 0 THEN NULL ELSE 'text ' || i END AS label, ('bin' || i)::BLOB AS raw,
            DATE '2020-01-01' + i::INTEGER AS day, TIMESTAMP '2021-03-04 05:06:07.123456' + i * INTERVAL 1 HOUR AS ts,
            TIMESTAMPTZ '2021-03-04 05:06:07+00' + i * INTERVAL 1 MINUTE AS tstz, i % 2 = 0 AS flag
        FROM range(-50, 950) t(i)
        """;

    private readonly string _folder;
    private readonly DuckDbFiles _duck;

    public ReadParquetTypesTests()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lakehouse-read-parquet-types-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "types"));
        _duck = new DuckDbFiles(_folder);
        _duck.Execute($"COPY ({Columns}) TO '{Path.Combine(_folder, "types", "t.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 300)");
        _duck.Execute($"COPY (SELECT * FROM ({Columns}) WHERE tiny < 0) TO '{Path.Combine(_folder, "types", "s.parquet")}' (FORMAT parquet, COMPRESSION zstd)");
    }

    public void Dispose()
    {
        _duck.Dispose();
        TempFolders.Delete(_folder);
    }

    [Fact]
    public void Parquet_types_map_to_engine_types()
    {
        var provider = new ReadParquetFunction(FileIORouter.Default).Resolve(["types"], null, new TableFunctionContext(_folder));
        var types = provider.Schema.FieldsList.ToDictionary(f => f.Name, f => f.DataType);
        Assert.IsType<Int32Type>(types["tiny"]);
        Assert.IsType<Int32Type>(types["small"]);
        Assert.IsType<Int32Type>(types["int32"]);
        Assert.IsType<Int64Type>(types["int64"]);
        Assert.IsType<FloatType>(types["real_value"]);
        Assert.IsType<DoubleType>(types["double_value"]);
        Assert.Equal((9, 2), Decimal(types["dec9"]));
        Assert.Equal((18, 4), Decimal(types["dec18"]));
        Assert.Equal((38, 10), Decimal(types["dec38"]));
        Assert.IsType<StringType>(types["label"]);
        Assert.IsType<BinaryType>(types["raw"]);
        Assert.IsType<Date32Type>(types["day"]);
        var ts = Assert.IsType<TimestampType>(types["ts"]);
        Assert.Equal(TimeUnit.Microsecond, ts.Unit);
        Assert.True(string.IsNullOrEmpty(ts.Timezone));
        Assert.Equal("UTC", Assert.IsType<TimestampType>(types["tstz"]).Timezone);
        Assert.IsType<BooleanType>(types["flag"]);
        Assert.Equal(1_050, provider.Statistics.RowCount);
    }

    [Theory]
    [InlineData("SELECT count(*), sum(tiny), sum(small), sum(int32), sum(int64), min(int64), max(int64) FROM {t}")]
    [InlineData("SELECT sum(dec9), sum(dec18), sum(dec38), min(dec38), max(dec9) FROM {t}")]
    [InlineData("SELECT min(real_value), max(real_value), sum(double_value), min(double_value), max(double_value) FROM {t}")]
    [InlineData("SELECT count(label), min(label), max(label), count(*) FROM {t}")]
    [InlineData("SELECT min(day), max(day), min(ts), max(ts), min(tstz), max(tstz) FROM {t}")]
    [InlineData("SELECT flag, count(*), sum(int32) FROM {t} WHERE label IS NOT NULL GROUP BY flag ORDER BY flag")]
    [InlineData("SELECT tiny, label, dec9, day, ts FROM {t} WHERE int32 BETWEEN 100000 AND 150000 ORDER BY tiny, dec9")]
    [InlineData("SELECT count(*), sum(dec18) FROM {t} WHERE day >= DATE '2021-06-01' AND label LIKE 'text 9%'")]
    public async Task Engine_matches_DuckDB(string template)
    {
        var ours = await EngineQuery.RunAsync(_folder, template.Replace("{t}", "read_parquet('types')", StringComparison.Ordinal));
        var theirs = _duck.Cells(template.Replace("{t}", _duck.Table("types"), StringComparison.Ordinal));
        ResultCells.AssertEqual(theirs, ours, template);
    }

    private static (int, int) Decimal(IArrowType type)
    {
        var d = Assert.IsType<Decimal128Type>(type);
        return (d.Precision, d.Scale);
    }
}
