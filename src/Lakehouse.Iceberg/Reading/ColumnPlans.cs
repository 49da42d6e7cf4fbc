using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Types;
using ParquetSharp;

namespace Lakehouse.Iceberg.Reading;

/// <summary>Produces one output column, batch by batch, for the row groups of one file.</summary>
internal abstract class ColumnPlan : IDisposable
{
    protected ColumnPlan(IArrowType arrowType) => ArrowType = arrowType;

    public IArrowType ArrowType { get; }

    /// <summary>The leaf whose definition levels of the last batch tell whether ancestors are present; null for constants.</summary>
    public abstract ILevelSource? LevelSource { get; }

    public abstract void StartRowGroup(RowGroupReader rowGroup);

    public abstract ArrayData Read(int rows);

    public virtual void Dispose()
    {
    }
}

/// <summary>Definition levels, one per row of the last batch, that tell whether an enclosing struct is present.</summary>
internal interface ILevelSource
{
    short[] DefinitionLevels { get; }
}

/// <summary>One Parquet leaf column of the current row group, read level by level into reused buffers.</summary>
internal sealed class LeafColumn : ILevelSource, IDisposable
{
    private ColumnReader? _reader;
    private object? _scratch;

    public LeafColumn(int columnIndex, ColumnDescriptor descriptor, string path)
    {
        ColumnIndex = columnIndex;
        MaxDefinitionLevel = descriptor.MaxDefinitionLevel;
        MaxRepetitionLevel = descriptor.MaxRepetitionLevel;
        PhysicalType = descriptor.PhysicalType;
        Path = path;
    }

    public int ColumnIndex { get; }

    public short MaxDefinitionLevel { get; }

    public short MaxRepetitionLevel { get; }

    public PhysicalType PhysicalType { get; }

    public string Path { get; }

    /// <summary>Definition levels of the last batch (valid for the first <c>rows</c> entries).</summary>
    public short[] DefinitionLevels { get; private set; } = [];

    /// <summary>Repetition levels of the last batch (valid for the first <c>rows</c> entries).</summary>
    public short[] RepetitionLevels { get; private set; } = [];

    public void StartRowGroup(RowGroupReader rowGroup)
    {
        _reader?.Dispose();
        _reader = rowGroup.Column(ColumnIndex);
    }

    /// <summary>Reads <paramref name="rows"/> levels and the values present among them; returns the value count.</summary>
    public int Read<T>(int rows, Span<T> values)
        where T : unmanaged
    {
        EnsureLevels(rows);
        if (_reader is not ColumnReader<T> reader)
        {
            throw new IcebergException(IcebergException.Unsupported, $"column {Path}: physical type {PhysicalType} read as {typeof(T).Name}");
        }

        long levels = 0;
        long valueCount = 0;
        while (levels < rows)
        {
            var remaining = rows - levels;
            var n = reader.ReadBatch(remaining, DefinitionLevels.AsSpan((int)levels, (int)remaining), RepetitionLevels.AsSpan((int)levels, (int)remaining), values.Slice((int)valueCount), out var valuesRead);
            if (n == 0)
            {
                throw new IcebergException("INVALID_DATA_FILE", $"column {Path}: data ends before the row group's row count");
            }

            levels += n;
            valueCount += valuesRead;
        }

        if (MaxDefinitionLevel == 0)
        {
            DefinitionLevels.AsSpan(0, rows).Clear();
        }

        return (int)valueCount;
    }

    /// <summary>Reads a batch of byte-array values, handing each chunk to <paramref name="sink"/> before the next read invalidates it.</summary>
    public int ReadByteArrays<TSink>(int rows, ref TSink sink)
        where TSink : struct, IByteArraySink
    {
        EnsureLevels(rows);
        var reader = (ColumnReader<ByteArray>)_reader!;
        var chunk = Scratch<ByteArray>(rows);
        long levels = 0;
        long valueCount = 0;
        while (levels < rows)
        {
            var remaining = rows - levels;
            var n = reader.ReadBatch(remaining, DefinitionLevels.AsSpan((int)levels, (int)remaining), RepetitionLevels.AsSpan((int)levels, (int)remaining), chunk.AsSpan(0, (int)remaining), out var valuesRead);
            if (n == 0)
            {
                throw new IcebergException("INVALID_DATA_FILE", $"column {Path}: data ends before the row group's row count");
            }

            sink.Accept(chunk.AsSpan(0, (int)valuesRead));
            levels += n;
            valueCount += valuesRead;
        }

        if (MaxDefinitionLevel == 0)
        {
            DefinitionLevels.AsSpan(0, rows).Clear();
        }

        return (int)valueCount;
    }

    /// <summary>Reads only the levels of a batch (values go to scratch), for struct validity.</summary>
    public void ReadLevels(int rows)
    {
        switch (PhysicalType)
        {
            case PhysicalType.Boolean: Read(rows, Scratch<bool>(rows).AsSpan()); break;
            case PhysicalType.Int32: Read(rows, Scratch<int>(rows).AsSpan()); break;
            case PhysicalType.Int64: Read(rows, Scratch<long>(rows).AsSpan()); break;
            case PhysicalType.Int96: Read(rows, Scratch<Int96>(rows).AsSpan()); break;
            case PhysicalType.Float: Read(rows, Scratch<float>(rows).AsSpan()); break;
            case PhysicalType.Double: Read(rows, Scratch<double>(rows).AsSpan()); break;
            case PhysicalType.FixedLenByteArray: Read(rows, Scratch<FixedLenByteArray>(rows).AsSpan()); break;
            default:
                var sink = default(DiscardSink);
                ReadByteArrays(rows, ref sink);
                break;
        }
    }

    public T[] Scratch<T>(int length)
        where T : unmanaged
    {
        if (_scratch is T[] existing && existing.Length >= length)
        {
            return existing;
        }

        var created = new T[Math.Max(length, 1024)];
        _scratch = created;
        return created;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
    }

    private void EnsureLevels(int rows)
    {
        if (DefinitionLevels.Length < rows)
        {
            DefinitionLevels = new short[rows];
            RepetitionLevels = new short[rows];
        }
    }
}

internal interface IByteArraySink
{
    void Accept(ReadOnlySpan<ByteArray> values);
}

internal struct DiscardSink : IByteArraySink
{
    public readonly void Accept(ReadOnlySpan<ByteArray> values)
    {
    }
}

/// <summary>Copies byte-array values once into a growing Arrow value buffer, recording each length.</summary>
internal struct BinaryAppendSink : IByteArraySink
{
    public byte[] Data;
    public int DataLength;
    public int[] Lengths;
    public int Count;

    public void Accept(ReadOnlySpan<ByteArray> values)
    {
        var needed = (long)DataLength;
        foreach (var v in values)
        {
            needed += v.Length;
        }

        if (needed > int.MaxValue)
        {
            throw new IcebergException(IcebergException.Unsupported, "a batch of binary values exceeds 2 GiB; use a smaller batch size");
        }

        if (needed > Data.Length)
        {
            var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(int.MaxValue, Math.Max(needed, Data.Length * 2L)));
            Data.AsSpan(0, DataLength).CopyTo(grown);
            Data = grown;
        }

        foreach (var v in values)
        {
            if (v.Length > 0)
            {
                unsafe
                {
                    new ReadOnlySpan<byte>((void*)v.Pointer, v.Length).CopyTo(Data.AsSpan(DataLength));
                }
            }

            DataLength += v.Length;
            Lengths[Count++] = v.Length;
        }
    }
}

/// <summary>Decimal stored as big-endian two's complement bytes: sign-extended into a 16-byte little-endian slot.</summary>
internal struct DecimalBytesSink : IByteArraySink
{
    public Int128[] Values;
    public int Count;
    public string Path;

    public void Accept(ReadOnlySpan<ByteArray> values)
    {
        foreach (var v in values)
        {
            unsafe
            {
                Values[Count++] = PrimitiveColumnPlan.BigEndianToInt128(new ReadOnlySpan<byte>((void*)v.Pointer, v.Length), Path);
            }
        }
    }
}

internal enum Decoding
{
    Boolean,
    Int32,
    Int32ToInt64,
    Int64,
    Int64TimesThousand,
    Int64TimesMillion,
    Int64FloorDivThousand,
    Int32TimesThousand,
    DaysToMicros,
    DaysToNanos,
    Float,
    FloatToDouble,
    Double,
    Int96ToMicros,
    Int96ToNanos,
    Int32ToDecimal,
    Int64ToDecimal,
    FixedToDecimal,
    BytesToDecimal,
    Binary,
    FixedBinary,
}

/// <summary>A primitive column read from one Parquet leaf, converted to the Iceberg type's Arrow form.</summary>
internal sealed class PrimitiveColumnPlan : ColumnPlan
{
    private readonly LeafColumn _leaf;
    private readonly Decoding _decoding;
    private readonly int _fixedLength;
    private int _binaryCapacityHint = 1024;

    public PrimitiveColumnPlan(IArrowType arrowType, LeafColumn leaf, Decoding decoding, int fixedLength)
        : base(arrowType)
    {
        _leaf = leaf;
        _decoding = decoding;
        _fixedLength = fixedLength;
    }

    public override ILevelSource? LevelSource => _leaf;

    public override void StartRowGroup(RowGroupReader rowGroup) => _leaf.StartRowGroup(rowGroup);

    public override void Dispose() => _leaf.Dispose();

    public override ArrayData Read(int rows) => _decoding switch
    {
        Decoding.Boolean => ReadBoolean(rows),
        Decoding.Int32 => ReadFixed<int, int, Identity<int>>(rows),
        Decoding.Int32ToInt64 => ReadFixed<int, long, IntToLong>(rows),
        Decoding.Int64 => ReadFixed<long, long, Identity<long>>(rows),
        Decoding.Int64TimesThousand => ReadFixed<long, long, LongTimesThousand>(rows),
        Decoding.Int64TimesMillion => ReadFixed<long, long, LongTimesMillion>(rows),
        Decoding.Int64FloorDivThousand => ReadFixed<long, long, LongFloorDivThousand>(rows),
        Decoding.Int32TimesThousand => ReadFixed<int, long, IntTimesThousand>(rows),
        Decoding.DaysToMicros => ReadFixed<int, long, DaysToMicros>(rows),
        Decoding.DaysToNanos => ReadFixed<int, long, DaysToNanos>(rows),
        Decoding.Float => ReadFixed<float, float, Identity<float>>(rows),
        Decoding.FloatToDouble => ReadFixed<float, double, FloatToDouble>(rows),
        Decoding.Double => ReadFixed<double, double, Identity<double>>(rows),
        Decoding.Int96ToMicros => ReadFixed<Int96, long, Int96ToMicros>(rows),
        Decoding.Int96ToNanos => ReadFixed<Int96, long, Int96ToNanos>(rows),
        Decoding.Int32ToDecimal => ReadFixed<int, Int128, IntToDecimal>(rows),
        Decoding.Int64ToDecimal => ReadFixed<long, Int128, LongToDecimal>(rows),
        Decoding.FixedToDecimal => ReadFixedToDecimal(rows),
        Decoding.BytesToDecimal => ReadBytesToDecimal(rows),
        Decoding.Binary => ReadBinary(rows),
        Decoding.FixedBinary => ReadFixedBinary(rows),
        _ => throw new InvalidOperationException($"decoding {_decoding}"),
    };

    internal static Int128 BigEndianToInt128(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length > 16)
        {
            throw new IcebergException(IcebergException.Unsupported, $"column {path}: decimal of {bytes.Length} bytes exceeds 128 bits");
        }

        if (bytes.Length == 0)
        {
            return Int128.Zero;
        }

        Int128 value = (sbyte)bytes[0];
        for (var i = 1; i < bytes.Length; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private ArrayData ReadFixed<TIn, TOut, TConvert>(int rows)
        where TIn : unmanaged
        where TOut : unmanaged
        where TConvert : struct, IValueConverter<TIn, TOut>
    {
        var valueBytes = GC.AllocateUninitializedArray<byte>(rows * Unsafe.SizeOf<TOut>());
        var output = MemoryMarshal.Cast<byte, TOut>(valueBytes.AsSpan());
        int valueCount;
        if (typeof(TIn) == typeof(TOut) && typeof(TConvert) == typeof(Identity<TIn>))
        {
            valueCount = _leaf.Read(rows, MemoryMarshal.Cast<TOut, TIn>(output));
        }
        else
        {
            var scratch = _leaf.Scratch<TIn>(rows);
            valueCount = _leaf.Read(rows, scratch.AsSpan(0, rows));
            for (var i = 0; i < valueCount; i++)
            {
                output[i] = TConvert.Convert(scratch[i]);
            }
        }

        return FinishFixed(valueBytes, output, valueCount, rows);
    }

    private ArrayData FinishFixed<T>(byte[] valueBytes, Span<T> output, int valueCount, int rows)
        where T : unmanaged
    {
        if (valueCount == rows)
        {
            return new ArrayData(ArrowType, rows, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(valueBytes)]);
        }

        // Spread dense values to their row slots from the back so the move can happen in place.
        var definition = _leaf.DefinitionLevels;
        var present = _leaf.MaxDefinitionLevel;
        var validity = new byte[(rows + 7) / 8];
        var v = valueCount - 1;
        for (var i = rows - 1; i >= 0; i--)
        {
            if (definition[i] == present)
            {
                output[i] = output[v--];
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                output[i] = default;
            }
        }

        return new ArrayData(ArrowType, rows, rows - valueCount, 0, [new ArrowBuffer(validity), new ArrowBuffer(valueBytes)]);
    }

    private ArrayData ReadBoolean(int rows)
    {
        var scratch = _leaf.Scratch<bool>(rows);
        var valueCount = _leaf.Read(rows, scratch.AsSpan(0, rows));
        var bits = new byte[(rows + 7) / 8];
        if (valueCount == rows)
        {
            for (var i = 0; i < rows; i++)
            {
                if (scratch[i])
                {
                    bits[i >> 3] |= (byte)(1 << (i & 7));
                }
            }

            return new ArrayData(ArrowType, rows, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bits)]);
        }

        var validity = new byte[(rows + 7) / 8];
        var definition = _leaf.DefinitionLevels;
        var present = _leaf.MaxDefinitionLevel;
        var v = 0;
        for (var i = 0; i < rows; i++)
        {
            if (definition[i] == present)
            {
                validity[i >> 3] |= (byte)(1 << (i & 7));
                if (scratch[v++])
                {
                    bits[i >> 3] |= (byte)(1 << (i & 7));
                }
            }
        }

        return new ArrayData(ArrowType, rows, rows - valueCount, 0, [new ArrowBuffer(validity), new ArrowBuffer(bits)]);
    }

    private ArrayData ReadBinary(int rows)
    {
        var sink = new BinaryAppendSink
        {
            Data = GC.AllocateUninitializedArray<byte>(_binaryCapacityHint),
            Lengths = _leaf.Scratch<int>(rows),
        };
        var valueCount = _leaf.ReadByteArrays(rows, ref sink);
        _binaryCapacityHint = Math.Max(1024, sink.DataLength + (sink.DataLength / 8));
        var offsetBytes = GC.AllocateUninitializedArray<byte>((rows + 1) * sizeof(int));
        var offsets = MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
        var lengths = sink.Lengths;
        offsets[0] = 0;
        var dataBuffer = new ArrowBuffer(sink.Data.AsMemory(0, sink.DataLength));
        if (valueCount == rows)
        {
            var position = 0;
            for (var i = 0; i < rows; i++)
            {
                position += lengths[i];
                offsets[i + 1] = position;
            }

            return new ArrayData(ArrowType, rows, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(offsetBytes), dataBuffer]);
        }

        var validity = new byte[(rows + 7) / 8];
        var definition = _leaf.DefinitionLevels;
        var present = _leaf.MaxDefinitionLevel;
        var end = 0;
        var v = 0;
        for (var i = 0; i < rows; i++)
        {
            if (definition[i] == present)
            {
                end += lengths[v++];
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }

            offsets[i + 1] = end;
        }

        return new ArrayData(ArrowType, rows, rows - valueCount, 0, [new ArrowBuffer(validity), new ArrowBuffer(offsetBytes), dataBuffer]);
    }

    private ArrayData ReadFixedBinary(int rows)
    {
        var width = _fixedLength;
        var scratch = _leaf.Scratch<FixedLenByteArray>(rows);
        var valueCount = _leaf.Read(rows, scratch.AsSpan(0, rows));
        var values = new byte[rows * width];
        var definition = _leaf.DefinitionLevels;
        var present = _leaf.MaxDefinitionLevel;
        var allPresent = valueCount == rows;
        var validity = allPresent ? null : new byte[(rows + 7) / 8];
        var v = 0;
        for (var i = 0; i < rows; i++)
        {
            if (allPresent || definition[i] == present)
            {
                unsafe
                {
                    new ReadOnlySpan<byte>((void*)scratch[v++].Pointer, width).CopyTo(values.AsSpan(i * width));
                }

                if (validity is not null)
                {
                    validity[i >> 3] |= (byte)(1 << (i & 7));
                }
            }
        }

        return new ArrayData(ArrowType, rows, rows - valueCount, 0, [validity is null ? ArrowBuffer.Empty : new ArrowBuffer(validity), new ArrowBuffer(values)]);
    }

    private ArrayData ReadFixedToDecimal(int rows)
    {
        var scratch = _leaf.Scratch<FixedLenByteArray>(rows);
        var valueCount = _leaf.Read(rows, scratch.AsSpan(0, rows));
        var valueBytes = GC.AllocateUninitializedArray<byte>(rows * 16);
        var output = MemoryMarshal.Cast<byte, Int128>(valueBytes.AsSpan());
        for (var i = 0; i < valueCount; i++)
        {
            unsafe
            {
                output[i] = BigEndianToInt128(new ReadOnlySpan<byte>((void*)scratch[i].Pointer, _fixedLength), _leaf.Path);
            }
        }

        return FinishFixed(valueBytes, output, valueCount, rows);
    }

    private ArrayData ReadBytesToDecimal(int rows)
    {
        var valueBytes = GC.AllocateUninitializedArray<byte>(rows * 16);
        var sink = new DecimalBytesSink { Values = new Int128[rows], Path = _leaf.Path };
        var valueCount = _leaf.ReadByteArrays(rows, ref sink);
        var output = MemoryMarshal.Cast<byte, Int128>(valueBytes.AsSpan());
        sink.Values.AsSpan(0, valueCount).CopyTo(output);
        return FinishFixed(valueBytes, output, valueCount, rows);
    }
}

/// <summary>A struct column: children read independently, validity from the definition levels of one leaf below it.</summary>
internal sealed class StructColumnPlan : ColumnPlan
{
    private readonly IReadOnlyList<ColumnPlan> _children;
    private readonly LeafColumn? _ownLevelSource;
    private readonly ILevelSource? _levelSource;
    private readonly short _presentLevel;
    private readonly bool _constantValid;

    /// <param name="levelSource">leaf under the struct whose levels decide presence; null for a struct absent from the file.</param>
    /// <param name="ownLevelSource">a leaf no child reads, whose levels this plan reads itself (then also <paramref name="levelSource"/>).</param>
    /// <param name="presentLevel">definition level at or above which the struct is present.</param>
    /// <param name="constantValid">for a struct absent from the file: whether it reads as present (its children's defaults) or null.</param>
    public StructColumnPlan(IArrowType arrowType, IReadOnlyList<ColumnPlan> children, ILevelSource? levelSource, LeafColumn? ownLevelSource, short presentLevel, bool constantValid)
        : base(arrowType)
    {
        _children = children;
        _levelSource = levelSource;
        _ownLevelSource = ownLevelSource;
        _presentLevel = presentLevel;
        _constantValid = constantValid;
    }

    public override ILevelSource? LevelSource => _levelSource;

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
        _ownLevelSource?.StartRowGroup(rowGroup);
        foreach (var child in _children)
        {
            child.StartRowGroup(rowGroup);
        }
    }

    public override ArrayData Read(int rows)
    {
        var children = new ArrayData[_children.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = _children[i].Read(rows);
        }

        if (_levelSource is null || _presentLevel == 0)
        {
            var valid = _levelSource is not null || _constantValid;
            return new ArrayData(ArrowType, rows, valid ? 0 : rows, 0, [valid ? ArrowBuffer.Empty : new ArrowBuffer(new byte[(rows + 7) / 8])], children);
        }

        _ownLevelSource?.ReadLevels(rows);
        var definition = _levelSource.DefinitionLevels;
        var validity = new byte[(rows + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < rows; i++)
        {
            if (definition[i] >= _presentLevel)
            {
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return new ArrayData(ArrowType, rows, nulls, 0, [new ArrowBuffer(validity)], children);
    }

    public override void Dispose()
    {
        _ownLevelSource?.Dispose();
        foreach (var child in _children)
        {
            child.Dispose();
        }
    }
}

/// <summary>A column absent from the file: the same value (or NULL) in every row.</summary>
internal sealed class ConstantColumnPlan : ColumnPlan
{
    private readonly IcebergType _type;
    private readonly object? _value;
    private ArrayData? _last;

    public ConstantColumnPlan(IArrowType arrowType, IcebergType type, object? value)
        : base(arrowType)
    {
        _type = type;
        _value = value;
    }

    public override ILevelSource? LevelSource => null;

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
    }

    public override ArrayData Read(int rows)
    {
        if (_last is null || _last.Length != rows)
        {
            _last = ArrowArrays.Constant(ArrowType, _type, _value, rows);
        }

        return _last;
    }
}
