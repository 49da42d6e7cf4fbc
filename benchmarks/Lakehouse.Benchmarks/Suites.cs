using System.Globalization;

namespace Lakehouse.Benchmarks;

/// <summary>The cases of the two suites: the 22 TPC-H queries, and scans of lineitem.</summary>
public static class Suites
{
    /// <summary>The month the partition-pruned scan reads.</summary>
    private const string PrunedMonth = "1995-03";

    public static List<BenchmarkCase> Tpch(IReadOnlyList<int> queries)
    {
        var cases = new List<BenchmarkCase>(queries.Count);
        foreach (int number in queries)
        {
            var path = RepositoryPaths.TpchQuery(number);
            if (!File.Exists(path))
            {
                throw new BenchmarkException(BenchmarkException.InvalidArgument, $"query text '{path}' does not exist");
            }

            cases.Add(new BenchmarkCase($"Q{number:D2}", File.ReadAllText(path)));
        }

        return cases;
    }

    public static List<BenchmarkCase> Scan(TpchIcebergData data, double scaleFactor)
    {
        long rows = 0;
        long bytes = 0;
        long monthRows = 0;
        long monthBytes = 0;
        string monthFolder = "l_shipdate_month=" + PrunedMonth;
        foreach (var file in data.FilesOf("lineitem"))
        {
            rows += file.Rows;
            bytes += file.Bytes;
            if (file.Path.Contains(monthFolder, StringComparison.Ordinal))
            {
                monthRows += file.Rows;
                monthBytes += file.Bytes;
            }
        }

        // Order keys are spread over 1 .. 6,000,000 x SF: the first hundredth holds about 1% of the rows.
        long orderKeyLimit = (long)(60_000 * scaleFactor);
        string monthStart = PrunedMonth + "-01";
        string monthEnd = DateOnly.ParseExact(monthStart, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            new BenchmarkCase(
                "full-scan",
                """
                SELECT count(*), sum(l_orderkey), sum(l_partkey), sum(l_suppkey), sum(l_linenumber),
                       sum(l_quantity), sum(l_extendedprice), sum(l_discount), sum(l_tax),
                       sum(length(l_returnflag)), sum(length(l_linestatus)),
                       max(l_shipdate), max(l_commitdate), max(l_receiptdate),
                       sum(length(l_shipinstruct)), sum(length(l_shipmode)), sum(length(l_comment))
                FROM lineitem
                """,
                rows,
                bytes),
            new BenchmarkCase(
                "q1-like",
                """
                SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice),
                       sum(l_extendedprice * (1 - l_discount)), avg(l_discount), count(*)
                FROM lineitem
                WHERE l_shipdate <= DATE '1998-09-02'
                GROUP BY l_returnflag, l_linestatus
                ORDER BY l_returnflag, l_linestatus
                """,
                rows,
                bytes),
            new BenchmarkCase(
                "selective",
                $"SELECT count(*), sum(l_extendedprice) FROM lineitem WHERE l_orderkey <= {orderKeyLimit.ToString(CultureInfo.InvariantCulture)}",
                rows,
                bytes),
            new BenchmarkCase(
                "pruned",
                $"SELECT count(*), sum(l_extendedprice), max(l_comment) FROM lineitem WHERE l_shipdate >= DATE '{monthStart}' AND l_shipdate < DATE '{monthEnd}'",
                monthRows,
                monthBytes),
        ];
    }
}
