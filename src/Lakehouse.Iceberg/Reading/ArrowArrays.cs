using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Types;
using IcebergStructType = Lakehouse.Iceberg.Types.StructType;

namespace Lakehouse.Iceberg.Reading;

/// <summary>Low-level construction of Arrow arrays from buffers: constants and row selection.</summary>
internal static class ArrowArrays
{
    public static byte[] NewBitmap(int length, bool allSet)
    {
        var bitmap = new byte[(length + 7) / 8];
        if (allSet)
        {
            bitmap.AsSpan().Fill(0xFF);
        }

        return bitmap;
    }

    public static IArrowArray Build(ArrayData data) => ArrowArrayFactory.BuildArray(data);

    /// <summary>An array of <paramref name="length"/> copies of <paramref name="value"/> (null → all nulls).</summary>
    public static ArrayData Constant(IArrowType arrowType, IcebergType icebergType, object? value, int length)
    {
        if (arrowType is NullType)
        {
            return new ArrayData(NullType.Default, length, length, 0, [ArrowBuffer.Empty]);
        }

        var validity = new ArrowBuffer(NewBitmap(length, value is not null));
        var nullCount = value is null ? length : 0;
        switch (arrowType)
        {
            case Apache.Arrow.Types.StructType structType:
                {
                    var icebergStruct = (IcebergStructType)icebergType;
                    var children = new ArrayData[structType.Fields.Count];
                    for (var i = 0; i < children.Length; i++)
                    {
                        // A present struct constant takes each child's own default; a null struct has null children.
                        object? childValue = null;
                        if (value is IReadOnlyDictionary<int, object?> childValues)
                        {
                            childValues.TryGetValue(icebergStruct.Fields[i].Id, out childValue);
                        }

                        children[i] = Constant(structType.Fields[i].DataType, icebergStruct.Fields[i].Type, childValue, length);
                    }

                    return new ArrayData(arrowType, length, nullCount, 0, [validity], children);
                }

            case BooleanType:
                return new ArrayData(arrowType, length, nullCount, 0, [validity, new ArrowBuffer(NewBitmap(length, value is true))]);
            case StringType or BinaryType:
                {
                    var bytes = value switch
                    {
                        null => [],
                        string s => Encoding.UTF8.GetBytes(s),
                        byte[] b => b,
                        _ => throw Mismatch(icebergType, value),
                    };
                    var offsets = new int[length + 1];
                    var data = new byte[bytes.Length * length];
                    for (var i = 0; i < length; i++)
                    {
                        bytes.CopyTo(data, i * bytes.Length);
                        offsets[i + 1] = (i + 1) * bytes.Length;
                    }

                    return new ArrayData(arrowType, length, nullCount, 0, [validity, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data)]);
                }
        }

        var width = FixedWidth(arrowType);
        var values = new byte[width * length];
        if (value is not null)
        {
            Span<byte> one = stackalloc byte[width];
            WriteFixedValue(icebergType, value, one);
            for (var i = 0; i < length; i++)
            {
                one.CopyTo(values.AsSpan(i * width));
            }
        }

        return new ArrayData(arrowType, length, nullCount, 0, [validity, new ArrowBuffer(values)]);
    }

    /// <summary>Byte width of a fixed-width Arrow type produced by the readers.</summary>
    public static int FixedWidth(IArrowType type) => type switch
    {
        GuidType => 16,
        FixedSizeBinaryType f => f.ByteWidth,
        FixedWidthType f => f.BitWidth / 8,
        _ => throw new IcebergException(IcebergException.Unsupported, $"Arrow type {type} is not fixed-width"),
    };

    private static void WriteFixedValue(IcebergType type, object value, Span<byte> target)
    {
        switch (type.Id)
        {
            case TypeId.Int or TypeId.Date:
                BinaryPrimitives.WriteInt32LittleEndian(target, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs:
                BinaryPrimitives.WriteInt64LittleEndian(target, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TypeId.Float:
                BinaryPrimitives.WriteSingleLittleEndian(target, Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TypeId.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(target, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TypeId.Decimal:
                {
                    var unscaled = value is BigInteger big ? big : new BigInteger(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    target.Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
                    if (!unscaled.TryWriteBytes(target, out _, isUnsigned: false, isBigEndian: false))
                    {
                        throw Mismatch(type, value);
                    }

                    break;
                }

            case TypeId.Uuid:
                if (value is not Guid guid || !guid.TryWriteBytes(target, bigEndian: true, out _))
                {
                    throw Mismatch(type, value);
                }

                break;
            case TypeId.Fixed:
                if (value is not byte[] fixedBytes || fixedBytes.Length != target.Length)
                {
                    throw Mismatch(type, value);
                }

                fixedBytes.CopyTo(target);
                break;
            default:
                throw Mismatch(type, value);
        }
    }

    private static IcebergException Mismatch(IcebergType type, object? value) =>
        new(IcebergException.InvalidValue, $"value {value} ({value?.GetType().Name}) cannot be used as a constant of type {type}");

    /// <summary>Keeps the rows at <paramref name="indices"/> (ascending), copying buffers.</summary>
    public static ArrayData Take(ArrayData data, ReadOnlySpan<int> indices)
    {
        var count = indices.Length;
        if (data.DataType is NullType)
        {
            return new ArrayData(NullType.Default, count, count, 0, [ArrowBuffer.Empty]);
        }

        var (validity, nullCount) = TakeValidity(data, indices);
        switch (data.DataType)
        {
            case Apache.Arrow.Types.StructType:
                {
                    var children = new ArrayData[data.Children.Length];
                    for (var c = 0; c < children.Length; c++)
                    {
                        var child = data.Offset == 0 ? data.Children[c] : data.Children[c].Slice(data.Offset, data.Length);
                        children[c] = Take(child, indices);
                    }

                    return new ArrayData(data.DataType, count, nullCount, 0, [validity], children);
                }

            case Apache.Arrow.Types.ListType or Apache.Arrow.Types.MapType:
                {
                    var sourceOffsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset);
                    var offsetBytes = new byte[(count + 1) * sizeof(int)];
                    var offsets = MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
                    var total = 0;
                    for (var i = 0; i < count; i++)
                    {
                        total += sourceOffsets[indices[i] + 1] - sourceOffsets[indices[i]];
                        offsets[i + 1] = total;
                    }

                    var elementIndices = new int[total];
                    var position = 0;
                    for (var i = 0; i < count; i++)
                    {
                        for (var e = sourceOffsets[indices[i]]; e < sourceOffsets[indices[i] + 1]; e++)
                        {
                            elementIndices[position++] = e;
                        }
                    }

                    return new ArrayData(data.DataType, count, nullCount, 0, [validity, new ArrowBuffer(offsetBytes)], [Take(data.Children[0], elementIndices)]);
                }

            case BooleanType:
                {
                    var source = data.Buffers[1].Span;
                    var bits = new byte[(count + 7) / 8];
                    for (var i = 0; i < count; i++)
                    {
                        var at = data.Offset + indices[i];
                        if ((source[at >> 3] & (1 << (at & 7))) != 0)
                        {
                            bits[i >> 3] |= (byte)(1 << (i & 7));
                        }
                    }

                    return new ArrayData(data.DataType, count, nullCount, 0, [validity, new ArrowBuffer(bits)]);
                }

            case StringType or BinaryType:
                {
                    var sourceOffsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset);
                    var sourceData = data.Buffers[2].Span;
                    var total = 0;
                    for (var i = 0; i < count; i++)
                    {
                        total += sourceOffsets[indices[i] + 1] - sourceOffsets[indices[i]];
                    }

                    var offsetBytes = new byte[(count + 1) * sizeof(int)];
                    var offsets = MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
                    var bytes = GC.AllocateUninitializedArray<byte>(total);
                    var position = 0;
                    for (var i = 0; i < count; i++)
                    {
                        var start = sourceOffsets[indices[i]];
                        var length = sourceOffsets[indices[i] + 1] - start;
                        sourceData.Slice(start, length).CopyTo(bytes.AsSpan(position));
                        position += length;
                        offsets[i + 1] = position;
                    }

                    return new ArrayData(data.DataType, count, nullCount, 0, [validity, new ArrowBuffer(offsetBytes), new ArrowBuffer(bytes)]);
                }

            default:
                {
                    var width = FixedWidth(data.DataType);
                    var source = data.Buffers[1].Span.Slice(data.Offset * width);
                    var values = GC.AllocateUninitializedArray<byte>(count * width);
                    switch (width)
                    {
                        case 4:
                            TakeFixed(MemoryMarshal.Cast<byte, int>(source), MemoryMarshal.Cast<byte, int>(values.AsSpan()), indices);
                            break;
                        case 8:
                            TakeFixed(MemoryMarshal.Cast<byte, long>(source), MemoryMarshal.Cast<byte, long>(values.AsSpan()), indices);
                            break;
                        case 16:
                            TakeFixed(MemoryMarshal.Cast<byte, Int128>(source), MemoryMarshal.Cast<byte, Int128>(values.AsSpan()), indices);
                            break;
                        default:
                            for (var i = 0; i < count; i++)
                            {
                                source.Slice(indices[i] * width, width).CopyTo(values.AsSpan(i * width));
                            }

                            break;
                    }

                    return new ArrayData(data.DataType, count, nullCount, 0, [validity, new ArrowBuffer(values)]);
                }
        }
    }

    private static void TakeFixed<T>(ReadOnlySpan<T> source, Span<T> target, ReadOnlySpan<int> indices)
        where T : unmanaged
    {
        for (var i = 0; i < indices.Length; i++)
        {
            target[i] = source[indices[i]];
        }
    }

    private static (ArrowBuffer Validity, int NullCount) TakeValidity(ArrayData data, ReadOnlySpan<int> indices)
    {
        if (data.Buffers[0].IsEmpty || data.GetNullCount() == 0)
        {
            return (ArrowBuffer.Empty, 0);
        }

        var source = data.Buffers[0].Span;
        var bits = new byte[(indices.Length + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var at = data.Offset + indices[i];
            if ((source[at >> 3] & (1 << (at & 7))) != 0)
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return (new ArrowBuffer(bits), nulls);
    }
}
