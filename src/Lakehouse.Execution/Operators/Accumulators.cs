using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>Per-group state of one aggregate function, updated a batch at a time.</summary>
public abstract class Accumulator
{
    /// <param name="input">The evaluated argument, or null for count(*).</param>
    /// <param name="groups">Group id of each row.</param>
    public abstract void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount);

    public abstract IArrowArray Build(int groupCount);

    /// <summary>
    /// Bytes held beyond a small fixed state per group, growing with the rows seen (value lists of
    /// approx_percentile and array_agg, distinct sketches), so a memory budget can account for them.
    /// </summary>
    public virtual long ExtraBytes => 0;

    /// <summary>Whether <see cref="Merge"/> can fold another accumulator's groups into this one (partial aggregation on several threads).</summary>
    public virtual bool CanMerge => false;

    /// <summary>Adds the state of <paramref name="partial"/>'s group g to this accumulator's group <c>groupMap[g]</c>.</summary>
    public virtual void Merge(Accumulator partial, ReadOnlySpan<int> groupMap, int groupCount) =>
        throw new InvalidOperationException($"{GetType().Name} cannot merge partial states");

    public static Accumulator Create(AggregateCall call)
    {
        var argumentType = call.Argument?.Type;
        Accumulator accumulator = call.Function switch
        {
            AggregateFunction.CountStar => new CountAccumulator(countNulls: true),
            AggregateFunction.Count => new CountAccumulator(countNulls: false),
            AggregateFunction.Sum => new SumAccumulator(argumentType!, call.Type, average: false),
            AggregateFunction.Avg => new SumAccumulator(argumentType!, call.Type, average: true),
            AggregateFunction.Min => MinMaxAccumulator.Create(call.Type, wantMax: false),
            AggregateFunction.Max => MinMaxAccumulator.Create(call.Type, wantMax: true),
            AggregateFunction.VarSamp => new VarianceAccumulator(sample: true, standardDeviation: false),
            AggregateFunction.VarPop => new VarianceAccumulator(sample: false, standardDeviation: false),
            AggregateFunction.StddevSamp => new VarianceAccumulator(sample: true, standardDeviation: true),
            AggregateFunction.StddevPop => new VarianceAccumulator(sample: false, standardDeviation: true),
            AggregateFunction.BoolAnd => new BooleanAccumulator(isAnd: true),
            AggregateFunction.BoolOr => new BooleanAccumulator(isAnd: false),
            AggregateFunction.Arbitrary => new ArbitraryAccumulator(call.Type),
            AggregateFunction.MinBy or AggregateFunction.MaxBy => new ByAccumulator(
                call.Type,
                ((StructType)argumentType!).Fields[1].DataType,
                wantMax: call.Function == AggregateFunction.MaxBy),
            AggregateFunction.ApproxDistinct => new ApproxDistinctAccumulator(argumentType!),
            AggregateFunction.ApproxPercentile => new PercentileAccumulator(call.Type, call.Parameter ?? 0.5),
            AggregateFunction.ArrayAgg => new ArrayAggAccumulator((ListType)call.Type, call.Ordering),
            AggregateFunction.CovarSamp or AggregateFunction.CovarPop or AggregateFunction.Corr or AggregateFunction.RegrSlope
                or AggregateFunction.RegrIntercept => new CovarianceAccumulator(call.Function),
            _ => throw new ExecutionException(ExecutionException.NotSupported, $"aggregate {call} is not supported"),
        };
        return call.Distinct && call.Argument is not null ? new DistinctAccumulator(accumulator, argumentType!) : accumulator;
    }

    protected static void Grow<T>(ref T[] values, int count)
    {
        if (values.Length < count)
        {
            System.Array.Resize(ref values, Math.Max(count, values.Length * 2));
        }
    }
}

public sealed class CountAccumulator(bool countNulls) : Accumulator
{
    private long[] _counts = new long[16];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _counts, groupCount);
        if (countNulls || input is null)
        {
            foreach (int group in groups)
            {
                _counts[group]++;
            }

            return;
        }

        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (validity.IsValid(row))
            {
                _counts[groups[row]]++;
            }
        }
    }

    public override bool CanMerge => true;

    public override void Merge(Accumulator partial, ReadOnlySpan<int> groupMap, int groupCount)
    {
        Grow(ref _counts, groupCount);
        var other = (CountAccumulator)partial;
        Grow(ref other._counts, groupMap.Length);
        for (int group = 0; group < groupMap.Length; group++)
        {
            _counts[groupMap[group]] += other._counts[group];
        }
    }

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _counts, groupCount);
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, groupCount);
        for (int i = 0; i < groupCount; i++)
        {
            builder.Append(_counts[i]);
        }

        return builder.Build();
    }
}

/// <summary>sum and avg: exact for integers (Int128 state) and decimals, double for floating point.</summary>
public sealed class SumAccumulator : Accumulator
{
    private readonly IArrowType _inputType;
    private readonly IArrowType _resultType;
    private readonly bool _average;
    private readonly bool _exact;
    private Int128[] _exactSums = new Int128[16];
    private double[] _doubleSums = new double[16];
    private long[] _counts = new long[16];

    public SumAccumulator(IArrowType inputType, IArrowType resultType, bool average)
    {
        _inputType = inputType;
        _resultType = resultType;
        _average = average;
        _exact = SqlTypes.IsInteger(inputType) || inputType is Decimal128Type || inputType is NullType;
    }

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _exactSums, groupCount);
        Grow(ref _doubleSums, groupCount);
        Grow(ref _counts, groupCount);
        if (input is null || _inputType is NullType)
        {
            return;
        }

        try
        {
            switch (SqlTypes.KindOf(_inputType))
            {
                case PhysicalKind.Int8:
                    AddExact(ArrayAccess.Values<sbyte>(input), input, groups);
                    break;
                case PhysicalKind.Int16:
                    AddExact(ArrayAccess.Values<short>(input), input, groups);
                    break;
                case PhysicalKind.Int32:
                    AddExact(ArrayAccess.Values<int>(input), input, groups);
                    break;
                case PhysicalKind.Int64:
                    AddExact(ArrayAccess.Values<long>(input), input, groups);
                    break;
                case PhysicalKind.Int128:
                    AddExact(ArrayAccess.Values<Int128>(input), input, groups);
                    break;
                case PhysicalKind.Float:
                    AddDouble(ArrayAccess.Values<float>(input), input, groups);
                    break;
                case PhysicalKind.Double:
                    AddDouble(ArrayAccess.Values<double>(input), input, groups);
                    break;
                default:
                    throw new ExecutionException(ExecutionException.NotSupported, $"sum is not defined for {SqlTypes.Display(_inputType)}");
            }
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{(_average ? "avg" : "sum")} overflow for {SqlTypes.Display(_inputType)}");
        }
    }

    private void AddExact<T>(ReadOnlySpan<T> values, IArrowArray input, ReadOnlySpan<int> groups)
        where T : unmanaged, IBinaryInteger<T>
    {
        var validity = new Validity(input);

        // Values of at most 64 bits cannot take a 128-bit sum out of range within 2^63 rows, so they
        // add without checks; the result's own range is checked when it is built.
        if (validity.AllValid && (typeof(T) != typeof(Int128) || _inputType is Decimal128Type { Precision: <= 18 }))
        {
            var sums = _exactSums;
            var counts = _counts;
            for (int row = 0; row < groups.Length; row++)
            {
                int group = groups[row];
                sums[group] = unchecked(sums[group] + Int128.CreateTruncating(values[row]));
                counts[group]++;
            }

            return;
        }

        for (int row = 0; row < groups.Length; row++)
        {
            if (validity.IsValid(row))
            {
                int group = groups[row];
                _exactSums[group] = checked(_exactSums[group] + Int128.CreateTruncating(values[row]));
                _counts[group]++;
            }
        }
    }

    private void AddDouble<T>(ReadOnlySpan<T> values, IArrowArray input, ReadOnlySpan<int> groups)
        where T : unmanaged, IFloatingPoint<T>
    {
        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (validity.IsValid(row))
            {
                int group = groups[row];
                _doubleSums[group] += double.CreateTruncating(values[row]);
                _counts[group]++;
            }
        }
    }

    public override bool CanMerge => true;

    public override void Merge(Accumulator partial, ReadOnlySpan<int> groupMap, int groupCount)
    {
        Grow(ref _exactSums, groupCount);
        Grow(ref _doubleSums, groupCount);
        Grow(ref _counts, groupCount);
        var other = (SumAccumulator)partial;
        Grow(ref other._exactSums, groupMap.Length);
        Grow(ref other._doubleSums, groupMap.Length);
        Grow(ref other._counts, groupMap.Length);
        try
        {
            for (int group = 0; group < groupMap.Length; group++)
            {
                int target = groupMap[group];
                _exactSums[target] = checked(_exactSums[target] + other._exactSums[group]);
                _doubleSums[target] += other._doubleSums[group];
                _counts[target] += other._counts[group];
            }
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{(_average ? "avg" : "sum")} overflow for {SqlTypes.Display(_inputType)}");
        }
    }

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _exactSums, groupCount);
        Grow(ref _doubleSums, groupCount);
        Grow(ref _counts, groupCount);
        var builder = ColumnBuilder.Create(_resultType, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            long count = _counts[group];
            if (count == 0)
            {
                builder.AppendNull();
                continue;
            }

            switch (builder)
            {
                case PrimitiveColumnBuilder<long> longs:
                    var sum = _exactSums[group];
                    if (sum > long.MaxValue || sum < long.MinValue)
                    {
                        throw new ExecutionException(ExecutionException.NumericOverflow, $"bigint overflow in sum");
                    }

                    longs.Append((long)sum);
                    break;
                case PrimitiveColumnBuilder<Int128> decimals:
                    var total = _exactSums[group];
                    if (_average)
                    {
                        total = ScalarText.DivideRoundHalfUp(total, count);
                    }

                    if (!ScalarText.FitsPrecision(total, ((Decimal128Type)_resultType).Precision))
                    {
                        throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(_resultType)} overflow in {(_average ? "avg" : "sum")}");
                    }

                    decimals.Append(total);
                    break;
                case PrimitiveColumnBuilder<double> doubles:
                    double value = _exact ? (double)_exactSums[group] : _doubleSums[group];
                    doubles.Append(_average ? value / count : value);
                    break;
                case PrimitiveColumnBuilder<float> floats:
                    double real = _exact ? (double)_exactSums[group] : _doubleSums[group];
                    floats.Append((float)(_average ? real / count : real));
                    break;
                default:
                    throw new ExecutionException(ExecutionException.NotSupported, $"sum result type {SqlTypes.Display(_resultType)} is not supported");
            }
        }

        return builder.Build();
    }
}

public abstract class MinMaxAccumulator : Accumulator
{
    public static Accumulator Create(IArrowType type, bool wantMax) => SqlTypes.KindOf(type) switch
    {
        PhysicalKind.Int8 => new Primitive<sbyte>(type, wantMax),
        PhysicalKind.Int16 => new Primitive<short>(type, wantMax),
        PhysicalKind.Int32 => new Primitive<int>(type, wantMax),
        PhysicalKind.Int64 => new Primitive<long>(type, wantMax),
        PhysicalKind.Float => new Primitive<float>(type, wantMax),
        PhysicalKind.Double => new Primitive<double>(type, wantMax),
        PhysicalKind.Int128 => new Primitive<Int128>(type, wantMax),
        PhysicalKind.Boolean => new BooleanMinMax(wantMax),
        PhysicalKind.Null => new CountAccumulatorAsNull(),
        _ => new Bytes(type, wantMax),
    };

    private sealed class Primitive<T>(IArrowType type, bool wantMax) : Accumulator
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        private T[] _values = new T[16];
        private bool[] _has = new bool[16];

        public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
        {
            Grow(ref _values, groupCount);
            Grow(ref _has, groupCount);
            var values = ArrayAccess.Values<T>(input!);
            var validity = new Validity(input!);
            for (int row = 0; row < groups.Length; row++)
            {
                if (!validity.IsValid(row))
                {
                    continue;
                }

                int group = groups[row];
                var value = values[row];
                if (!_has[group] || (wantMax ? value > _values[group] : value < _values[group]))
                {
                    _values[group] = value;
                    _has[group] = true;
                }
            }
        }

        public override bool CanMerge => true;

        public override void Merge(Accumulator partial, ReadOnlySpan<int> groupMap, int groupCount)
        {
            Grow(ref _values, groupCount);
            Grow(ref _has, groupCount);
            var other = (Primitive<T>)partial;
            Grow(ref other._values, groupMap.Length);
            Grow(ref other._has, groupMap.Length);
            for (int group = 0; group < groupMap.Length; group++)
            {
                if (!other._has[group])
                {
                    continue;
                }

                int target = groupMap[group];
                var value = other._values[group];
                if (!_has[target] || (wantMax ? value > _values[target] : value < _values[target]))
                {
                    _values[target] = value;
                    _has[target] = true;
                }
            }
        }

        public override IArrowArray Build(int groupCount)
        {
            Grow(ref _values, groupCount);
            Grow(ref _has, groupCount);
            var builder = new PrimitiveColumnBuilder<T>(type, groupCount);
            for (int group = 0; group < groupCount; group++)
            {
                if (_has[group])
                {
                    builder.Append(_values[group]);
                }
                else
                {
                    builder.AppendNull();
                }
            }

            return builder.Build();
        }
    }

    private sealed class BooleanMinMax(bool wantMax) : Accumulator
    {
        private bool[] _values = new bool[16];
        private bool[] _has = new bool[16];

        public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
        {
            Grow(ref _values, groupCount);
            Grow(ref _has, groupCount);
            var validity = new Validity(input!);
            for (int row = 0; row < groups.Length; row++)
            {
                if (!validity.IsValid(row))
                {
                    continue;
                }

                bool value = ArrayAccess.GetBoolean(input!, row);
                int group = groups[row];
                if (!_has[group] || (wantMax ? value && !_values[group] : !value && _values[group]))
                {
                    _values[group] = value;
                    _has[group] = true;
                }
            }
        }

        public override IArrowArray Build(int groupCount)
        {
            Grow(ref _values, groupCount);
            Grow(ref _has, groupCount);
            var builder = new BooleanColumnBuilder(BooleanType.Default, groupCount);
            for (int group = 0; group < groupCount; group++)
            {
                if (_has[group])
                {
                    builder.Append(_values[group]);
                }
                else
                {
                    builder.AppendNull();
                }
            }

            return builder.Build();
        }
    }

    private sealed class CountAccumulatorAsNull : Accumulator
    {
        public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
        {
        }

        public override IArrowArray Build(int groupCount) => new NullArray(groupCount);
    }

    private sealed class Bytes(IArrowType type, bool wantMax) : Accumulator
    {
        private byte[]?[] _values = new byte[]?[16];

        public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
        {
            Grow(ref _values, groupCount);
            var validity = new Validity(input!);
            for (int row = 0; row < groups.Length; row++)
            {
                if (!validity.IsValid(row))
                {
                    continue;
                }

                var value = ArrayAccess.GetBytes(input!, row);
                ref byte[]? current = ref _values[groups[row]];
                if (current is null)
                {
                    current = value.ToArray();
                    continue;
                }

                int comparison = value.SequenceCompareTo(current);
                if (wantMax ? comparison > 0 : comparison < 0)
                {
                    current = value.ToArray();
                }
            }
        }

        public override IArrowArray Build(int groupCount)
        {
            Grow(ref _values, groupCount);
            var builder = ColumnBuilder.Create(type, groupCount);
            for (int group = 0; group < groupCount; group++)
            {
                var value = _values[group];
                if (value is null)
                {
                    builder.AppendNull();
                }
                else if (builder is VariableBinaryColumnBuilder variable)
                {
                    variable.Append(value);
                }
                else
                {
                    ((FixedBinaryColumnBuilder)builder).Append(value);
                }
            }

            return builder.Build();
        }
    }
}

/// <summary>Passes each (group, value) pair to the inner accumulator only the first time it is seen.</summary>
public sealed class DistinctAccumulator(Accumulator inner, IArrowType argumentType) : Accumulator
{
    private readonly KeyTable _seen = new();
    private readonly RowKeyEncoder _encoder = new([Int32Type.Default, argumentType]);

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        var rows = new int[groups.Length];
        var keptGroups = new int[groups.Length];
        int kept = 0;
        var groupColumn = new PrimitiveColumnBuilder<int>(Int32Type.Default, groups.Length);
        foreach (int group in groups)
        {
            groupColumn.Append(group);
        }

        var columns = new IArrowArray[] { groupColumn.Build(), input! };
        var validity = new Validity(input!);
        for (int row = 0; row < groups.Length; row++)
        {
            if (!validity.IsValid(row))
            {
                continue;
            }

            _seen.GetOrAdd(_encoder.Encode(columns, row, out _), out bool added);
            if (added)
            {
                rows[kept] = row;
                keptGroups[kept] = groups[row];
                kept++;
            }
        }

        var distinct = ArrayFactory.Take(input!, argumentType, rows.AsSpan(0, kept));
        inner.Accumulate(distinct, keptGroups.AsSpan(0, kept), groupCount);
    }

    public override IArrowArray Build(int groupCount) => inner.Build(groupCount);

    // Each distinct (group, value) pair costs about a key encoding plus its hash slot.
    public override long ExtraBytes => inner.ExtraBytes + (_seen.Count * 32L);
}
