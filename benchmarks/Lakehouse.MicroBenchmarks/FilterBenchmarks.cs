using Apache.Arrow;
using BenchmarkDotNet.Attributes;
using Lakehouse.Execution.Operators;

namespace Lakehouse.MicroBenchmarks;

/// <summary>The filter operator and its expression kernels over 1M in-memory lineitem rows.</summary>
[MicroBenchmarkJob]
public class FilterBenchmarks
{
    private PhysicalOperator _plan = null!;

    [Params("qty_and_discount", "shipmode_eq")]
    public string Predicate { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var batches = LineitemData.Generate();
        var plans = new OperatorPlans(batches);
        string where = Predicate switch
        {
            "qty_and_discount" => "l_quantity < 24 AND l_discount BETWEEN 0.05 AND 0.07",
            "shipmode_eq" => "l_shipmode = 'MAIL'",
            _ => throw new ArgumentException($"unknown predicate case '{Predicate}'"),
        };
        _plan = plans.Plan($"SELECT l_orderkey, l_quantity, l_discount, l_shipmode FROM {{lineitem}} WHERE {where}");
        Console.Write(_plan.ToString());
        long expected = CountMatches(batches, Predicate);
        long actual = OperatorPlans.DrainAsync(_plan).GetAwaiter().GetResult();
        if (actual != expected)
        {
            throw new InvalidOperationException($"filter '{where}' kept {actual} rows, expected {expected}");
        }
    }

    [Benchmark(OperationsPerInvoke = LineitemData.RowCount)]
    public Task<long> FilterRows() => OperatorPlans.DrainAsync(_plan);

    /// <summary>The same predicate evaluated row by row, to check the operator does the intended work.</summary>
    private static long CountMatches(List<RecordBatch> batches, string predicate)
    {
        long matches = 0;
        foreach (var batch in batches)
        {
            var quantity = (Decimal128Array)batch.Column(LineitemData.Quantity);
            var discount = (Decimal128Array)batch.Column(LineitemData.Discount);
            var shipMode = (StringArray)batch.Column(LineitemData.ShipMode);
            for (int row = 0; row < batch.Length; row++)
            {
                bool keep = predicate == "shipmode_eq"
                    ? shipMode.GetString(row) == "MAIL"
                    : quantity.GetValue(row) < 24m && discount.GetValue(row) is >= 0.05m and <= 0.07m;
                if (keep)
                {
                    matches++;
                }
            }
        }

        return matches;
    }
}
