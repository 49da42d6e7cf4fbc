using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Operators;

namespace Lakehouse.Execution.Tests.Functions;

/// <summary>Accumulators driven directly: sketch accuracy at scale and the memory they report.</summary>
public sealed class AccumulatorTests
{
    private static IArrowArray Longs(long start, int count)
    {
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, count);
        for (int i = 0; i < count; i++)
        {
            builder.Append((start + i) * 2_654_435_761L);
        }

        return builder.Build();
    }

    [Theory]
    [InlineData(300)]
    [InlineData(5_000)]
    [InlineData(200_000)]
    public void ApproxDistinctStaysWithinThreeStandardErrors(int distinct)
    {
        var accumulator = new ApproxDistinctAccumulator(Int64Type.Default);
        const int batch = 10_000;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int start = 0; start < distinct; start += batch)
            {
                int count = Math.Min(batch, distinct - start);
                accumulator.Accumulate(Longs(start, count), new int[count], 1);
            }
        }

        long estimate = ArrayAccess.Values<long>(accumulator.Build(1))[0];
        Assert.InRange(estimate, distinct * (1 - (3 * 0.023)), distinct * (1 + (3 * 0.023)));
        Assert.True(accumulator.ExtraBytes > 0);
    }

    [Fact]
    public void ValueKeepingAccumulatorsReportTheirMemory()
    {
        var percentile = new PercentileAccumulator(Int64Type.Default, 0.5);
        var groups = new int[1000];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = i % 10;
        }

        percentile.Accumulate(Longs(0, 1000), groups, 10);
        Assert.Equal(8000, percentile.ExtraBytes);
        var medians = percentile.Build(10);
        Assert.Equal(10, medians.Length);
        Assert.Equal(0, medians.NullCount);

        var arrays = new ArrayAggAccumulator(new ListType(new Field("item", Int64Type.Default, true)), null);
        arrays.Accumulate(Longs(0, 1000), groups, 10);
        Assert.Equal(8000, arrays.ExtraBytes);
        var lists = (ListArray)arrays.Build(12);
        Assert.Equal(12, lists.Length);
        Assert.Equal(100, lists.GetValueLength(3));
        Assert.True(lists.IsNull(11));
    }
}
