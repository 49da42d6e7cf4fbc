using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Operators;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>The window operator on its own: batches in arrival order, memory accounting.</summary>
public sealed class WindowOperatorTests
{
    private static readonly Schema InputSchema = new([new Field("v", Int32Type.Default, true)], null);

    [Fact]
    public async Task KeepsArrivalOrderAcrossBatchesAndAppendsOneColumnPerCall()
    {
        var input = new ValuesOperator(InputSchema, [Batch(5, 3, 9), Batch(1, 7)]);
        var value = new ColumnReference(0, SqlTypes.Integer, "v");
        WindowCall[] calls =
        [
            new(WindowFunction.RowNumber, [], false, [], [new SortKey(value, true, false)], WindowFrameSpec.Default, SqlTypes.BigInt),
            new(WindowFunction.Sum, [value], false, [], [], WindowFrameSpec.Default, SqlTypes.BigInt),
        ];
        var memory = new QueryMemory(1 << 20, false, Path.GetTempPath());
        var window = new WindowOperator(input, calls, Schema(calls), memory);

        var rows = new List<(int Value, long Rank, long Total)>();
        await foreach (var batch in window.ExecuteAsync(CancellationToken.None))
        {
            for (int r = 0; r < batch.Length; r++)
            {
                rows.Add(((int)ScalarReader.Get(batch.Column(0), r)!, (long)ScalarReader.Get(batch.Column(1), r)!, (long)ScalarReader.Get(batch.Column(2), r)!));
            }
        }

        Assert.Equal([(5, 3L, 25L), (3, 2L, 25L), (9, 5L, 25L), (1, 1L, 25L), (7, 4L, 25L)], rows);
        Assert.True(window.PeakMemoryBytes > 0);
        Assert.Equal(0, memory.UsedBytes);
    }

    [Fact]
    public async Task InputBeyondTheMemoryLimitFailsAndReleasesWhatItHeld()
    {
        var values = new int[10_000];
        var input = new ValuesOperator(InputSchema, [Batch(values), Batch(values)]);
        var value = new ColumnReference(0, SqlTypes.Integer, "v");
        WindowCall[] calls = [new(WindowFunction.CountStar, [], false, [value], [], WindowFrameSpec.Default, SqlTypes.BigInt)];
        var memory = new QueryMemory(50_000, false, Path.GetTempPath());
        var window = new WindowOperator(input, calls, Schema(calls), memory);

        var error = await Assert.ThrowsAsync<ExecutionException>(async () =>
        {
            await foreach (var batch in window.ExecuteAsync(CancellationToken.None))
            {
                Assert.True(batch.Length > 0);
            }
        });
        Assert.Equal(ExecutionException.MemoryLimitExceeded, error.Code);
        Assert.Equal(0, memory.UsedBytes);
    }

    [Fact]
    public async Task IntervalRangeOverNanosecondTimestampsKeepsNanosecondBoundaries()
    {
        const long Day = 86_400_000_000_000L;
        var type = new TimestampType(TimeUnit.Nanosecond, (string?)null);
        var schema = new Schema([new Field("t", type, true)], null);
        var builder = new PrimitiveColumnBuilder<long>(type, 5);
        long[] points = [0, Day - 1, Day, Day + 1, 3 * Day];
        foreach (long point in points)
        {
            builder.Append(point);
        }

        var input = new ValuesOperator(schema, [new RecordBatch(schema, [builder.Build()], points.Length)]);
        var frame = new WindowFrameSpec(
            WindowFrameUnit.Range,
            new WindowFrameBound(WindowBoundKind.Preceding, new IntervalOffset(0, 86_400_000_000L)),
            new WindowFrameBound(WindowBoundKind.CurrentRow, null));
        WindowCall[] calls = [new(WindowFunction.CountStar, [], false, [], [new SortKey(new ColumnReference(0, type, "t"), true, false)], frame, SqlTypes.BigInt)];
        var window = new WindowOperator(input, calls, new Schema([schema.FieldsList[0], new Field("n", SqlTypes.BigInt, false)], null));

        var counts = new List<long>();
        await foreach (var batch in window.ExecuteAsync(CancellationToken.None))
        {
            for (int r = 0; r < batch.Length; r++)
            {
                counts.Add((long)ScalarReader.Get(batch.Column(1), r)!);
            }
        }

        Assert.Equal([1L, 2L, 3L, 3L, 1L], counts);
    }

    [Fact]
    public async Task AccumulatedAggregatesRefuseFramesTooLargeToFeedRowByRow()
    {
        var schema = new Schema([new Field("x", DoubleType.Default, true)], null);
        var builder = new PrimitiveColumnBuilder<double>(DoubleType.Default, 12_000);
        for (int i = 0; i < 12_000; i++)
        {
            builder.Append(i);
        }

        var input = new ValuesOperator(schema, [new RecordBatch(schema, [builder.Build()], 12_000)]);
        var value = new ColumnReference(0, SqlTypes.Double, "x");
        var running = new WindowFrameSpec(
            WindowFrameUnit.Rows,
            new WindowFrameBound(WindowBoundKind.UnboundedPreceding, null),
            new WindowFrameBound(WindowBoundKind.CurrentRow, null));
        var aggregate = new AggregateCall(AggregateFunction.VarPop, value, false, SqlTypes.Double);
        WindowCall[] calls = [new(WindowFunction.Aggregate, [value], false, [], [new SortKey(value, true, false)], running, SqlTypes.Double) { Aggregate = aggregate }];
        var window = new WindowOperator(input, calls, new Schema([schema.FieldsList[0], new Field("v", SqlTypes.Double, true)], null));

        var error = await Assert.ThrowsAsync<ExecutionException>(async () =>
        {
            await foreach (var batch in window.ExecuteAsync(CancellationToken.None))
            {
                Assert.True(batch.Length > 0);
            }
        });
        Assert.Equal(ExecutionException.NotSupported, error.Code);
        Assert.Contains("smaller frame", error.Message, StringComparison.Ordinal);
    }

    private static Schema Schema(WindowCall[] calls)
    {
        var fields = new List<Field>(InputSchema.FieldsList);
        for (int i = 0; i < calls.Length; i++)
        {
            fields.Add(new Field("$window" + i, calls[i].Type, true));
        }

        return new Schema(fields, null);
    }

    private static RecordBatch Batch(params int[] values)
    {
        var builder = new PrimitiveColumnBuilder<int>(Int32Type.Default, values.Length);
        foreach (int value in values)
        {
            builder.Append(value);
        }

        return new RecordBatch(InputSchema, [builder.Build()], values.Length);
    }
}
