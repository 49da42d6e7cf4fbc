using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// The frame of every row of a window: sorted positions [Start, End). Frames never leave their partition
/// and may be empty (Start &gt;= End). Within a partition both bounds never decrease from row to row.
/// </summary>
internal sealed class WindowFrames
{
    private WindowFrames(int[] start, int[] end)
    {
        Start = start;
        End = end;
    }

    public int[] Start { get; }

    public int[] End { get; }

    public static WindowFrames Compute(WindowLayout layout, WindowFrameSpec frame, IReadOnlyList<SortKey> orderKeys)
    {
        int length = layout.Length;
        var start = new int[length];
        var end = new int[length];
        var startKey = RangeKey.For(layout, frame, frame.Start, orderKeys);
        var endKey = RangeKey.For(layout, frame, frame.End, orderKeys);
        var partitions = layout.PartitionStarts;
        for (int p = 0; p + 1 < partitions.Length; p++)
        {
            int partitionStart = partitions[p];
            int partitionEnd = partitions[p + 1];
            int valuesStart = partitionStart;
            int valuesEnd = partitionEnd;
            var key = startKey ?? endKey;
            if (key is not null)
            {
                // NULL keys sort together at one end of the partition; offsets measure only the non-null values.
                while (valuesStart < valuesEnd && key.IsNull(valuesStart))
                {
                    valuesStart++;
                }

                while (valuesEnd > valuesStart && key.IsNull(valuesEnd - 1))
                {
                    valuesEnd--;
                }
            }

            for (int position = partitionStart; position < partitionEnd; position++)
            {
                start[position] = Bound(layout, frame.Unit, frame.Start, startKey, true, position, partitionStart, partitionEnd, valuesStart, valuesEnd);
                end[position] = Bound(layout, frame.Unit, frame.End, endKey, false, position, partitionStart, partitionEnd, valuesStart, valuesEnd);
            }
        }

        return new WindowFrames(start, end);
    }

    /// <summary>The frame start (first position) or end (one past the last position) of the row at <paramref name="position"/>.</summary>
    private static int Bound(
        WindowLayout layout,
        WindowFrameUnit unit,
        WindowFrameBound bound,
        RangeKey? key,
        bool isStart,
        int position,
        int partitionStart,
        int partitionEnd,
        int valuesStart,
        int valuesEnd)
    {
        switch (bound.Kind)
        {
            case WindowBoundKind.UnboundedPreceding:
                return partitionStart;
            case WindowBoundKind.UnboundedFollowing:
                return partitionEnd;
            case WindowBoundKind.CurrentRow:
                if (unit == WindowFrameUnit.Rows)
                {
                    return isStart ? position : position + 1;
                }

                return isStart ? layout.PeerStart(position) : layout.PeerEnd(position);
        }

        bool preceding = bound.Kind == WindowBoundKind.Preceding;
        switch (unit)
        {
            case WindowFrameUnit.Rows:
            {
                long count = Distance(bound);
                long target = preceding ? position - count : position + count;
                if (!isStart)
                {
                    target++;
                }

                return (int)Math.Clamp(target, partitionStart, partitionEnd);
            }

            case WindowFrameUnit.Groups:
            {
                long count = Distance(bound);
                int group = layout.PeerGroup[position];
                int firstGroup = layout.PeerGroup[partitionStart];
                int lastGroup = layout.PeerGroup[partitionEnd - 1];
                long target = preceding ? group - count : group + count;
                if (target < firstGroup)
                {
                    return partitionStart;
                }

                if (target > lastGroup)
                {
                    return partitionEnd;
                }

                return layout.GroupStarts[(int)target + (isStart ? 0 : 1)];
            }

            default:
                if (key!.IsNull(position))
                {
                    return isStart ? layout.PeerStart(position) : layout.PeerEnd(position);
                }

                return key.Search(position, valuesStart, valuesEnd, preceding, isStart);
        }
    }

    /// <summary>A ROWS or GROUPS offset, capped where it already reaches past any partition so that adding it cannot overflow.</summary>
    private static long Distance(WindowFrameBound bound) => Math.Min(((CountOffset)bound.Offset!).Count, 1L << 40);

    /// <summary>The single ORDER BY key of a RANGE frame with an offset, as numbers in sorted order.</summary>
    private abstract class RangeKey
    {
        private readonly bool[] _isNull;

        protected RangeKey(bool[] isNull, bool ascending)
        {
            _isNull = isNull;
            Ascending = ascending;
        }

        protected bool Ascending { get; }

        public bool IsNull(int position) => _isNull[position];

        /// <summary>Frame bound of a row with a non-null key, searched among the non-null positions [lo, hi).</summary>
        public abstract int Search(int position, int lo, int hi, bool preceding, bool isStart);

        public static RangeKey? For(WindowLayout layout, WindowFrameSpec frame, WindowFrameBound bound, IReadOnlyList<SortKey> orderKeys)
        {
            if (frame.Unit != WindowFrameUnit.Range || bound.Offset is null)
            {
                return null;
            }

            var array = layout.OrderKeys[0];
            var keyType = orderKeys[0].Expression.Type;
            bool ascending = orderKeys[0].Ascending;
            var rows = layout.Rows;
            var isNull = new bool[rows.Length];
            var validity = new Validity(array);
            for (int position = 0; position < rows.Length; position++)
            {
                isNull[position] = !validity.IsValid(rows[position]);
            }

            switch (bound.Offset)
            {
                case IntervalOffset interval:
                {
                    // Points in time in the key's own unit: microseconds, or nanoseconds for timestamp(9).
                    var points = new Int128[rows.Length];
                    bool isDate = keyType is Date32Type;
                    int unitsPerMicro = keyType is TimestampType { Unit: TimeUnit.Nanosecond } ? 1000 : 1;
                    for (int position = 0; position < rows.Length; position++)
                    {
                        points[position] = isDate
                            ? (Int128)ArrayAccess.Values<int>(array)[rows[position]] * ScalarText.MicrosPerDay
                            : ArrayAccess.Values<long>(array)[rows[position]];
                    }

                    return new IntervalKey(points, unitsPerMicro, isNull, ascending, interval);
                }

                case ValueOffset offset when SqlTypes.IsFloating(keyType) || SqlTypes.IsFloating(offset.Type):
                {
                    var values = new double[rows.Length];
                    int scale = keyType is Decimal128Type keyDecimal ? keyDecimal.Scale : 0;
                    for (int position = 0; position < rows.Length; position++)
                    {
                        values[position] = isNull[position] ? 0 : ReadDouble(array, keyType, rows[position], scale);
                    }

                    return new NumericKey<double>(values, isNull, ascending, OffsetAsDouble(offset));
                }

                case ValueOffset offset:
                {
                    int keyScale = keyType is Decimal128Type keyDecimal ? keyDecimal.Scale : 0;
                    int offsetScale = OffsetScale(offset);
                    int scale = Math.Max(keyScale, offsetScale);
                    var keyFactor = Power(scale - keyScale);
                    var values = new Int128[rows.Length];
                    try
                    {
                        for (int position = 0; position < rows.Length; position++)
                        {
                            values[position] = isNull[position] ? Int128.Zero : checked(ReadExact(array, keyType, rows[position]) * keyFactor);
                        }

                        var distance = checked(ToInt128(offset.Value) * Power(scale - offsetScale));
                        return new NumericKey<Int128>(values, isNull, ascending, distance);
                    }
                    catch (OverflowException)
                    {
                        throw new ExecutionException(ExecutionException.NumericOverflow, $"RANGE frame offset {offset} overflows against ORDER BY key of type {SqlTypes.Display(keyType)}");
                    }
                }

                default:
                    throw new ExecutionException(ExecutionException.NotSupported, $"RANGE frame offset {bound.Offset} is not supported");
            }
        }

        private static double OffsetAsDouble(ValueOffset offset) => offset.Value switch
        {
            double v => v,
            float v => v,
            Int128 v => (double)v / Math.Pow(10, OffsetScale(offset)),
            _ => (double)ToInt128(offset.Value),
        };

        private static int OffsetScale(ValueOffset offset) => offset.Type is Decimal128Type decimalType ? decimalType.Scale : 0;

        private static Int128 Power(int exponent)
        {
            Int128 result = 1;
            for (int i = 0; i < exponent; i++)
            {
                result *= 10;
            }

            return result;
        }

        private static Int128 ToInt128(object value) => value switch
        {
            sbyte v => v,
            short v => v,
            int v => v,
            long v => v,
            Int128 v => v,
            _ => throw new ExecutionException(ExecutionException.NotSupported, $"RANGE frame offset of {value.GetType().Name} is not supported"),
        };

        private static Int128 ReadExact(IArrowArray array, IArrowType type, int row) => SqlTypes.KindOf(type) switch
        {
            PhysicalKind.Int8 => ArrayAccess.Values<sbyte>(array)[row],
            PhysicalKind.Int16 => ArrayAccess.Values<short>(array)[row],
            PhysicalKind.Int32 => ArrayAccess.Values<int>(array)[row],
            PhysicalKind.Int64 => ArrayAccess.Values<long>(array)[row],
            PhysicalKind.Int128 => ArrayAccess.Values<Int128>(array)[row],
            _ => throw new ExecutionException(ExecutionException.NotSupported, $"RANGE frame over {SqlTypes.Display(type)} is not supported"),
        };

        private static double ReadDouble(IArrowArray array, IArrowType type, int row, int scale) => SqlTypes.KindOf(type) switch
        {
            PhysicalKind.Float => ArrayAccess.Values<float>(array)[row],
            PhysicalKind.Double => ArrayAccess.Values<double>(array)[row],
            PhysicalKind.Int128 => (double)ArrayAccess.Values<Int128>(array)[row] / Math.Pow(10, scale),
            _ => (double)ReadExact(array, type, row),
        };

        /// <summary>
        /// First position in [lo, hi) not before <paramref name="target"/> in sort order (a frame start), or
        /// first position after it (one past a frame end).
        /// </summary>
        protected int Find<T>(T[] values, int lo, int hi, T target, bool isStart)
            where T : INumber<T>
        {
            while (lo < hi)
            {
                int middle = lo + ((hi - lo) >> 1);
                var value = values[middle];
                bool before = Ascending
                    ? (isStart ? value < target : value <= target)
                    : (isStart ? value > target : value >= target);
                if (before)
                {
                    lo = middle + 1;
                }
                else
                {
                    hi = middle;
                }
            }

            return lo;
        }
    }

    private sealed class NumericKey<T>(T[] values, bool[] isNull, bool ascending, T distance) : RangeKey(isNull, ascending)
        where T : INumber<T>
    {
        public override int Search(int position, int lo, int hi, bool preceding, bool isStart)
        {
            // PRECEDING moves against the sort direction: towards smaller values when ascending.
            bool towardsLarger = preceding != Ascending;
            var current = values[position];
            var target = towardsLarger ? current + distance : current - distance;
            return Find(values, lo, hi, target, isStart);
        }
    }

    private sealed class IntervalKey(Int128[] points, int unitsPerMicro, bool[] isNull, bool ascending, IntervalOffset interval) : RangeKey(isNull, ascending)
    {
        private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

        public override int Search(int position, int lo, int hi, bool preceding, bool isStart)
        {
            int sign = preceding != Ascending ? 1 : -1;
            var target = points[position];
            if (interval.Months != 0)
            {
                target = AddMonths(target, sign * interval.Months, ScalarText.MicrosPerDay * unitsPerMicro);
            }

            target += sign * (Int128)interval.Micros * unitsPerMicro;
            return Find(points, lo, hi, target, isStart);
        }

        /// <summary>Calendar months added to a point in time; a day past the end of the month clamps to its last day.</summary>
        private static Int128 AddMonths(Int128 point, int months, long unitsPerDay)
        {
            var days = Int128.DivRem(point, unitsPerDay);
            var day = days.Quotient;
            var timeOfDay = days.Remainder;
            if (timeOfDay < 0)
            {
                timeOfDay += unitsPerDay;
                day--;
            }

            var dayNumber = EpochDayNumber + day;
            var outOfRange = months < 0 ? Int128.MinValue / 2 : Int128.MaxValue / 2;
            if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
            {
                return outOfRange;
            }

            var date = DateOnly.FromDayNumber((int)dayNumber);
            int monthIndex = (date.Year * 12) + date.Month - 1 + months;
            if (monthIndex < 12 || monthIndex >= 10000 * 12)
            {
                return outOfRange;
            }

            var shifted = date.AddMonths(months);
            return ((Int128)(shifted.DayNumber - EpochDayNumber) * unitsPerDay) + timeOfDay;
        }
    }
}
