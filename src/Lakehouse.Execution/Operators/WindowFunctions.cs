using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Computes one window function over a sorted <see cref="WindowLayout"/>. Arguments and results are
/// indexed by input row; the algorithms walk sorted positions: ranks from peer groups, frame aggregates
/// from prefix sums (exact types), a segment tree (floating point) or a monotone deque (min and max).
/// </summary>
internal static class WindowFunctions
{
    /// <summary>The most frame rows, summed over all rows, that <see cref="Accumulate"/> feeds one by one.</summary>
    private const long MaxAccumulatedFrameRows = 50_000_000;

    public static IArrowArray Compute(WindowCall call, WindowLayout layout, WindowFrames? frames, IArrowArray[] arguments) => call.Function switch
    {
        WindowFunction.RowNumber or WindowFunction.Rank or WindowFunction.DenseRank => Ranks(call.Function, layout),
        WindowFunction.PercentRank or WindowFunction.CumeDist => Distribution(call.Function, layout),
        WindowFunction.Ntile => Ntile(layout, arguments[0]),
        WindowFunction.Lag or WindowFunction.Lead => Shift(call, layout, arguments),
        WindowFunction.FirstValue or WindowFunction.LastValue or WindowFunction.NthValue => FrameValue(call, layout, frames!, arguments),
        WindowFunction.CountStar => CountRows(layout, frames!),
        WindowFunction.Count => CountValues(layout, frames!, arguments[0]),
        WindowFunction.Sum or WindowFunction.Avg => Sum(call, layout, frames!, arguments[0]),
        WindowFunction.Aggregate => Accumulate(call, layout, frames!, arguments),
        _ => MinMax(call, layout, frames!, arguments[0]),
    };

    private static IArrowArray Ranks(WindowFunction function, WindowLayout layout)
    {
        var rows = layout.Rows;
        var values = new long[layout.Length];
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int start = partitions[p];
            int firstGroup = layout.PeerGroup[start];
            for (int position = start; position < partitions[p + 1]; position++)
            {
                values[rows[position]] = function switch
                {
                    WindowFunction.RowNumber => position - start + 1,
                    WindowFunction.Rank => layout.PeerStart(position) - start + 1,
                    _ => layout.PeerGroup[position] - firstGroup + 1,
                };
            }
        }

        return BuildLongs(values, null);
    }

    private static IArrowArray Distribution(WindowFunction function, WindowLayout layout)
    {
        var rows = layout.Rows;
        var values = new double[layout.Length];
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int start = partitions[p];
            int size = partitions[p + 1] - start;
            for (int position = start; position < partitions[p + 1]; position++)
            {
                values[rows[position]] = function == WindowFunction.PercentRank
                    ? (size == 1 ? 0.0 : (double)(layout.PeerStart(position) - start) / (size - 1))
                    : (double)(layout.PeerEnd(position) - start) / size;
            }
        }

        var builder = new PrimitiveColumnBuilder<double>(SqlTypes.Double, values.Length);
        foreach (double value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    private static IArrowArray Ntile(WindowLayout layout, IArrowArray bucketCounts)
    {
        var rows = layout.Rows;
        var values = new long[layout.Length];
        var isNull = new bool[layout.Length];
        var validity = new Validity(bucketCounts);
        var counts = bucketCounts.Data.DataType.TypeId == ArrowTypeId.Null ? default : ArrayAccess.Values<long>(bucketCounts);
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int start = partitions[p];
            long size = partitions[p + 1] - start;
            for (int position = start; position < partitions[p + 1]; position++)
            {
                int row = rows[position];
                if (!validity.IsValid(row))
                {
                    isNull[row] = true;
                    continue;
                }

                long buckets = counts[row];
                if (buckets <= 0)
                {
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"ntile bucket count must be greater than 0, got {buckets}");
                }

                long perBucket = size / buckets;
                long remainder = size % buckets;
                long index = position - start;
                long bigBuckets = remainder * (perBucket + 1);
                values[row] = index < bigBuckets
                    ? (index / (perBucket + 1)) + 1
                    : ((index - bigBuckets) / perBucket) + remainder + 1;
            }
        }

        return BuildLongs(values, isNull);
    }

    /// <summary>lag and lead: the value a number of rows (or non-null values) before or after, else the default.</summary>
    private static IArrowArray Shift(WindowCall call, WindowLayout layout, IArrowArray[] arguments)
    {
        const int UseNull = -1;
        const int UseDefault = -2;
        var rows = layout.Rows;
        var value = arguments[0];
        var offsets = arguments.Length > 1 ? arguments[1] : null;
        var defaults = arguments.Length > 2 ? arguments[2] : null;
        var offsetValidity = offsets is null ? default : new Validity(offsets);
        var offsetValues = offsets is null || offsets.Data.DataType.TypeId == ArrowTypeId.Null ? default : ArrayAccess.Values<long>(offsets);
        var nonNull = call.IgnoreNulls ? new NonNullIndex(value, rows) : null;
        bool lag = call.Function == WindowFunction.Lag;
        var sources = new int[layout.Length];
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int start = partitions[p];
            int end = partitions[p + 1];
            for (int position = start; position < end; position++)
            {
                int row = rows[position];
                long distance = 1;
                if (offsets is not null)
                {
                    if (!offsetValidity.IsValid(row))
                    {
                        sources[row] = UseNull;
                        continue;
                    }

                    distance = offsetValues[row];
                    if (distance < 0)
                    {
                        throw new ExecutionException(ExecutionException.InvalidArgument, $"{WindowCall.FunctionName(call.Function)} offset must not be negative, got {distance}");
                    }
                }

                long target;
                if (nonNull is not null && distance > 0)
                {
                    target = lag
                        ? nonNull.PositionOf(nonNull.CountBefore(position) - distance, start, end)
                        : nonNull.PositionOf(nonNull.CountBefore(position + 1) + distance - 1, start, end);
                }
                else
                {
                    target = lag ? position - distance : position + distance;
                    target = target >= start && target < end ? target : -1;
                }

                sources[row] = target >= 0 ? rows[target] : defaults is null ? UseNull : UseDefault;
            }
        }

        var builder = ColumnBuilder.Create(call.Type, layout.Length);
        var valueValidity = new Validity(value);
        var defaultValidity = defaults is null ? default : new Validity(defaults);
        for (int row = 0; row < sources.Length; row++)
        {
            int source = sources[row];
            if (source >= 0 && valueValidity.IsValid(source))
            {
                builder.AppendFrom(value, source);
            }
            else if (source == UseDefault && defaultValidity.IsValid(row))
            {
                builder.AppendFrom(defaults!, row);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    private static IArrowArray FrameValue(WindowCall call, WindowLayout layout, WindowFrames frames, IArrowArray[] arguments)
    {
        var rows = layout.Rows;
        var value = arguments[0];
        var positions = arguments.Length > 1 ? arguments[1] : null;
        var positionValidity = positions is null ? default : new Validity(positions);
        var positionValues = positions is null || positions.Data.DataType.TypeId == ArrowTypeId.Null ? default : ArrayAccess.Values<long>(positions);
        var nonNull = call.IgnoreNulls ? new NonNullIndex(value, rows) : null;
        var sources = new int[layout.Length];
        for (int position = 0; position < sources.Length; position++)
        {
            int row = rows[position];
            int start = frames.Start[position];
            int end = frames.End[position];
            long nth = 1;
            if (call.Function == WindowFunction.NthValue)
            {
                if (!positionValidity.IsValid(row))
                {
                    sources[row] = -1;
                    continue;
                }

                nth = positionValues[row];
                if (nth <= 0)
                {
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"nth_value position must be greater than 0, got {nth}");
                }
            }

            long target;
            if (nonNull is not null)
            {
                long before = nonNull.CountBefore(start);
                long count = start < end ? nonNull.CountBefore(end) - before : 0;
                long index = call.Function == WindowFunction.LastValue ? before + count - 1 : before + nth - 1;
                target = count > 0 && index >= before && index < before + count ? nonNull.Position(index) : -1;
            }
            else
            {
                target = call.Function == WindowFunction.LastValue ? end - 1 : start + nth - 1;
                target = start < end && target >= start && target < end ? target : -1;
            }

            sources[row] = target >= 0 ? rows[target] : -1;
        }

        return ArrayFactory.Take(value, call.Type, sources);
    }

    private static IArrowArray CountRows(WindowLayout layout, WindowFrames frames)
    {
        var rows = layout.Rows;
        var values = new long[layout.Length];
        for (int position = 0; position < values.Length; position++)
        {
            values[rows[position]] = Math.Max(0, frames.End[position] - frames.Start[position]);
        }

        return BuildLongs(values, null);
    }

    private static IArrowArray CountValues(WindowLayout layout, WindowFrames frames, IArrowArray value)
    {
        var rows = layout.Rows;
        var prefix = ValidPrefix(value, rows);
        var values = new long[layout.Length];
        for (int position = 0; position < values.Length; position++)
        {
            values[rows[position]] = CountIn(prefix, frames.Start[position], frames.End[position]);
        }

        return BuildLongs(values, null);
    }

    private static long CountIn(int[] prefix, int start, int end) => start < end ? prefix[end] - prefix[start] : 0;

    /// <summary>prefix[p] = number of non-null values at sorted positions before p.</summary>
    private static int[] ValidPrefix(IArrowArray value, int[] rows)
    {
        var validity = new Validity(value);
        var prefix = new int[rows.Length + 1];
        for (int position = 0; position < rows.Length; position++)
        {
            prefix[position + 1] = prefix[position] + (validity.IsValid(rows[position]) ? 1 : 0);
        }

        return prefix;
    }

    private static IArrowArray Sum(WindowCall call, WindowLayout layout, WindowFrames frames, IArrowArray value)
    {
        var rows = layout.Rows;
        var counts = ValidPrefix(value, rows);
        var kind = SqlTypes.KindOf(value.Data.DataType);
        bool average = call.Function == WindowFunction.Avg;
        var builder = ColumnBuilder.Create(call.Type, layout.Length);
        if (kind == PhysicalKind.Null)
        {
            for (int row = 0; row < rows.Length; row++)
            {
                builder.AppendNull();
            }

            return builder.Build();
        }

        if (kind is PhysicalKind.Float or PhysicalKind.Double)
        {
            var tree = kind == PhysicalKind.Float
                ? new SumTree(ArrayAccess.Values<float>(value), value, rows)
                : new SumTree(ArrayAccess.Values<double>(value), value, rows);
            var sums = new double[rows.Length];
            var found = new long[rows.Length];
            for (int position = 0; position < rows.Length; position++)
            {
                int start = frames.Start[position];
                int end = frames.End[position];
                found[rows[position]] = CountIn(counts, start, end);
                sums[rows[position]] = start < end ? tree.Sum(start, end) : 0;
            }

            for (int row = 0; row < rows.Length; row++)
            {
                if (found[row] == 0)
                {
                    builder.AppendNull();
                    continue;
                }

                double result = average ? sums[row] / found[row] : sums[row];
                if (builder is PrimitiveColumnBuilder<float> reals)
                {
                    reals.Append((float)result);
                }
                else
                {
                    ((PrimitiveColumnBuilder<double>)builder).Append(result);
                }
            }

            return builder.Build();
        }

        Int128[] prefix;
        try
        {
            prefix = kind switch
            {
                PhysicalKind.Int8 => ExactPrefix(ArrayAccess.Values<sbyte>(value), value, rows),
                PhysicalKind.Int16 => ExactPrefix(ArrayAccess.Values<short>(value), value, rows),
                PhysicalKind.Int32 => ExactPrefix(ArrayAccess.Values<int>(value), value, rows),
                PhysicalKind.Int64 => ExactPrefix(ArrayAccess.Values<long>(value), value, rows),
                PhysicalKind.Int128 => ExactPrefix(ArrayAccess.Values<Int128>(value), value, rows),
                _ => throw new ExecutionException(ExecutionException.NotSupported, $"{WindowCall.FunctionName(call.Function)} is not defined for {SqlTypes.Display(value.Data.DataType)}"),
            };
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{WindowCall.FunctionName(call.Function)} overflow in window");
        }

        var exact = new Int128[rows.Length];
        var exactCounts = new long[rows.Length];
        for (int position = 0; position < rows.Length; position++)
        {
            int start = frames.Start[position];
            int end = frames.End[position];
            exactCounts[rows[position]] = CountIn(counts, start, end);
            exact[rows[position]] = start < end ? prefix[end] - prefix[start] : Int128.Zero;
        }

        for (int row = 0; row < rows.Length; row++)
        {
            long count = exactCounts[row];
            if (count == 0)
            {
                builder.AppendNull();
                continue;
            }

            var sum = exact[row];
            switch (builder)
            {
                case PrimitiveColumnBuilder<long> longs:
                    if (sum > long.MaxValue || sum < long.MinValue)
                    {
                        throw new ExecutionException(ExecutionException.NumericOverflow, "bigint overflow in window sum");
                    }

                    longs.Append((long)sum);
                    break;
                case PrimitiveColumnBuilder<Int128> decimals:
                    var total = average ? ScalarText.DivideRoundHalfUp(sum, count) : sum;
                    if (!ScalarText.FitsPrecision(total, ((Decimal128Type)call.Type).Precision))
                    {
                        throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(call.Type)} overflow in window {WindowCall.FunctionName(call.Function)}");
                    }

                    decimals.Append(total);
                    break;
                case PrimitiveColumnBuilder<double> doubles:
                    doubles.Append(average ? (double)sum / count : (double)sum);
                    break;
                case PrimitiveColumnBuilder<float> reals:
                    reals.Append((float)(average ? (double)sum / count : (double)sum));
                    break;
                default:
                    throw new ExecutionException(ExecutionException.NotSupported, $"window {WindowCall.FunctionName(call.Function)} result type {SqlTypes.Display(call.Type)} is not supported");
            }
        }

        return builder.Build();
    }

    /// <summary>prefix[p] = sum of the non-null values at sorted positions before p (checked).</summary>
    private static Int128[] ExactPrefix<T>(ReadOnlySpan<T> values, IArrowArray array, int[] rows)
        where T : unmanaged, IBinaryInteger<T>
    {
        var validity = new Validity(array);
        var prefix = new Int128[rows.Length + 1];
        for (int position = 0; position < rows.Length; position++)
        {
            int row = rows[position];
            prefix[position + 1] = validity.IsValid(row) ? checked(prefix[position] + Int128.CreateTruncating(values[row])) : prefix[position];
        }

        return prefix;
    }

    /// <summary>min and max with a monotone deque: frame bounds only move forward within a partition.</summary>
    private static IArrowArray MinMax(WindowCall call, WindowLayout layout, WindowFrames frames, IArrowArray value)
    {
        var rows = layout.Rows;
        var sources = new int[layout.Length];
        var comparer = new RowComparer([value], [(true, false)]);
        var validity = new Validity(value);
        int direction = call.Function == WindowFunction.Max ? -1 : 1;
        var deque = new int[layout.Length];
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int head = 0;
            int tail = 0;
            int next = partitions[p];
            int lastStart = partitions[p];
            int lastEnd = partitions[p];
            for (int position = partitions[p]; position < partitions[p + 1]; position++)
            {
                int start = frames.Start[position];
                int end = frames.End[position];
                if (start < lastStart || end < lastEnd)
                {
                    head = 0;
                    tail = 0;
                    next = start;
                }

                lastStart = start;
                lastEnd = end;
                while (next < end)
                {
                    int row = rows[next];
                    if (validity.IsValid(row))
                    {
                        // Drop earlier values that can never be the answer again: the new one is at least as good and lives longer.
                        while (tail > head && direction * comparer.Compare(rows[deque[tail - 1]], row) >= 0)
                        {
                            tail--;
                        }

                        deque[tail++] = next;
                    }

                    next++;
                }

                while (head < tail && deque[head] < start)
                {
                    head++;
                }

                sources[rows[position]] = start < end && head < tail ? rows[deque[head]] : -1;
            }
        }

        return ArrayFactory.Take(value, call.Type, sources);
    }

    /// <summary>
    /// Any aggregate through its accumulator: one group per partition when every frame is the whole partition,
    /// else one group per row fed with the rows of its frame, which costs the total size of all frames.
    /// </summary>
    private static IArrowArray Accumulate(WindowCall call, WindowLayout layout, WindowFrames frames, IArrowArray[] arguments)
    {
        var aggregate = call.Aggregate!;
        var value = arguments.Length > 0 ? arguments[0] : null;
        var rows = layout.Rows;
        var partitions = layout.PartitionStarts;
        var accumulator = Accumulator.Create(aggregate);
        bool wholePartitions = true;
        long frameRows = 0;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            for (int position = partitions[p]; position < partitions[p + 1]; position++)
            {
                int start = frames.Start[position];
                int end = frames.End[position];
                wholePartitions &= start == partitions[p] && end == partitions[p + 1];
                frameRows += Math.Max(0, end - start);
            }
        }

        if (wholePartitions)
        {
            int partitionCount = partitions.Length - 1;
            var partitionOfRow = new int[rows.Length];
            for (int p = 0; p < partitionCount; p++)
            {
                for (int position = partitions[p]; position < partitions[p + 1]; position++)
                {
                    partitionOfRow[rows[position]] = p;
                }
            }

            accumulator.Accumulate(value, partitionOfRow, partitionCount);
            return ArrayFactory.Take(accumulator.Build(partitionCount), call.Type, partitionOfRow);
        }

        if (frameRows > MaxAccumulatedFrameRows)
        {
            throw new ExecutionException(
                ExecutionException.NotSupported,
                $"window {aggregate} would aggregate {frameRows} frame rows in all (at most {MaxAccumulatedFrameRows}); use a smaller frame, or count, sum, avg, min or max");
        }

        const int ChunkRows = 65_536;
        var groups = new int[ChunkRows];
        var sources = new int[ChunkRows];
        int pending = 0;
        for (int position = 0; position < rows.Length; position++)
        {
            for (int member = frames.Start[position]; member < frames.End[position]; member++)
            {
                groups[pending] = rows[position];
                sources[pending] = rows[member];
                if (++pending == ChunkRows)
                {
                    Feed(accumulator, value, aggregate, groups, sources, pending, rows.Length);
                    pending = 0;
                }
            }
        }

        Feed(accumulator, value, aggregate, groups, sources, pending, rows.Length);
        return accumulator.Build(rows.Length);
    }

    private static void Feed(Accumulator accumulator, IArrowArray? value, AggregateCall aggregate, int[] groups, int[] sources, int count, int groupCount)
    {
        var input = value is null ? null : ArrayFactory.Take(value, aggregate.Argument!.Type, sources.AsSpan(0, count));
        accumulator.Accumulate(input, groups.AsSpan(0, count), groupCount);
    }

    private static IArrowArray BuildLongs(long[] values, bool[]? isNull)
    {
        var builder = new PrimitiveColumnBuilder<long>(SqlTypes.BigInt, values.Length);
        for (int row = 0; row < values.Length; row++)
        {
            if (isNull is not null && isNull[row])
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(values[row]);
            }
        }

        return builder.Build();
    }

    /// <summary>Sorted positions of the non-null values, for IGNORE NULLS.</summary>
    private sealed class NonNullIndex
    {
        private readonly int[] _before;
        private readonly int[] _positions;

        public NonNullIndex(IArrowArray value, int[] rows)
        {
            var validity = new Validity(value);
            _before = new int[rows.Length + 1];
            var positions = new List<int>(rows.Length);
            for (int position = 0; position < rows.Length; position++)
            {
                bool valid = validity.IsValid(rows[position]);
                _before[position + 1] = _before[position] + (valid ? 1 : 0);
                if (valid)
                {
                    positions.Add(position);
                }
            }

            _positions = positions.ToArray();
        }

        /// <summary>Number of non-null values at sorted positions before <paramref name="position"/>.</summary>
        public int CountBefore(int position) => _before[position];

        public int Position(long index) => _positions[index];

        /// <summary>The position of non-null value number <paramref name="index"/> when it lies in [start, end), else -1.</summary>
        public long PositionOf(long index, int start, int end) =>
            index >= _before[start] && index < _before[end] ? _positions[index] : -1;
    }

    /// <summary>Sums of floating-point values over position ranges in O(log n), summing nearby values first.</summary>
    private sealed class SumTree
    {
        private readonly double[] _nodes;
        private readonly int _size;

        public SumTree(ReadOnlySpan<float> values, IArrowArray array, int[] rows)
            : this(rows.Length)
        {
            var validity = new Validity(array);
            for (int position = 0; position < rows.Length; position++)
            {
                _nodes[_size + position] = validity.IsValid(rows[position]) ? values[rows[position]] : 0;
            }

            BuildInner();
        }

        public SumTree(ReadOnlySpan<double> values, IArrowArray array, int[] rows)
            : this(rows.Length)
        {
            var validity = new Validity(array);
            for (int position = 0; position < rows.Length; position++)
            {
                _nodes[_size + position] = validity.IsValid(rows[position]) ? values[rows[position]] : 0;
            }

            BuildInner();
        }

        private SumTree(int size)
        {
            _size = size;
            _nodes = new double[2 * size];
        }

        private void BuildInner()
        {
            for (int node = _size - 1; node > 0; node--)
            {
                _nodes[node] = _nodes[2 * node] + _nodes[(2 * node) + 1];
            }
        }

        public double Sum(int start, int end)
        {
            double left = 0;
            double right = 0;
            int low = start + _size;
            int high = end + _size;
            while (low < high)
            {
                if ((low & 1) == 1)
                {
                    left += _nodes[low++];
                }

                if ((high & 1) == 1)
                {
                    right = _nodes[--high] + right;
                }

                low >>= 1;
                high >>= 1;
            }

            return left + right;
        }
    }
}
