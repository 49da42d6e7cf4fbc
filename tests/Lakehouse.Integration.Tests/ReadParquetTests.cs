using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using DuckDB.NET.Data;
using Lakehouse.Execution.Connectors.Parquet;
using Lakehouse.Planning.Catalog;
using Lakehouse.Server;
using Lakehouse.Storage;

namespace Lakehouse.Integration.Tests;

/// <summary>read_parquet over generated TPC-H data, checked against DuckDB reading the same files.</summary>
public sealed class ReadParquetTests : IClassFixture<TpchDataFixture>
{
    private readonly TpchDataFixture _data;

    public ReadParquetTests(TpchDataFixture data) => _data = data;

    public static TheoryData<string> Queries => new()
    {
        "SELECT count(*), sum(l_quantity), sum(l_extendedprice), sum(l_linenumber), min(l_shipdate), max(l_receiptdate), min(l_comment), max(l_shipmode), sum(l_orderkey) FROM {lineitem}",
        "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), count(*) FROM {lineitem} WHERE l_shipdate <= DATE '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus",
        "SELECT sum(l_extendedprice * l_discount) FROM {lineitem} WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24",
        "SELECT count(*), sum(l_quantity), max(l_partkey) FROM {lineitem} WHERE l_orderkey < 1000",
        "SELECT l_shipmode, count(*), min(l_commitdate), max(l_tax) FROM {lineitem} WHERE l_shipinstruct = 'NONE' GROUP BY l_shipmode ORDER BY l_shipmode",
        "SELECT count(*), sum(o_totalprice), min(o_orderdate), max(o_orderdate), max(o_clerk), sum(o_shippriority), min(o_comment) FROM {orders}",
        "SELECT o_orderpriority, o_orderstatus, count(*) FROM {orders} WHERE o_comment NOT LIKE '%special%requests%' GROUP BY o_orderpriority, o_orderstatus ORDER BY o_orderpriority, o_orderstatus",
        "SELECT c_mktsegment, count(*), sum(c_acctbal), min(c_phone), max(c_name), max(c_address) FROM {customer} GROUP BY c_mktsegment ORDER BY c_mktsegment",
        "SELECT count(*), avg(p_size), min(p_name), max(p_type), sum(p_retailprice), min(p_container), max(p_brand), min(p_comment) FROM {part}",
        "SELECT p_mfgr, count(*) FROM {part} WHERE p_name LIKE '%green%' OR p_type LIKE 'PROMO%' GROUP BY p_mfgr ORDER BY p_mfgr",
        "SELECT count(*), sum(ps_availqty), sum(ps_supplycost), max(ps_comment), min(ps_suppkey), max(ps_suppkey) FROM {partsupp}",
        "SELECT count(*), sum(s_acctbal), min(s_name), max(s_address), max(s_phone), sum(s_nationkey) FROM {supplier}",
        "SELECT count(*) FROM {supplier} WHERE s_comment LIKE '%Customer%Complaints%'",
        "SELECT n_name, n_nationkey, n_regionkey, n_comment FROM {nation} ORDER BY n_nationkey",
        "SELECT r_name, count(*) FROM {nation} JOIN {region} ON n_regionkey = r_regionkey GROUP BY r_name ORDER BY r_name",
        "SELECT count(*), sum(l_extendedprice) FROM {customer}, {orders}, {lineitem} WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Engine_matches_DuckDB_on_the_same_files(string template)
    {
        var ours = await EngineQuery.RunAsync(_data.Folder, Substitute(template, table => $"read_parquet('{table}')"));
        var theirs = _data.Duck.Cells(Substitute(template, _data.Duck.Table));
        ResultCells.AssertEqual(theirs, ours, template);
    }

    [Fact]
    public async Task Globs_single_files_and_absolute_paths_read_the_same_rows()
    {
        var sql = "SELECT count(*), sum(l_extendedprice), max(l_orderkey) FROM {0}";
        var expected = _data.Duck.Cells(string.Format(CultureInfo.InvariantCulture, sql, _data.Duck.Table("lineitem")));
        foreach (var source in new[] { "'lineitem/*.parquet'", "'lineitem/part-0000?.parquet'", "'**/lineitem/*.parquet'", $"'{_data.TablePath("lineitem")}'", "'./lineitem/'" })
        {
            var ours = await EngineQuery.RunAsync(_data.Folder, string.Format(CultureInfo.InvariantCulture, sql, $"read_parquet({source})"));
            ResultCells.AssertEqual(expected, ours, source);
        }

        var single = Path.Combine(_data.TablePath("lineitem"), "part-00001.parquet");
        var singleExpected = _data.Duck.Cells($"SELECT count(*), sum(l_extendedprice), max(l_orderkey) FROM read_parquet('{single}')");
        ResultCells.AssertEqual(singleExpected, await EngineQuery.RunAsync(_data.Folder, "SELECT count(*), sum(l_extendedprice), max(l_orderkey) FROM read_parquet('lineitem/part-00001.parquet')"), single);
    }

    [Fact]
    public void Provider_reports_footer_statistics_and_prunes_files_by_column_ranges()
    {
        var provider = Resolve("lineitem");
        var rows = _data.Summaries.Single(s => s.Table == "lineitem").Rows;
        Assert.Equal(rows, provider.Statistics.RowCount);
        Assert.True(provider.Statistics.TotalBytes > 0);
        Assert.Equal(16, provider.Schema.FieldsList.Count);
        Assert.Equal("l_orderkey", provider.Schema.FieldsList[0].Name);
        Assert.IsType<Apache.Arrow.Types.Int64Type>(provider.Schema.FieldsList[0].DataType);
        Assert.IsType<Apache.Arrow.Types.Decimal128Type>(provider.Schema.FieldsList[4].DataType);
        Assert.IsType<Apache.Arrow.Types.Date32Type>(provider.Schema.FieldsList[10].DataType);
        Assert.IsType<Apache.Arrow.Types.StringType>(provider.Schema.FieldsList[15].DataType);

        var files = Directory.GetFiles(_data.TablePath("lineitem"), "*.parquet").Length;
        Assert.Equal(files, provider.PlanScan(new ScanRequest([0, 4], null, null)).Splits.Count);

        // Order keys grow with the file number, so a low key range touches only the first file.
        var pruned = provider.PlanScan(new ScanRequest([0], new PushdownCompare(0, PushdownComparison.LessThan, 100L), null));
        Assert.Single(pruned.Splits);
        Assert.Contains(pruned.Explain, line => line.Contains($"{files - 1} pruned", StringComparison.Ordinal));

        var none = provider.PlanScan(new ScanRequest([0], new PushdownCompare(0, PushdownComparison.GreaterThan, 10_000_000L), null));
        Assert.Empty(none.Splits);

        var dates = provider.PlanScan(new ScanRequest([10], new PushdownCompare(10, PushdownComparison.LessThan, 0), null));
        Assert.Empty(dates.Splits);

        var limited = provider.PlanScan(new ScanRequest([0], null, 10));
        Assert.Single(limited.Splits);
        Assert.Equal("l_orderkey", Assert.Single(limited.OutputSchema.FieldsList).Name);
    }

    [Fact]
    public async Task Pruned_scans_still_return_every_matching_row()
    {
        var sql = "SELECT count(*), min(l_orderkey), max(l_orderkey) FROM {lineitem} WHERE l_orderkey BETWEEN 20000 AND 30000 OR l_orderkey IN (1, 2, 3)";
        var ours = await EngineQuery.RunAsync(_data.Folder, Substitute(sql, table => $"read_parquet('{table}')"));
        ResultCells.AssertEqual(_data.Duck.Cells(Substitute(sql, _data.Duck.Table)), ours, sql);
    }

    private ITableProvider Resolve(string path) =>
        new ReadParquetFunction(FileIORouter.Default).Resolve([path], null, new TableFunctionContext(_data.Folder));

    private static string Substitute(string template, Func<string, string> table)
    {
        var result = template;
        foreach (var name in Lakehouse.Cli.Tpch.TpchGenerator.Tables)
        {
            result = result.Replace("{" + name + "}", table(name), StringComparison.Ordinal);
        }

        return result;
    }
}

/// <summary>A DuckDB connection reading Parquet files under a folder, the oracle for read_parquet.</summary>
public sealed class DuckDbFiles : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string _folder;
    private readonly Lock _gate = new();

    public DuckDbFiles(string folder)
    {
        _folder = folder;
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        Execute("SET TimeZone = 'UTC'");
    }

    /// <summary>The DuckDB expression reading every file of a table folder.</summary>
    public string Table(string table) => $"read_parquet('{Path.Combine(_folder, table).Replace("'", "''", StringComparison.Ordinal)}/*.parquet')";

    public void Execute(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    public List<object?[]> Query(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
                }

                rows.Add(row);
            }

            return rows;
        }
    }

    public List<object?[]> Cells(string sql)
    {
        var rows = Query(sql);
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = ResultCells.Canonical(row[c]);
            }
        }

        return rows;
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>Runs SQL on the embedded engine and returns canonical cells.</summary>
internal static class EngineQuery
{
    public static async Task<List<object?[]>> RunAsync(string baseDirectory, string sql)
    {
        var engine = EmbeddedEngine.Create(baseDirectory);
        await using (engine.ConfigureAwait(false))
        {
            var result = await engine.QueryService.ExecuteAsync(sql, CancellationToken.None);
            await using (result.ConfigureAwait(false))
            {
                var rows = new List<object?[]>();
                await foreach (var batch in result.ReadAllAsync(CancellationToken.None))
                {
                    for (var r = 0; r < batch.Length; r++)
                    {
                        var row = new object?[batch.ColumnCount];
                        for (var c = 0; c < row.Length; c++)
                        {
                            row[c] = ResultCells.Canonical(ResultCells.ArrowValue(batch.Column(c), r));
                        }

                        rows.Add(row);
                    }
                }

                return rows;
            }
        }
    }
}

/// <summary>
/// Values of both engines in one comparable form: exact numbers as normalized decimal text,
/// approximate numbers as double, dates and timestamps as ISO text, binary as hex.
/// </summary>
internal static class ResultCells
{
    public static object? ArrowValue(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            Int8Array a => (long)a.GetValue(index)!.Value,
            Int16Array a => (long)a.GetValue(index)!.Value,
            Int32Array a => (long)a.GetValue(index)!.Value,
            Int64Array a => a.GetValue(index)!.Value,
            Decimal128Array a => a.GetValue(index)!.Value,
            DoubleArray a => a.GetValue(index)!.Value,
            FloatArray a => (double)a.GetValue(index)!.Value,
            BooleanArray a => a.GetValue(index)!.Value,
            Date32Array a => a.GetDateOnly(index)!.Value,
            TimestampArray a => a.GetTimestamp(index)!.Value.UtcDateTime,
            StringArray a => a.GetString(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            _ => throw new InvalidOperationException($"no canonical form for {array.GetType().Name}"),
        };
    }

    public static object? Canonical(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        decimal d => Exact(d),
        long or int or short or sbyte or byte or ushort or uint or ulong => Exact(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        double d => d,
        float f => (double)f,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        Guid g => g.ToString(),
        _ => value.ToString(),
    };

    public static void AssertEqual(List<object?[]> expected, List<object?[]> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} rows, got {actual.Count}");
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.True(expected[r].Length == actual[r].Length, $"{what}: row {r} has {actual[r].Length} columns, expected {expected[r].Length}");
            for (var c = 0; c < expected[r].Length; c++)
            {
                Assert.True(CellEquals(expected[r][c], actual[r][c]), $"{what}: row {r} column {c}: expected {Show(expected[r][c])}, got {Show(actual[r][c])}");
            }
        }
    }

    private static string Exact(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static bool CellEquals(object? expected, object? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }

        if (expected is double || actual is double)
        {
            if (!TryDouble(expected, out var e) || !TryDouble(actual, out var a))
            {
                return false;
            }

            return e == a || Math.Abs(e - a) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a)));
        }

        return Equals(expected, actual);
    }

    private static bool TryDouble(object value, out double result)
    {
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case string s:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + " (double)",
        _ => $"'{value}'",
    };
}

internal static class TempFolders
{
    public static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a temporary folder behind.
        }
    }
}
