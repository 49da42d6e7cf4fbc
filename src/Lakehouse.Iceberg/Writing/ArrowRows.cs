using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Writing;

/// <summary>Row-level access to flat Arrow columns for partitioning: reading one value, and gathering rows.</summary>
internal static class ArrowRows
{
    /// <summary>The value at <paramref name="index"/> in the .NET form of <paramref name="type"/> (see <see cref="IcebergType"/>).</summary>
    public static object? Value(IArrowArray array, int index, IcebergType type)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        switch (array)
        {
            case BooleanArray b:
                return b.GetValue(index);
            case Int32Array i:
                return i.GetValue(index);
            case Int64Array l:
                return l.GetValue(index);
            case FloatArray f:
                return f.GetValue(index);
            case DoubleArray d:
                return d.GetValue(index);
            case Date32Array date:
                return date.GetValue(index);
            case Time64Array time:
                return ToMicros(time.GetValue(index)!.Value, ((Time64Type)time.Data.DataType).Unit);
            case TimestampArray ts:
            {
                var raw = ts.GetValue(index)!.Value;
                var unit = ((TimestampType)ts.Data.DataType).Unit;
                return type.Id is TypeId.TimestampNs or TypeId.TimestampTzNs ? ToNanos(raw, unit) : ToMicros(raw, unit);
            }

            case StringArray s:
                return s.GetString(index);
            case Decimal128Array dec:
                return new BigInteger(dec.ValueBuffer.Span.Slice((dec.Offset + index) * 16, 16), isUnsigned: false, isBigEndian: false);
            case FixedSizeBinaryArray fixedArray:
            {
                var width = ((FixedSizeBinaryType)fixedArray.Data.DataType).ByteWidth;
                var bytes = fixedArray.ValueBuffer.Span.Slice((fixedArray.Offset + index) * width, width).ToArray();
                return type.Id == TypeId.Uuid ? new Guid(bytes, bigEndian: true) : bytes;
            }

            case BinaryArray binary:
                return binary.GetBytes(index).ToArray();
            case ExtensionArray extension:
                return Value(extension.Storage, index, type);
        }

        throw new IcebergException(IcebergException.Unsupported, $"cannot partition by an Arrow column of type {array.Data.DataType.Name} (Iceberg type {type})");
    }

    /// <summary>A batch holding the rows <paramref name="rows"/> (ascending or not) of <paramref name="batch"/>.</summary>
    public static RecordBatch Take(RecordBatch batch, IReadOnlyList<int> rows)
    {
        if (rows.Count == batch.Length && IsIdentity(rows))
        {
            return batch;
        }

        var columns = new IArrowArray[batch.ColumnCount];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = ArrowArrayFactory.BuildArray(TakeData(batch.Column(c).Data, rows));
        }

        return new RecordBatch(batch.Schema, columns, rows.Count);
    }

    private static bool IsIdentity(IReadOnlyList<int> rows)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] != i)
            {
                return false;
            }
        }

        return true;
    }

    private static ArrayData TakeData(ArrayData data, IReadOnlyList<int> rows)
    {
        var count = rows.Count;
        var validity = new byte[(count + 7) / 8];
        var source = data.Buffers[0].IsEmpty ? ReadOnlySpan<byte>.Empty : data.Buffers[0].Span;
        var nulls = 0;
        for (var i = 0; i < count; i++)
        {
            var at = data.Offset + rows[i];
            if (source.IsEmpty || (source[at >> 3] & (1 << (at & 7))) != 0)
            {
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        var validityBuffer = nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity);
        var type = data.DataType is ExtensionType extension ? extension.StorageType : data.DataType;
        switch (type)
        {
            case BooleanType:
            {
                var bits = new byte[(count + 7) / 8];
                var values = data.Buffers[1].Span;
                for (var i = 0; i < count; i++)
                {
                    var at = data.Offset + rows[i];
                    if ((values[at >> 3] & (1 << (at & 7))) != 0)
                    {
                        bits[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                return new ArrayData(data.DataType, count, nulls, 0, [validityBuffer, new ArrowBuffer(bits)]);
            }

            case FixedWidthType fixedWidth:
            {
                var width = fixedWidth.BitWidth / 8;
                var values = data.Buffers[1].Span;
                var gathered = new byte[Math.Max(1, count * width)];
                for (var i = 0; i < count; i++)
                {
                    values.Slice((data.Offset + rows[i]) * width, width).CopyTo(gathered.AsSpan(i * width));
                }

                return new ArrayData(data.DataType, count, nulls, 0, [validityBuffer, new ArrowBuffer(gathered)]);
            }

            case BinaryType or StringType:
            {
                var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
                var bytes = data.Buffers[2].Span;
                var newOffsets = new int[count + 1];
                var total = 0;
                for (var i = 0; i < count; i++)
                {
                    var at = data.Offset + rows[i];
                    total += offsets[at + 1] - offsets[at];
                    newOffsets[i + 1] = total;
                }

                var newBytes = new byte[Math.Max(1, total)];
                for (var i = 0; i < count; i++)
                {
                    var at = data.Offset + rows[i];
                    bytes.Slice(offsets[at], offsets[at + 1] - offsets[at]).CopyTo(newBytes.AsSpan(newOffsets[i]));
                }

                return new ArrayData(data.DataType, count, nulls, 0, [validityBuffer, new ArrowBuffer(MemoryMarshal.AsBytes(newOffsets.AsSpan()).ToArray()), new ArrowBuffer(newBytes)]);
            }

            default:
                throw new IcebergException(IcebergException.Unsupported, $"cannot split rows of an Arrow column of type {data.DataType.Name} by partition");
        }
    }

    private static long ToMicros(long value, Apache.Arrow.Types.TimeUnit unit) => unit switch
    {
        Apache.Arrow.Types.TimeUnit.Second => value * 1_000_000,
        Apache.Arrow.Types.TimeUnit.Millisecond => value * 1_000,
        Apache.Arrow.Types.TimeUnit.Microsecond => value,
        _ => Math.DivRem(value, 1_000, out var rem) - (rem < 0 ? 1 : 0),
    };

    private static long ToNanos(long value, Apache.Arrow.Types.TimeUnit unit) => unit switch
    {
        Apache.Arrow.Types.TimeUnit.Second => value * 1_000_000_000,
        Apache.Arrow.Types.TimeUnit.Millisecond => value * 1_000_000,
        Apache.Arrow.Types.TimeUnit.Microsecond => value * 1_000,
        _ => value,
    };
}
