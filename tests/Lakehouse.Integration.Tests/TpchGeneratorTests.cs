using System.Globalization;
using Lakehouse.Cli;
using Lakehouse.Cli.Tpch;

namespace Lakehouse.Integration.Tests;

/// <summary>TPC-H scale factor 0.01 generated once into a temporary folder, with small files so big tables span several.</summary>
public sealed class TpchDataFixture : IDisposable
{
    public const double ScaleFactor = 0.01;
    public const int RowsPerFile = 20_000;

    public TpchDataFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "lakehouse-tpch-" + Guid.NewGuid().ToString("N"));
        Summaries = TpchGenerator.Generate(new TpchOptions(ScaleFactor, Folder, RowsPerFile: RowsPerFile));
        Duck = new DuckDbFiles(Folder);
    }

    public string Folder { get; }

    public IReadOnlyList<TpchTableSummary> Summaries { get; }

    public DuckDbFiles Duck { get; }

    public string TablePath(string table) => Path.Combine(Folder, table);

    public void Dispose()
    {
        Duck.Dispose();
        TempFolders.Delete(Folder);
    }
}

public sealed class TpchGeneratorTests : IClassFixture<TpchDataFixture>
{
    private readonly TpchDataFixture _data;

    public TpchGeneratorTests(TpchDataFixture data) => _data = data;

    private long Scalar(string sql) => Convert.ToInt64(_data.Duck.Query(sql)[0][0], CultureInfo.InvariantCulture);

    private string Table(string table) => _data.Duck.Table(table);

    [Theory]
    [InlineData("region", 5)]
    [InlineData("nation", 25)]
    [InlineData("supplier", 100)]
    [InlineData("customer", 1_500)]
    [InlineData("part", 2_000)]
    [InlineData("partsupp", 8_000)]
    [InlineData("orders", 15_000)]
    public void Row_counts_follow_the_specification(string table, long expected)
    {
        Assert.Equal(expected, TpchGenerator.ExpectedRows(table, TpchDataFixture.ScaleFactor));
        Assert.Equal(expected, Scalar($"SELECT count(*) FROM {Table(table)}"));
        Assert.Equal(expected, _data.Summaries.Single(s => s.Table == table).Rows);
    }

    [Fact]
    public void Line_items_number_one_to_seven_per_order()
    {
        var lines = Scalar($"SELECT count(*) FROM {Table("lineitem")}");
        Assert.Equal(lines, _data.Summaries.Single(s => s.Table == "lineitem").Rows);
        Assert.InRange(lines, 15_000 * 3, 15_000 * 5);
        Assert.Equal(0, Scalar($"SELECT count(*) FROM (SELECT l_orderkey, count(*) n, max(l_linenumber) m, min(l_linenumber) f FROM {Table("lineitem")} GROUP BY 1) WHERE n <> m OR f <> 1 OR n > 7"));
        Assert.Equal(7, Scalar($"SELECT max(l_linenumber) FROM {Table("lineitem")}"));
        Assert.True(_data.Summaries.Single(s => s.Table == "lineitem").Files > 1, "lineitem should span several files at this file size");
    }

    [Fact]
    public void Keys_are_dense_or_sparse_as_specified()
    {
        Assert.Equal(new object[] { 1L, 100L, 100L }, Row($"SELECT min(s_suppkey), max(s_suppkey), count(DISTINCT s_suppkey) FROM {Table("supplier")}"));
        Assert.Equal(new object[] { 1L, 1_500L, 1_500L }, Row($"SELECT min(c_custkey), max(c_custkey), count(DISTINCT c_custkey) FROM {Table("customer")}"));
        Assert.Equal(new object[] { 1L, 2_000L, 2_000L }, Row($"SELECT min(p_partkey), max(p_partkey), count(DISTINCT p_partkey) FROM {Table("part")}"));
        Assert.Equal(new object[] { 0L, 24L }, Row($"SELECT min(n_nationkey), max(n_nationkey) FROM {Table("nation")}"));
        Assert.Equal(15_000, Scalar($"SELECT count(DISTINCT o_orderkey) FROM {Table("orders")}"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_orderkey % 32 >= 8"));
        Assert.InRange(Scalar($"SELECT max(o_orderkey) FROM {Table("orders")}"), 15_000, 60_000);
        Assert.Equal(8_000, Scalar($"SELECT count(*) FROM (SELECT DISTINCT ps_partkey, ps_suppkey FROM {Table("partsupp")})"));
    }

    [Fact]
    public void Foreign_keys_all_resolve()
    {
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("nation")} n ANTI JOIN {Table("region")} r ON n.n_regionkey = r.r_regionkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("supplier")} s ANTI JOIN {Table("nation")} n ON s.s_nationkey = n.n_nationkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("customer")} c ANTI JOIN {Table("nation")} n ON c.c_nationkey = n.n_nationkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("partsupp")} ps ANTI JOIN {Table("part")} p ON ps.ps_partkey = p.p_partkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("partsupp")} ps ANTI JOIN {Table("supplier")} s ON ps.ps_suppkey = s.s_suppkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} o ANTI JOIN {Table("customer")} c ON o.o_custkey = c.c_custkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("lineitem")} l ANTI JOIN {Table("orders")} o ON l.l_orderkey = o.o_orderkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} o ANTI JOIN {Table("lineitem")} l ON l.l_orderkey = o.o_orderkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("lineitem")} l ANTI JOIN {Table("partsupp")} ps ON l.l_partkey = ps.ps_partkey AND l.l_suppkey = ps.ps_suppkey"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_custkey % 3 = 0"));
    }

    [Fact]
    public void Values_stay_in_their_domains()
    {
        var lineitem = Table("lineitem");
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {lineitem} WHERE l_quantity NOT BETWEEN 1 AND 50 OR l_discount NOT BETWEEN 0 AND 0.10 OR l_tax NOT BETWEEN 0 AND 0.08"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {lineitem} l JOIN {Table("part")} p ON l.l_partkey = p.p_partkey WHERE l.l_extendedprice <> l.l_quantity * p.p_retailprice"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_retailprice <> (90000 + ((p_partkey // 10) % 20001) + 100 * (p_partkey % 1000)) / 100.0"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {lineitem} l JOIN {Table("orders")} o ON l.l_orderkey = o.o_orderkey WHERE l.l_shipdate NOT BETWEEN o.o_orderdate + 1 AND o.o_orderdate + 121 OR l.l_commitdate NOT BETWEEN o.o_orderdate + 30 AND o.o_orderdate + 90 OR l.l_receiptdate NOT BETWEEN l.l_shipdate + 1 AND l.l_shipdate + 30"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_orderdate NOT BETWEEN DATE '1992-01-01' AND DATE '1998-12-31' - 151"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {lineitem} WHERE l_linestatus <> CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {lineitem} WHERE CASE WHEN l_receiptdate <= DATE '1995-06-17' THEN l_returnflag NOT IN ('R', 'A') ELSE l_returnflag <> 'N' END"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} o JOIN (SELECT l_orderkey, bool_and(l_linestatus = 'F') f, bool_and(l_linestatus = 'O') op, sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) total, count(*) n FROM {lineitem} GROUP BY 1) l ON o.o_orderkey = l.l_orderkey WHERE o.o_orderstatus <> CASE WHEN f THEN 'F' WHEN op THEN 'O' ELSE 'P' END OR abs(o.o_totalprice - l.total) > 0.005"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("customer")} WHERE c_phone NOT LIKE (c_nationkey + 10)::VARCHAR || '-___-___-____' OR c_acctbal NOT BETWEEN -999.99 AND 9999.99 OR length(c_address) NOT BETWEEN 10 AND 40"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("supplier")} WHERE s_name <> 'Supplier#' || lpad(s_suppkey::VARCHAR, 9, '0') OR s_phone NOT LIKE (s_nationkey + 10)::VARCHAR || '-%'"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("partsupp")} WHERE ps_availqty NOT BETWEEN 1 AND 9999 OR ps_supplycost NOT BETWEEN 1 AND 1000 OR length(ps_comment) NOT BETWEEN 49 AND 198"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_size NOT BETWEEN 1 AND 50 OR p_brand NOT LIKE 'Brand#' || right(p_mfgr, 1) || '_' OR len(string_split(p_name, ' ')) <> 5 OR len(list_distinct(string_split(p_name, ' '))) <> 5"));
        Assert.Equal(5, Scalar($"SELECT count(DISTINCT c_mktsegment) FROM {Table("customer")}"));
        Assert.Equal(7, Scalar($"SELECT count(DISTINCT l_shipmode) FROM {lineitem}"));
        Assert.Equal(4, Scalar($"SELECT count(DISTINCT l_shipinstruct) FROM {lineitem}"));
        Assert.Equal(5, Scalar($"SELECT count(DISTINCT o_orderpriority) FROM {Table("orders")}"));
        Assert.Equal(150, Scalar($"SELECT count(DISTINCT p_type) FROM {Table("part")}"));
        Assert.Equal(40, Scalar($"SELECT count(DISTINCT p_container) FROM {Table("part")}"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_clerk NOT BETWEEN 'Clerk#000000001' AND 'Clerk#000000010'"));
    }

    [Fact]
    public void Strings_the_benchmark_queries_search_for_occur()
    {
        Assert.InRange(Scalar($"SELECT count(*) FROM {Table("supplier")} WHERE s_comment LIKE '%Customer%Complaints%'"), 1, 2);
        Assert.InRange(Scalar($"SELECT count(*) FROM {Table("supplier")} WHERE s_comment LIKE '%Customer%Recommends%'"), 1, 2);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_comment LIKE '%special%requests%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("orders")} WHERE o_comment NOT LIKE '%special%requests%'") > 10_000);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_name LIKE 'forest%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_name LIKE '%green%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_type LIKE '%BRASS'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_type LIKE 'PROMO%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {Table("part")} WHERE p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG') AND p_brand = 'Brand#12'") > 0);
        Assert.Equal(0, Scalar($"SELECT count(*) FROM {Table("lineitem")} WHERE length(l_comment) NOT BETWEEN 10 AND 43"));
    }

    [Fact]
    public void Column_types_follow_the_specification()
    {
        var types = _data.Duck.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {Table("lineitem")})");
        var byName = types.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("BIGINT", byName["l_orderkey"]);
        Assert.Equal("INTEGER", byName["l_linenumber"]);
        Assert.Equal("DECIMAL(15,2)", byName["l_quantity"]);
        Assert.Equal("DECIMAL(15,2)", byName["l_extendedprice"]);
        Assert.Equal("DATE", byName["l_shipdate"]);
        Assert.Equal("VARCHAR", byName["l_returnflag"]);
        Assert.Equal(16, byName.Count);
    }

    [Fact]
    public void Output_is_deterministic_whatever_the_parallelism()
    {
        var first = Path.Combine(Path.GetTempPath(), "lakehouse-tpch-a-" + Guid.NewGuid().ToString("N"));
        var second = Path.Combine(Path.GetTempPath(), "lakehouse-tpch-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            TpchGenerator.Generate(new TpchOptions(TpchDataFixture.ScaleFactor, first, RowsPerFile: TpchDataFixture.RowsPerFile, Parallelism: 1));
            TpchGenerator.Generate(new TpchOptions(TpchDataFixture.ScaleFactor, second, RowsPerFile: TpchDataFixture.RowsPerFile, Parallelism: 3));
            foreach (var table in TpchGenerator.Tables)
            {
                var expected = Directory.GetFiles(_data.TablePath(table)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                foreach (var folder in new[] { first, second })
                {
                    var files = Directory.GetFiles(Path.Combine(folder, table)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                    Assert.Equal(expected, files);
                    foreach (var file in files)
                    {
                        Assert.True(
                            File.ReadAllBytes(Path.Combine(_data.TablePath(table), file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, table, file!))),
                            $"{table}/{file} differs between runs");
                    }
                }
            }
        }
        finally
        {
            TempFolders.Delete(first);
            TempFolders.Delete(second);
        }
    }

    [Fact]
    public void Another_seed_gives_other_data_with_the_same_shape()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lakehouse-tpch-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summaries = TpchGenerator.Generate(new TpchOptions(TpchDataFixture.ScaleFactor, folder, Seed: 7));
            Assert.Equal(15_000, summaries.Single(s => s.Table == "orders").Rows);
            using var duck = new DuckDbFiles(folder);
            var ours = _data.Duck.Query($"SELECT sum(o_totalprice) FROM {Table("orders")}")[0][0];
            var theirs = duck.Query($"SELECT sum(o_totalprice) FROM {duck.Table("orders")}")[0][0];
            Assert.NotEqual(ours, theirs);
        }
        finally
        {
            TempFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task Command_line_generates_and_reports_progress()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lakehouse-tpch-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["tpch", "generate", "--sf", "0.001", "--output", folder, "--threads", "2"], stdout, stderr, Path.GetTempPath());
            Assert.True(code == CliApp.Success, stderr.ToString());
            var output = stdout.ToString();
            foreach (var table in TpchGenerator.Tables)
            {
                Assert.Contains(table, output, StringComparison.Ordinal);
                Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, table), "*.parquet"));
            }

            Assert.Contains("1,500 rows", output, StringComparison.Ordinal);
        }
        finally
        {
            TempFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task Unwritable_output_is_a_coded_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["tpch", "generate", "--sf", "0.001", "--output", file], stdout, stderr, Path.GetTempPath());
            Assert.Equal(CliApp.Failure, code);
            var error = stderr.ToString().Trim();
            Assert.StartsWith("lakehouse: error [WRITE_FAILED]: ", error, StringComparison.Ordinal);
            Assert.Contains(file, error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "tpch" }, "missing subcommand")]
    [InlineData(new[] { "tpch", "generate", "--output", "x" }, "missing --sf")]
    [InlineData(new[] { "tpch", "generate", "--sf", "abc", "--output", "x" }, "--sf")]
    [InlineData(new[] { "tpch", "generate", "--sf", "-1", "--output", "x" }, "--sf")]
    [InlineData(new[] { "tpch", "generate", "--sf", "1" }, "missing --output")]
    [InlineData(new[] { "tpch", "make", "--sf", "1", "--output", "x" }, "unknown subcommand")]
    public async Task Bad_arguments_are_usage_errors(string[] args, string message)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, Path.GetTempPath());
        Assert.Equal(CliApp.UsageError, code);
        var error = stderr.ToString().Trim();
        Assert.StartsWith("lakehouse: error [USAGE]:", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    private object?[] Row(string sql) => _data.Duck.Query(sql)[0];
}
