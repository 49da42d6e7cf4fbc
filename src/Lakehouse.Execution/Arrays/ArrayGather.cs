using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Execution.Arrays;

/// <summary>
/// Typed gathers for the common physical layouts (fixed-width values, booleans, variable-length strings
/// and binaries): rows are copied buffer to buffer instead of appended one at a time.
/// </summary>
internal static class ArrayGather
{
    /// <summary>Rows of <paramref name="source"/> at <paramref name="rows"/> (-1 gives null), or null when the layout has no typed gather.</summary>
    public static IArrowArray? TryTake(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows)
    {
        if (type is ExtensionType || source is ExtensionArray || source.Data.DataType.TypeId != type.TypeId)
        {
            return null;
        }

        switch (type)
        {
            case Int8Type or Int16Type or Int32Type or Date32Type or Int64Type or Time64Type or TimestampType
                or DurationType or FloatType or DoubleType or Decimal128Type:
                return TakeFixed(source, type, rows, ((FixedWidthType)type).BitWidth / 8);
            case BooleanType:
                return TakeBoolean(source, rows);
            case StringType or BinaryType:
                return TakeVariable(source, type, rows);
            default:
                return null;
        }
    }

    /// <summary>Rows [start, start + count) of each array, concatenated, or null when the layout has no typed copy.</summary>
    public static IArrowArray? TryConcatenate(IArrowType type, IReadOnlyList<IArrowArray> arrays, int total)
    {
        if (type is ExtensionType)
        {
            return null;
        }

        foreach (var array in arrays)
        {
            if (array is ExtensionArray || array.Data.DataType.TypeId != type.TypeId)
            {
                return null;
            }
        }

        switch (type)
        {
            case Int8Type or Int16Type or Int32Type or Date32Type or Int64Type or Time64Type or TimestampType
                or DurationType or FloatType or DoubleType or Decimal128Type:
                return ConcatenateFixed(type, arrays, total, ((FixedWidthType)type).BitWidth / 8);
            case StringType or BinaryType:
                return ConcatenateVariable(type, arrays, total);
            default:
                return null;
        }
    }

    private static IArrowArray TakeFixed(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows, int width)
    {
        var data = source.Data;
        var validity = new Validity(source);
        var values = data.Buffers[1].Span.Slice(data.Offset * width);
        var output = new byte[rows.Length * width];
        switch (width)
        {
            case 4:
                Gather(MemoryMarshal.Cast<byte, int>(values), rows, MemoryMarshal.Cast<byte, int>(output.AsSpan()));
                break;
            case 8:
                Gather(MemoryMarshal.Cast<byte, long>(values), rows, MemoryMarshal.Cast<byte, long>(output.AsSpan()));
                break;
            case 16:
                Gather(MemoryMarshal.Cast<byte, Int128>(values), rows, MemoryMarshal.Cast<byte, Int128>(output.AsSpan()));
                break;
            case 2:
                Gather(MemoryMarshal.Cast<byte, short>(values), rows, MemoryMarshal.Cast<byte, short>(output.AsSpan()));
                break;
            default:
                Gather(values, rows, output);
                break;
        }

        var (bits, nulls) = GatherValidity(validity, rows);
        return ArrayFactory.Primitive(type, output, bits, nulls, rows.Length);
    }

    private static void Gather<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> rows, Span<T> output)
        where T : unmanaged
    {
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            output[i] = row >= 0 ? values[row] : default;
        }
    }

    private static (byte[]? Bits, int Nulls) GatherValidity(Validity validity, ReadOnlySpan<int> rows)
    {
        bool padded = false;
        if (validity.AllValid)
        {
            foreach (int row in rows)
            {
                if (row < 0)
                {
                    padded = true;
                    break;
                }
            }

            if (!padded)
            {
                return (null, 0);
            }
        }

        var bits = new byte[(rows.Length + 7) >> 3];
        int nulls = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if (row >= 0 && validity.IsValid(row))
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return (bits, nulls);
    }

    private static IArrowArray TakeBoolean(IArrowArray source, ReadOnlySpan<int> rows)
    {
        var validity = new Validity(source);
        var values = ArrayAccess.BooleanBits(source);
        int offset = source.Data.Offset;
        var output = new byte[(rows.Length + 7) >> 3];
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if (row >= 0 && ArrayAccess.GetBit(values, row + offset))
            {
                output[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        var (bits, nulls) = GatherValidity(validity, rows);
        return ArrayFactory.Boolean(output, bits, nulls, rows.Length);
    }

    private static IArrowArray TakeVariable(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows)
    {
        var validity = new Validity(source);
        var offsets = ArrayAccess.Offsets(source);
        var bytes = ArrayAccess.VariableData(source);
        long total = 0;
        foreach (int row in rows)
        {
            if (row >= 0)
            {
                total += offsets[row + 1] - offsets[row];
            }
        }

        if (total > int.MaxValue)
        {
            return ColumnBuilderTake(source, type, rows);
        }

        var outputOffsets = new byte[(rows.Length + 1) * sizeof(int)];
        var outOffsets = MemoryMarshal.Cast<byte, int>(outputOffsets.AsSpan());
        var outputData = new byte[total];
        int position = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            outOffsets[i] = position;
            int row = rows[i];
            if (row >= 0)
            {
                int start = offsets[row];
                int length = offsets[row + 1] - start;
                bytes.Slice(start, length).CopyTo(outputData.AsSpan(position));
                position += length;
            }
        }

        outOffsets[rows.Length] = position;
        var (bits, nulls) = GatherValidity(validity, rows);
        return ArrayFactory.Build(
            type,
            rows.Length,
            nulls,
            [bits is null ? ArrowBuffer.Empty : new ArrowBuffer(bits), new ArrowBuffer(outputOffsets), new ArrowBuffer(outputData)]);
    }

    private static IArrowArray ColumnBuilderTake(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows)
    {
        var builder = ColumnBuilder.Create(type, rows.Length);
        builder.AppendRows(source, rows);
        return builder.Build();
    }

    private static IArrowArray ConcatenateFixed(IArrowType type, IReadOnlyList<IArrowArray> arrays, int total, int width)
    {
        var output = new byte[(long)total * width];
        byte[]? bits = null;
        int nulls = 0;
        int position = 0;
        foreach (var array in arrays)
        {
            var data = array.Data;
            if (data.Length == 0)
            {
                continue;
            }

            data.Buffers[1].Span.Slice(data.Offset * width, data.Length * width).CopyTo(output.AsSpan(position * width));
            AppendValidity(array, position, total, ref bits, ref nulls);
            position += data.Length;
        }

        return ArrayFactory.Primitive(type, output, bits, nulls, total);
    }

    private static IArrowArray ConcatenateVariable(IArrowType type, IReadOnlyList<IArrowArray> arrays, int total)
    {
        long bytesTotal = 0;
        foreach (var array in arrays)
        {
            if (array.Length > 0)
            {
                var offsets = ArrayAccess.Offsets(array);
                bytesTotal += offsets[^1] - offsets[0];
            }
        }

        if (bytesTotal > int.MaxValue)
        {
            throw new ExecutionException(ExecutionException.NotSupported, $"a column of {bytesTotal} bytes of {type} does not fit one array");
        }

        var outputOffsets = new byte[(total + 1) * sizeof(int)];
        var outOffsets = MemoryMarshal.Cast<byte, int>(outputOffsets.AsSpan());
        var outputData = new byte[bytesTotal];
        byte[]? bits = null;
        int nulls = 0;
        int row = 0;
        int position = 0;
        foreach (var array in arrays)
        {
            if (array.Length == 0)
            {
                continue;
            }

            var offsets = ArrayAccess.Offsets(array);
            int first = offsets[0];
            int length = array.Length;
            for (int i = 0; i < length; i++)
            {
                outOffsets[row + i] = position + offsets[i] - first;
            }

            int count = offsets[length] - first;
            ArrayAccess.VariableData(array).Slice(first, count).CopyTo(outputData.AsSpan(position));
            AppendValidity(array, row, total, ref bits, ref nulls);
            position += count;
            row += length;
        }

        outOffsets[total] = position;
        return ArrayFactory.Build(
            type,
            total,
            nulls,
            [bits is null || nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits), new ArrowBuffer(outputOffsets), new ArrowBuffer(outputData)]);
    }

    private static void AppendValidity(IArrowArray array, int position, int total, ref byte[]? bits, ref int nulls)
    {
        var validity = new Validity(array);
        int length = array.Length;
        if (validity.AllValid)
        {
            if (bits is not null)
            {
                SetRange(bits, position, length);
            }

            return;
        }

        if (bits is null)
        {
            bits = new byte[(total + 7) >> 3];
            SetRange(bits, 0, position);
        }

        for (int i = 0; i < length; i++)
        {
            if (validity.IsValid(i))
            {
                int bit = position + i;
                bits[bit >> 3] |= (byte)(1 << (bit & 7));
            }
            else
            {
                nulls++;
            }
        }
    }

    private static void SetRange(byte[] bits, int start, int count)
    {
        for (int bit = start; bit < start + count; bit++)
        {
            bits[bit >> 3] |= (byte)(1 << (bit & 7));
        }
    }
}
