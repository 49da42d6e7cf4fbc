using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>var_samp, var_pop, stddev_samp, stddev_pop over doubles (Welford's update per group).</summary>
public sealed class VarianceAccumulator(bool sample, bool standardDeviation) : Accumulator
{
    private long[] _counts = new long[16];
    private double[] _means = new double[16];
    private double[] _squares = new double[16];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _counts, groupCount);
        Grow(ref _means, groupCount);
        Grow(ref _squares, groupCount);
        if (input is null || input.Data.DataType is NullType)
        {
            return;
        }

        var values = ArrayAccess.Values<double>(input);
        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (!validity.IsValid(row))
            {
                continue;
            }

            int group = groups[row];
            double value = values[row];
            long count = ++_counts[group];
            double delta = value - _means[group];
            _means[group] += delta / count;
            _squares[group] += delta * (value - _means[group]);
        }
    }

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _counts, groupCount);
        Grow(ref _means, groupCount);
        Grow(ref _squares, groupCount);
        var builder = new PrimitiveColumnBuilder<double>(DoubleType.Default, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            long count = _counts[group];
            if (count == 0 || (sample && count == 1))
            {
                builder.AppendNull();
                continue;
            }

            double variance = _squares[group] / (sample ? count - 1 : count);
            builder.Append(standardDeviation ? Math.Sqrt(variance) : variance);
        }

        return builder.Build();
    }
}

/// <summary>bool_and / every and bool_or.</summary>
public sealed class BooleanAccumulator(bool isAnd) : Accumulator
{
    private bool[] _values = new bool[16];
    private bool[] _has = new bool[16];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _values, groupCount);
        Grow(ref _has, groupCount);
        if (input is null || input.Data.DataType is NullType)
        {
            return;
        }

        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (!validity.IsValid(row))
            {
                continue;
            }

            int group = groups[row];
            bool value = ArrayAccess.GetBoolean(input, row);
            _values[group] = _has[group] ? (isAnd ? _values[group] && value : _values[group] || value) : value;
            _has[group] = true;
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

/// <summary>
/// Remembers, per group, where its chosen value lives (batch and row) instead of copying values, so any
/// type works without per-row allocation; the batches that hold chosen values are kept until the end.
/// </summary>
public abstract class PositionAccumulator(IArrowType type) : Accumulator
{
    private readonly List<IArrowArray> _values = [];
    private int[] _batches = new int[16];
    private int[] _rows = new int[16];
    private int _filled;

    protected int BatchCount => _values.Count;

    protected void Prepare(int groupCount)
    {
        Grow(ref _batches, groupCount);
        Grow(ref _rows, groupCount);
        if (_filled < groupCount)
        {
            System.Array.Fill(_batches, -1, _filled, _batches.Length - _filled);
            _filled = _batches.Length;
        }
    }

    protected int AddBatch(IArrowArray values)
    {
        _values.Add(values);
        return _values.Count - 1;
    }

    protected bool HasValue(int group) => _batches[group] >= 0;

    protected (int Batch, int Row) Position(int group) => (_batches[group], _rows[group]);

    protected void Choose(int group, int batch, int row)
    {
        _batches[group] = batch;
        _rows[group] = row;
    }

    public override IArrowArray Build(int groupCount)
    {
        Prepare(groupCount);
        var builder = ColumnBuilder.Create(type, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            int batch = _batches[group];
            var source = batch < 0 ? null : _values[batch];
            if (source is null || source.IsNull(_rows[group]))
            {
                builder.AppendNull();
            }
            else
            {
                builder.AppendFrom(source, _rows[group]);
            }
        }

        return builder.Build();
    }
}

/// <summary>arbitrary / any_value: the first non-NULL value of each group.</summary>
public sealed class ArbitraryAccumulator(IArrowType type) : PositionAccumulator(type)
{
    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Prepare(groupCount);
        if (input is null || input.NullCount == input.Length)
        {
            return;
        }

        int batch = -1;
        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            int group = groups[row];
            if (!HasValue(group) && validity.IsValid(row))
            {
                if (batch < 0)
                {
                    batch = AddBatch(input);
                }

                Choose(group, batch, row);
            }
        }
    }
}

/// <summary>min_by / max_by over a row (value, key): the value at the smallest or largest non-NULL key.</summary>
public sealed class ByAccumulator(IArrowType valueType, IArrowType keyType, bool wantMax) : PositionAccumulator(valueType)
{
    private readonly PhysicalKind _keyKind = SqlTypes.KindOf(keyType);
    private readonly List<IArrowArray> _keys = [];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Prepare(groupCount);
        if (input is not StructArray rows)
        {
            return;
        }

        var values = rows.Fields[0];
        var keys = rows.Fields[1];
        int offset = rows.Offset;
        int batch = -1;
        for (int row = 0; row < groups.Length; row++)
        {
            int childRow = offset + row;
            if (rows.IsNull(row) || keys.IsNull(childRow))
            {
                continue;
            }

            int group = groups[row];
            bool better = true;
            if (HasValue(group))
            {
                var (bestBatch, bestRow) = Position(group);
                var bestKeys = bestBatch == batch ? keys : _keys[bestBatch];
                int order = CompareKeys(keys, childRow, bestKeys, bestRow);
                better = wantMax ? order > 0 : order < 0;
            }

            if (better)
            {
                if (batch < 0)
                {
                    batch = AddBatch(values);
                    _keys.Add(keys);
                }

                Choose(group, batch, childRow);
            }
        }
    }

    private int CompareKeys(IArrowArray left, int leftRow, IArrowArray right, int rightRow) => _keyKind switch
    {
        PhysicalKind.Int8 => ArrayAccess.Values<sbyte>(left)[leftRow].CompareTo(ArrayAccess.Values<sbyte>(right)[rightRow]),
        PhysicalKind.Int16 => ArrayAccess.Values<short>(left)[leftRow].CompareTo(ArrayAccess.Values<short>(right)[rightRow]),
        PhysicalKind.Int32 => ArrayAccess.Values<int>(left)[leftRow].CompareTo(ArrayAccess.Values<int>(right)[rightRow]),
        PhysicalKind.Int64 => ArrayAccess.Values<long>(left)[leftRow].CompareTo(ArrayAccess.Values<long>(right)[rightRow]),
        PhysicalKind.Float => ArrayAccess.Values<float>(left)[leftRow].CompareTo(ArrayAccess.Values<float>(right)[rightRow]),
        PhysicalKind.Double => ArrayAccess.Values<double>(left)[leftRow].CompareTo(ArrayAccess.Values<double>(right)[rightRow]),
        PhysicalKind.Int128 => ArrayAccess.Values<Int128>(left)[leftRow].CompareTo(ArrayAccess.Values<Int128>(right)[rightRow]),
        PhysicalKind.Boolean => ArrayAccess.GetBoolean(left, leftRow).CompareTo(ArrayAccess.GetBoolean(right, rightRow)),
        _ => ArrayAccess.GetBytes(left, leftRow).SequenceCompareTo(ArrayAccess.GetBytes(right, rightRow)),
    };
}

/// <summary>
/// approx_distinct: HyperLogLog with 2048 registers per group (standard error 1.04/sqrt(2048), about 2.3%).
/// Like Trino's sparse form, a group first keeps its distinct 64-bit hashes (exact for small counts) and
/// switches to registers past <see cref="SparseLimit"/> hashes.
/// </summary>
public sealed class ApproxDistinctAccumulator(IArrowType type) : Accumulator
{
    private const int IndexBits = 11;
    private const int Registers = 1 << IndexBits;
    private const int SparseLimit = 512;
    private const int SparseEntryBytes = 16;
    private long _extraBytes;
    private readonly RowKeyEncoder _encoder = new([type]);
    private readonly IArrowArray[] _columns = new IArrowArray[1];
    private byte[]?[] _sketches = new byte[]?[16];
    private HashSet<ulong>?[] _sparse = new HashSet<ulong>?[16];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _sketches, groupCount);
        Grow(ref _sparse, groupCount);
        if (input is null || input.Data.DataType is NullType)
        {
            return;
        }

        _columns[0] = input;
        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (!validity.IsValid(row))
            {
                continue;
            }

            ulong hash = Hash(_encoder.Encode(_columns, row, out _));
            int group = groups[row];
            var sketch = _sketches[group];
            if (sketch is null)
            {
                var sparse = _sparse[group] ??= [];
                if (!sparse.Add(hash))
                {
                    continue;
                }

                _extraBytes += SparseEntryBytes;
                if (sparse.Count <= SparseLimit)
                {
                    continue;
                }

                sketch = _sketches[group] = new byte[Registers];
                _extraBytes += Registers - (sparse.Count * SparseEntryBytes);
                foreach (ulong kept in sparse)
                {
                    AddToRegisters(sketch, kept);
                }

                _sparse[group] = null;
                continue;
            }

            AddToRegisters(sketch, hash);
        }
    }

    private static void AddToRegisters(byte[] sketch, ulong hash)
    {
        int register = (int)(hash >> (64 - IndexBits));
        int rank = System.Numerics.BitOperations.LeadingZeroCount((hash << IndexBits) | (1UL << (IndexBits - 1))) + 1;
        if (rank > sketch[register])
        {
            sketch[register] = (byte)rank;
        }
    }

    public override long ExtraBytes => _extraBytes;

    /// <summary>FNV-1a over the encoded value, then a 64-bit finalizer so every bit depends on every input bit.</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _sketches, groupCount);
        Grow(ref _sparse, groupCount);
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            builder.Append(_sparse[group] is { } sparse ? sparse.Count : Estimate(_sketches[group]));
        }

        return builder.Build();
    }

    private static long Estimate(byte[]? sketch)
    {
        if (sketch is null)
        {
            return 0;
        }

        double sum = 0;
        int zeros = 0;
        foreach (byte rank in sketch)
        {
            sum += Math.ScaleB(1.0, -rank);
            if (rank == 0)
            {
                zeros++;
            }
        }

        double alpha = 0.7213 / (1 + (1.079 / Registers));
        double estimate = alpha * Registers * Registers / sum;
        if (estimate <= 2.5 * Registers && zeros > 0)
        {
            estimate = Registers * Math.Log((double)Registers / zeros);
        }

        return (long)Math.Round(estimate);
    }
}

/// <summary>
/// approx_percentile(x, p): keeps the values of each group and answers the nearest-rank value
/// (the smallest value with at least p of the values at or below it); exact, hence within any error bound.
/// </summary>
public sealed class PercentileAccumulator(IArrowType type, double fraction) : Accumulator
{
    private readonly bool _integers = type is Int64Type;
    private List<long>?[] _longs = new List<long>?[16];
    private List<double>?[] _doubles = new List<double>?[16];

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _longs, groupCount);
        Grow(ref _doubles, groupCount);
        if (input is null || input.Data.DataType is NullType)
        {
            return;
        }

        var validity = new Validity(input);
        for (int row = 0; row < groups.Length; row++)
        {
            if (!validity.IsValid(row))
            {
                continue;
            }

            int group = groups[row];
            _values++;
            if (_integers)
            {
                (_longs[group] ??= []).Add(ArrayAccess.Values<long>(input)[row]);
            }
            else
            {
                (_doubles[group] ??= []).Add(ArrayAccess.Values<double>(input)[row]);
            }
        }
    }

    private long _values;

    public override long ExtraBytes => _values * sizeof(long);

    private int RankIndex(int count) => Math.Clamp((int)Math.Ceiling(fraction * count) - 1, 0, count - 1);

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _longs, groupCount);
        Grow(ref _doubles, groupCount);
        var builder = ColumnBuilder.Create(type, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            if (_integers && _longs[group] is { Count: > 0 } longs)
            {
                var span = CollectionsMarshal.AsSpan(longs);
                span.Sort();
                ((PrimitiveColumnBuilder<long>)builder).Append(span[RankIndex(span.Length)]);
            }
            else if (!_integers && _doubles[group] is { Count: > 0 } doubles)
            {
                var span = CollectionsMarshal.AsSpan(doubles);
                span.Sort();
                ((PrimitiveColumnBuilder<double>)builder).Append(span[RankIndex(span.Length)]);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }
}

/// <summary>
/// array_agg: remembers where each group's values are (batch and row) and builds one list per group at the
/// end, NULL values included, sorted by the carried keys when the call has ORDER BY (ties keep input order).
/// A group without rows gives NULL.
/// </summary>
public sealed class ArrayAggAccumulator(ListType type, IReadOnlyList<Planning.Logical.AggregateOrder>? ordering) : Accumulator
{
    private readonly List<IArrowArray> _values = [];
    private readonly List<IArrowArray[]> _keys = [];
    private List<long>?[] _positions = new List<long>?[16];
    private long _positionCount;

    public override long ExtraBytes => _positionCount * sizeof(long);

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        Grow(ref _positions, groupCount);
        if (input is null)
        {
            return;
        }

        IArrowArray values = input;
        IArrowArray? keep = null;
        int childOffset = 0;
        var rows = input as StructArray;
        if (rows is not null)
        {
            values = rows.Fields[0];
            keep = rows.Fields[1];
            childOffset = rows.Offset;
            var keys = new IArrowArray[rows.Fields.Count - 2];
            for (int k = 0; k < keys.Length; k++)
            {
                keys[k] = rows.Fields[k + 2];
            }

            _keys.Add(keys);
        }
        else
        {
            _keys.Add([]);
        }

        _values.Add(values);
        long batch = _values.Count - 1;
        for (int row = 0; row < groups.Length; row++)
        {
            int childRow = childOffset + row;
            if (rows is not null)
            {
                if (rows.IsNull(row) || keep!.IsNull(childRow) || !ArrayAccess.GetBoolean(keep, childRow))
                {
                    continue;
                }
            }
            else if (input.IsNull(row))
            {
                // With DISTINCT the argument is the plain value and NULLs were already dropped.
                continue;
            }

            (_positions[groups[row]] ??= []).Add((batch << 32) | (uint)childRow);
            _positionCount++;
        }
    }

    private int Compare(long left, long right)
    {
        var leftKeys = _keys[(int)(left >> 32)];
        var rightKeys = _keys[(int)(right >> 32)];
        int leftRow = (int)(uint)left;
        int rightRow = (int)(uint)right;
        for (int k = 0; k < ordering!.Count; k++)
        {
            var order = ordering[k];
            bool leftNull = leftKeys[k].IsNull(leftRow);
            bool rightNull = rightKeys[k].IsNull(rightRow);
            int result;
            if (leftNull || rightNull)
            {
                result = leftNull == rightNull ? 0 : (leftNull == order.NullsFirst ? -1 : 1);
            }
            else
            {
                result = KeyComparer.Compare(leftKeys[k], leftRow, rightKeys[k], rightRow);
                result = order.Ascending ? result : -result;
            }

            if (result != 0)
            {
                return result;
            }
        }

        return left.CompareTo(right);
    }

    public override IArrowArray Build(int groupCount)
    {
        Grow(ref _positions, groupCount);
        var element = type.ValueDataType;
        var child = ColumnBuilder.Create(element, groupCount);
        var offsets = new int[groupCount + 1];
        var validity = new byte[(groupCount + 7) >> 3];
        int nulls = 0;
        for (int group = 0; group < groupCount; group++)
        {
            var positions = _positions[group];
            if (positions is null)
            {
                nulls++;
                offsets[group + 1] = offsets[group];
                continue;
            }

            ArrayAccess.SetBit(validity, group);
            if (ordering is { Count: > 0 })
            {
                positions.Sort(Compare);
            }

            foreach (long position in positions)
            {
                var source = _values[(int)(position >> 32)];
                int row = (int)(uint)position;
                if (source.IsNull(row))
                {
                    child.AppendNull();
                }
                else
                {
                    child.AppendFrom(source, row);
                }
            }

            offsets[group + 1] = offsets[group] + positions.Count;
        }

        var offsetBytes = new byte[offsets.Length * sizeof(int)];
        System.Buffer.BlockCopy(offsets, 0, offsetBytes, 0, offsetBytes.Length);
        return new ListArray(
            type,
            groupCount,
            new ArrowBuffer(offsetBytes),
            child.Build(),
            nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity),
            nulls);
    }
}

/// <summary>Orders two values of the same flat type held in Arrow arrays.</summary>
public static class KeyComparer
{
    public static int Compare(IArrowArray left, int leftRow, IArrowArray right, int rightRow) => SqlTypes.KindOf(TypeOf(left)) switch
    {
        PhysicalKind.Int8 => ArrayAccess.Values<sbyte>(left)[leftRow].CompareTo(ArrayAccess.Values<sbyte>(right)[rightRow]),
        PhysicalKind.Int16 => ArrayAccess.Values<short>(left)[leftRow].CompareTo(ArrayAccess.Values<short>(right)[rightRow]),
        PhysicalKind.Int32 => ArrayAccess.Values<int>(left)[leftRow].CompareTo(ArrayAccess.Values<int>(right)[rightRow]),
        PhysicalKind.Int64 => ArrayAccess.Values<long>(left)[leftRow].CompareTo(ArrayAccess.Values<long>(right)[rightRow]),
        PhysicalKind.Float => ArrayAccess.Values<float>(left)[leftRow].CompareTo(ArrayAccess.Values<float>(right)[rightRow]),
        PhysicalKind.Double => ArrayAccess.Values<double>(left)[leftRow].CompareTo(ArrayAccess.Values<double>(right)[rightRow]),
        PhysicalKind.Int128 => ArrayAccess.Values<Int128>(left)[leftRow].CompareTo(ArrayAccess.Values<Int128>(right)[rightRow]),
        PhysicalKind.Boolean => ArrayAccess.GetBoolean(left, leftRow).CompareTo(ArrayAccess.GetBoolean(right, rightRow)),
        PhysicalKind.Null => 0,
        _ => ArrayAccess.GetBytes(left, leftRow).SequenceCompareTo(ArrayAccess.GetBytes(right, rightRow)),
    };

    private static IArrowType TypeOf(IArrowArray array) => array is ExtensionArray extension ? extension.ExtensionType : array.Data.DataType;
}

/// <summary>covar_samp, covar_pop, corr, regr_slope and regr_intercept over rows (y, x) with both values present.</summary>
public sealed class CovarianceAccumulator(Planning.Logical.AggregateFunction function) : Accumulator
{
    private long[] _counts = new long[16];
    private double[] _meanX = new double[16];
    private double[] _meanY = new double[16];
    private double[] _comoments = new double[16];
    private double[] _squaresX = new double[16];
    private double[] _squaresY = new double[16];

    private void GrowAll(int groupCount)
    {
        Grow(ref _counts, groupCount);
        Grow(ref _meanX, groupCount);
        Grow(ref _meanY, groupCount);
        Grow(ref _comoments, groupCount);
        Grow(ref _squaresX, groupCount);
        Grow(ref _squaresY, groupCount);
    }

    public override void Accumulate(IArrowArray? input, ReadOnlySpan<int> groups, int groupCount)
    {
        GrowAll(groupCount);
        if (input is not StructArray rows)
        {
            return;
        }

        var ys = rows.Fields[0];
        var xs = rows.Fields[1];
        var yValues = ArrayAccess.Values<double>(ys);
        var xValues = ArrayAccess.Values<double>(xs);
        int offset = rows.Offset;
        for (int row = 0; row < groups.Length; row++)
        {
            int child = offset + row;
            if (rows.IsNull(row) || ys.IsNull(child) || xs.IsNull(child))
            {
                continue;
            }

            int group = groups[row];
            double x = xValues[child];
            double y = yValues[child];
            long count = ++_counts[group];
            double deltaX = x - _meanX[group];
            double deltaY = y - _meanY[group];
            _meanX[group] += deltaX / count;
            _meanY[group] += deltaY / count;
            _comoments[group] += deltaX * (y - _meanY[group]);
            _squaresX[group] += deltaX * (x - _meanX[group]);
            _squaresY[group] += deltaY * (y - _meanY[group]);
        }
    }

    public override IArrowArray Build(int groupCount)
    {
        GrowAll(groupCount);
        var builder = new PrimitiveColumnBuilder<double>(DoubleType.Default, groupCount);
        for (int group = 0; group < groupCount; group++)
        {
            long count = _counts[group];
            double? result = function switch
            {
                Planning.Logical.AggregateFunction.CovarSamp => count < 2 ? null : _comoments[group] / (count - 1),
                Planning.Logical.AggregateFunction.CovarPop => count < 1 ? null : _comoments[group] / count,
                Planning.Logical.AggregateFunction.Corr => count < 2 || _squaresX[group] == 0 || _squaresY[group] == 0
                    ? null
                    : _comoments[group] / Math.Sqrt(_squaresX[group] * _squaresY[group]),
                Planning.Logical.AggregateFunction.RegrSlope => count < 1 || _squaresX[group] == 0 ? null : _comoments[group] / _squaresX[group],
                _ => count < 1 || _squaresX[group] == 0
                    ? null
                    : _meanY[group] - (_comoments[group] / _squaresX[group] * _meanX[group]),
            };
            if (result is { } value)
            {
                builder.Append(value);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }
}
