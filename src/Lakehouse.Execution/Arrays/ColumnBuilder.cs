using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Arrays;

/// <summary>A growable column of one Arrow type, built without per-value allocation.</summary>
public abstract class ColumnBuilder
{
    private byte[] _validity;
    private int _nullCount;

    protected ColumnBuilder(IArrowType type, int capacity)
    {
        Type = type;
        _validity = new byte[Math.Max(8, (capacity + 7) >> 3)];
    }

    public IArrowType Type { get; }

    public int Length { get; protected set; }

    public static ColumnBuilder Create(IArrowType type, int capacity = 1024) => NestedColumnBuilder.IsNested(type)
        ? new NestedColumnBuilder(type, capacity)
        : CreateFlat(type, capacity);

    private static ColumnBuilder CreateFlat(IArrowType type, int capacity) => SqlTypes.KindOf(type) switch
    {
        PhysicalKind.Null => new NullColumnBuilder(type),
        PhysicalKind.Boolean => new BooleanColumnBuilder(type, capacity),
        PhysicalKind.Int8 => new PrimitiveColumnBuilder<sbyte>(type, capacity),
        PhysicalKind.Int16 => new PrimitiveColumnBuilder<short>(type, capacity),
        PhysicalKind.Int32 => new PrimitiveColumnBuilder<int>(type, capacity),
        PhysicalKind.Int64 => new PrimitiveColumnBuilder<long>(type, capacity),
        PhysicalKind.Float => new PrimitiveColumnBuilder<float>(type, capacity),
        PhysicalKind.Double => new PrimitiveColumnBuilder<double>(type, capacity),
        PhysicalKind.Int128 => new PrimitiveColumnBuilder<Int128>(type, capacity),
        PhysicalKind.Utf8 or PhysicalKind.Binary => new VariableBinaryColumnBuilder(type, capacity),
        _ => new FixedBinaryColumnBuilder(type, capacity),
    };

    /// <summary>Appends value <paramref name="row"/> of <paramref name="source"/>, which has this builder's type.</summary>
    public abstract void AppendFrom(IArrowArray source, int row);

    /// <summary>Appends a value in the engine's scalar form (or null).</summary>
    public abstract void AppendScalar(object? value);

    public void AppendNull()
    {
        EnsureValidity(Length + 1);
        _nullCount++;
        AppendDefault();
        Length++;
    }

    /// <summary>Appends rows given by index; index -1 appends a null.</summary>
    public void AppendRows(IArrowArray source, ReadOnlySpan<int> rows)
    {
        var validity = new Validity(source);
        foreach (int row in rows)
        {
            if (row < 0 || !validity.IsValid(row))
            {
                AppendNull();
            }
            else
            {
                AppendFrom(source, row);
            }
        }
    }

    public void AppendRange(IArrowArray source, int start, int count)
    {
        var validity = new Validity(source);
        for (int row = start; row < start + count; row++)
        {
            if (!validity.IsValid(row))
            {
                AppendNull();
            }
            else
            {
                AppendFrom(source, row);
            }
        }
    }

    public abstract IArrowArray Build();

    protected abstract void AppendDefault();

    /// <summary>Marks the value about to be appended at index <see cref="Length"/> as valid.</summary>
    protected void MarkValid()
    {
        EnsureValidity(Length + 1);
        ArrayAccess.SetBit(_validity, Length);
    }

    private void EnsureValidity(int length)
    {
        int bytes = (length + 7) >> 3;
        if (bytes > _validity.Length)
        {
            System.Array.Resize(ref _validity, Math.Max(bytes, _validity.Length * 2));
        }
    }

    protected ArrowBuffer ValidityBuffer() =>
        _nullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, (Length + 7) >> 3));

    protected int NullCount => _nullCount;

    protected IArrowArray Finish(params ArrowBuffer[] valueBuffers)
    {
        var buffers = new ArrowBuffer[valueBuffers.Length + 1];
        buffers[0] = ValidityBuffer();
        valueBuffers.CopyTo(buffers, 1);
        return ArrayFactory.Build(Type, Length, _nullCount, buffers);
    }
}

public sealed class PrimitiveColumnBuilder<T> : ColumnBuilder
    where T : unmanaged
{
    private T[] _values;

    public PrimitiveColumnBuilder(IArrowType type, int capacity)
        : base(type, capacity) => _values = new T[Math.Max(capacity, 8)];

    public void Append(T value)
    {
        MarkValid();
        if (Length == _values.Length)
        {
            System.Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Length++] = value;
    }

    public override void AppendFrom(IArrowArray source, int row) => Append(ArrayAccess.Values<T>(source)[row]);

    public override void AppendScalar(object? value)
    {
        if (value is null)
        {
            AppendNull();
        }
        else
        {
            Append((T)value);
        }
    }

    protected override void AppendDefault()
    {
        if (Length == _values.Length)
        {
            System.Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Length] = default;
    }

    public override IArrowArray Build()
    {
        var bytes = MemoryMarshal.AsBytes(_values.AsSpan(0, Length)).ToArray();
        return Finish(new ArrowBuffer(bytes));
    }
}

public sealed class BooleanColumnBuilder : ColumnBuilder
{
    private byte[] _bits;

    public BooleanColumnBuilder(IArrowType type, int capacity)
        : base(type, capacity) => _bits = new byte[Math.Max(8, (capacity + 7) >> 3)];

    public void Append(bool value)
    {
        MarkValid();
        Grow();
        if (value)
        {
            ArrayAccess.SetBit(_bits, Length);
        }

        Length++;
    }

    private void Grow()
    {
        if ((Length >> 3) >= _bits.Length)
        {
            System.Array.Resize(ref _bits, _bits.Length * 2);
        }
    }

    public override void AppendFrom(IArrowArray source, int row) => Append(ArrayAccess.GetBoolean(source, row));

    public override void AppendScalar(object? value)
    {
        if (value is null)
        {
            AppendNull();
        }
        else
        {
            Append((bool)value);
        }
    }

    protected override void AppendDefault() => Grow();

    public override IArrowArray Build() => Finish(new ArrowBuffer(_bits.AsMemory(0, (Length + 7) >> 3)));
}

public sealed class VariableBinaryColumnBuilder : ColumnBuilder
{
    private int[] _offsets;
    private byte[] _data;

    public VariableBinaryColumnBuilder(IArrowType type, int capacity)
        : base(type, capacity)
    {
        _offsets = new int[Math.Max(capacity, 8) + 1];
        _data = new byte[Math.Max(capacity * 8, 64)];
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        MarkValid();
        int start = _offsets[Length];
        EnsureData(start + value.Length);
        value.CopyTo(_data.AsSpan(start));
        PushOffset(start + value.Length);
    }

    public void AppendString(string value)
    {
        MarkValid();
        int start = _offsets[Length];
        EnsureData(start + Encoding.UTF8.GetMaxByteCount(value.Length));
        int written = Encoding.UTF8.GetBytes(value, _data.AsSpan(start));
        PushOffset(start + written);
    }

    private void EnsureData(int size)
    {
        if (size > _data.Length)
        {
            System.Array.Resize(ref _data, Math.Max(size, _data.Length * 2));
        }
    }

    private void PushOffset(int end)
    {
        if (Length + 2 > _offsets.Length)
        {
            System.Array.Resize(ref _offsets, _offsets.Length * 2);
        }

        _offsets[++Length] = end;
    }

    public override void AppendFrom(IArrowArray source, int row) => Append(ArrayAccess.GetBytes(source, row));

    public override void AppendScalar(object? value)
    {
        switch (value)
        {
            case null:
                AppendNull();
                break;
            case string text:
                AppendString(text);
                break;
            case byte[] bytes:
                Append(bytes);
                break;
            default:
                throw new ExecutionException(ExecutionException.InvalidArgument, $"value of {value.GetType().Name} cannot be stored as {SqlTypes.Display(Type)}");
        }
    }

    protected override void AppendDefault()
    {
        if (Length + 2 > _offsets.Length)
        {
            System.Array.Resize(ref _offsets, _offsets.Length * 2);
        }

        _offsets[Length + 1] = _offsets[Length];
    }

    public override IArrowArray Build()
    {
        var offsets = MemoryMarshal.AsBytes(_offsets.AsSpan(0, Length + 1)).ToArray();
        return Finish(new ArrowBuffer(offsets), new ArrowBuffer(_data.AsMemory(0, _offsets[Length])));
    }
}

public sealed class FixedBinaryColumnBuilder : ColumnBuilder
{
    private readonly int _width;
    private byte[] _data;

    public FixedBinaryColumnBuilder(IArrowType type, int capacity)
        : base(type, capacity)
    {
        _width = type is FixedSizeBinaryType fixedType ? fixedType.ByteWidth : 16;
        _data = new byte[Math.Max(capacity, 8) * _width];
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        if (value.Length != _width)
        {
            throw new ExecutionException(ExecutionException.InvalidArgument, $"value of {value.Length} bytes does not fit {SqlTypes.Display(Type)}");
        }

        MarkValid();
        Grow();
        value.CopyTo(_data.AsSpan(Length * _width));
        Length++;
    }

    private void Grow()
    {
        if ((Length + 1) * _width > _data.Length)
        {
            System.Array.Resize(ref _data, _data.Length * 2);
        }
    }

    public override void AppendFrom(IArrowArray source, int row) => Append(ArrayAccess.GetBytes(source, row));

    public override void AppendScalar(object? value)
    {
        switch (value)
        {
            case null:
                AppendNull();
                break;
            case byte[] bytes:
                Append(bytes);
                break;
            case Guid guid:
                Span<byte> buffer = stackalloc byte[16];
                guid.TryWriteBytes(buffer, bigEndian: true, out _);
                Append(buffer);
                break;
            default:
                throw new ExecutionException(ExecutionException.InvalidArgument, $"value of {value.GetType().Name} cannot be stored as {SqlTypes.Display(Type)}");
        }
    }

    protected override void AppendDefault() => Grow();

    public override IArrowArray Build() => Finish(new ArrowBuffer(_data.AsMemory(0, Length * _width)));
}

public sealed class NullColumnBuilder : ColumnBuilder
{
    public NullColumnBuilder(IArrowType type)
        : base(type, 0)
    {
    }

    public override void AppendFrom(IArrowArray source, int row) => AppendNull();

    public override void AppendScalar(object? value) => AppendNull();

    protected override void AppendDefault()
    {
    }

    public override IArrowArray Build() => new NullArray(Length);
}
