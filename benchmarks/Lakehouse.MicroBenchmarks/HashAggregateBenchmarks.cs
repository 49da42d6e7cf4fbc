using BenchmarkDotNet.Attributes;
using Lakehouse.Execution.Operators;

namespace Lakehouse.MicroBenchmarks;

/// <summary>The hash aggregation operator over 1M in-memory lineitem rows.</summary>
[MicroBenchmarkJob]
public class HashAggregateBenchmarks
{
    private PhysicalOperator _plan = null!;
    private long _expectedGroups;

    /// <summary>
    /// q1_4_groups: Q1's shape, four (l_returnflag, l_linestatus) groups with sums, averages and
    /// a count over decimals. orderkey_262k: one bigint key with a quarter as many groups as rows.
    /// </summary>
    [Params("q1_4_groups", "orderkey_262k")]
    public string Grouping { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var plans = new OperatorPlans(LineitemData.Generate());
        (string sql, _expectedGroups) = Grouping switch
        {
            "q1_4_groups" => (
                "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), sum(l_discount), "
                + "avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*) "
                + "FROM {lineitem} GROUP BY l_returnflag, l_linestatus",
                4L),
            "orderkey_262k" => (
                "SELECT l_orderkey, sum(l_quantity), sum(l_extendedprice), count(*) FROM {lineitem} GROUP BY l_orderkey",
                LineitemData.RowCount / 4L),
            _ => throw new ArgumentException($"unknown grouping case '{Grouping}'"),
        };
        _plan = plans.Plan(sql);
        Console.Write(_plan.ToString());
        Check(OperatorPlans.DrainAsync(_plan).GetAwaiter().GetResult());
    }

    [Benchmark(OperationsPerInvoke = LineitemData.RowCount)]
    public async Task<long> AggregateRows()
    {
        long groups = await OperatorPlans.DrainAsync(_plan).ConfigureAwait(false);
        Check(groups);
        return groups;
    }

    private void Check(long groups)
    {
        if (groups != _expectedGroups)
        {
            throw new InvalidOperationException($"aggregation '{Grouping}' produced {groups} groups, expected {_expectedGroups}");
        }
    }
}
