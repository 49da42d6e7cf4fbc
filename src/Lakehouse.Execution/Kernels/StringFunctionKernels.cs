using System.Buffers;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Kernels;

/// <summary>
/// Trino's string functions over UTF-8 bytes. Positions and lengths count code points; every argument
/// array has the batch length (constants are repeated) and a NULL argument gives a NULL result.
/// </summary>
public static class StringFunctionKernels
{
    /// <summary>lpad/rpad refuse results longer than this rather than exhausting memory.</summary>
    public const int MaxPaddedLength = 1 << 24;

    private static bool AnyNull(IArrowArray[] inputs, int row)
    {
        foreach (var input in inputs)
        {
            if (input.IsNull(row))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountCodePoints(ReadOnlySpan<byte> bytes)
    {
        int count = 0;
        foreach (byte b in bytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Byte offset where code point <paramref name="index"/> (0-based) starts, or the length when past the end.</summary>
    private static int ByteOffsetOf(ReadOnlySpan<byte> bytes, long index)
    {
        long seen = -1;
        for (int i = 0; i < bytes.Length; i++)
        {
            if ((bytes[i] & 0xC0) != 0x80)
            {
                seen++;
                if (seen == index)
                {
                    return i;
                }
            }
        }

        return bytes.Length;
    }

    public static IArrowArray Substring(IArrowArray[] inputs)
    {
        var source = inputs[0];
        var starts = inputs[1];
        var lengths = inputs.Length > 2 ? inputs[2] : null;
        int rows = source.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(source, row);
            long start = ArrayAccess.Values<long>(starts)[row];
            int codePoints = CountCodePoints(bytes);
            long length = lengths is null ? long.MaxValue : ArrayAccess.Values<long>(lengths)[row];
            if (start < 0)
            {
                start = codePoints + start + 1;
                if (start <= 0)
                {
                    builder.Append(ReadOnlySpan<byte>.Empty);
                    continue;
                }
            }

            if (start == 0 || start > codePoints || length <= 0)
            {
                builder.Append(ReadOnlySpan<byte>.Empty);
                continue;
            }

            long endCodePoint = Math.Min(codePoints, start - 1 + Math.Min(length, codePoints));
            int from = ByteOffsetOf(bytes, start - 1);
            int to = ByteOffsetOf(bytes, endCodePoint);
            builder.Append(bytes[from..to]);
        }

        return builder.Build();
    }

    public static IArrowArray Trim(IArrowArray[] inputs, bool leading, bool trailing)
    {
        var source = inputs[0];
        var characters = inputs.Length > 1 ? inputs[1] : null;
        int rows = source.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(source, row);
            var set = characters is null ? ReadOnlySpan<byte>.Empty : ArrayAccess.GetBytes(characters, row);
            bool whitespace = characters is null;
            int start = 0;
            int end = bytes.Length;
            while (leading && start < end
                && Rune.DecodeFromUtf8(bytes[start..end], out var rune, out int consumed) == OperationStatus.Done
                && ShouldTrim(rune, set, whitespace))
            {
                start += consumed;
            }

            while (trailing && end > start
                && Rune.DecodeLastFromUtf8(bytes[start..end], out var rune, out int consumed) == OperationStatus.Done
                && ShouldTrim(rune, set, whitespace))
            {
                end -= consumed;
            }

            builder.Append(bytes[start..end]);
        }

        return builder.Build();
    }

    private static bool ShouldTrim(Rune rune, ReadOnlySpan<byte> set, bool whitespace)
    {
        if (whitespace)
        {
            return Rune.IsWhiteSpace(rune);
        }

        while (!set.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(set, out var candidate, out int consumed) != OperationStatus.Done)
            {
                return false;
            }

            if (candidate == rune)
            {
                return true;
            }

            set = set[consumed..];
        }

        return false;
    }

    public static IArrowArray Replace(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        var scratch = new ByteScratch();
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(inputs[0], row);
            var search = ArrayAccess.GetBytes(inputs[1], row);
            var replacement = ArrayAccess.GetBytes(inputs[2], row);
            scratch.Clear();
            if (search.IsEmpty)
            {
                // Trino inserts the replacement before every code point and at the end.
                scratch.Append(replacement);
                int position = 0;
                while (position < text.Length)
                {
                    int next = position + 1;
                    while (next < text.Length && (text[next] & 0xC0) == 0x80)
                    {
                        next++;
                    }

                    scratch.Append(text[position..next]);
                    scratch.Append(replacement);
                    position = next;
                }
            }
            else
            {
                while (true)
                {
                    int found = text.IndexOf(search);
                    if (found < 0)
                    {
                        scratch.Append(text);
                        break;
                    }

                    scratch.Append(text[..found]);
                    scratch.Append(replacement);
                    text = text[(found + search.Length)..];
                }
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }

    public static IArrowArray SplitPart(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(inputs[0], row);
            var delimiter = ArrayAccess.GetBytes(inputs[1], row);
            long index = ArrayAccess.Values<long>(inputs[2])[row];
            if (index <= 0)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"split_part index must be greater than zero, got {index}");
            }

            if (delimiter.IsEmpty)
            {
                int codePoints = CountCodePoints(text);
                if (index > codePoints)
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.Append(text[ByteOffsetOf(text, index - 1)..ByteOffsetOf(text, index)]);
                }

                continue;
            }

            long part = 1;
            while (part < index)
            {
                int found = text.IndexOf(delimiter);
                if (found < 0)
                {
                    break;
                }

                text = text[(found + delimiter.Length)..];
                part++;
            }

            if (part < index)
            {
                builder.AppendNull();
                continue;
            }

            int end = text.IndexOf(delimiter);
            builder.Append(end < 0 ? text : text[..end]);
        }

        return builder.Build();
    }

    public static IArrowArray StrPos(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(inputs[0], row);
            int found = text.IndexOf(ArrayAccess.GetBytes(inputs[1], row));
            builder.Append(found < 0 ? 0 : CountCodePoints(text[..found]) + 1);
        }

        return builder.Build();
    }

    public static IArrowArray StartsWith(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new BooleanColumnBuilder(BooleanType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            builder.Append(ArrayAccess.GetBytes(inputs[0], row).StartsWith(ArrayAccess.GetBytes(inputs[1], row)));
        }

        return builder.Build();
    }

    public static IArrowArray Pad(IArrowArray[] inputs, bool left)
    {
        int rows = inputs[0].Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        var scratch = new ByteScratch();
        string name = left ? "lpad" : "rpad";
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(inputs[0], row);
            long size = ArrayAccess.Values<long>(inputs[1])[row];
            var pad = ArrayAccess.GetBytes(inputs[2], row);
            if (size is < 0 or > int.MaxValue)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"{name} target length {size} must be in the range [0..{int.MaxValue}]");
            }

            int codePoints = CountCodePoints(text);
            if (size <= codePoints)
            {
                builder.Append(text[..ByteOffsetOf(text, size)]);
                continue;
            }

            if (size > MaxPaddedLength)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"{name} target length {size} exceeds the limit of {MaxPaddedLength} characters");
            }

            if (pad.IsEmpty)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"{name} padding string must not be empty");
            }

            scratch.Clear();
            if (!left)
            {
                scratch.Append(text);
            }

            long missing = size - codePoints;
            int padCodePoints = CountCodePoints(pad);
            while (missing >= padCodePoints)
            {
                scratch.Append(pad);
                missing -= padCodePoints;
            }

            scratch.Append(pad[..ByteOffsetOf(pad, missing)]);
            if (left)
            {
                scratch.Append(text);
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }

    public static IArrowArray Reverse(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        var scratch = new ByteScratch();
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(inputs[0], row);
            scratch.Clear();
            int end = text.Length;
            while (end > 0)
            {
                int start = end - 1;
                while (start > 0 && (text[start] & 0xC0) == 0x80)
                {
                    start--;
                }

                scratch.Append(text[start..end]);
                end = start;
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }

    public static IArrowArray ConcatWs(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        var scratch = new ByteScratch();
        for (int row = 0; row < rows; row++)
        {
            if (inputs[0].IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var separator = ArrayAccess.GetBytes(inputs[0], row);
            scratch.Clear();
            bool first = true;
            for (int i = 1; i < inputs.Length; i++)
            {
                if (inputs[i].IsNull(row))
                {
                    continue;
                }

                if (!first)
                {
                    scratch.Append(separator);
                }

                scratch.Append(ArrayAccess.GetBytes(inputs[i], row));
                first = false;
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }

    public static IArrowArray Chr(IArrowArray[] inputs)
    {
        var input = inputs[0];
        int rows = input.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        Span<byte> encoded = stackalloc byte[4];
        for (int row = 0; row < rows; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            long codePoint = ArrayAccess.Values<long>(input)[row];
            if (codePoint is < 0 or > 0x10FFFF || !Rune.IsValid((int)codePoint))
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"chr: {codePoint} is not a valid Unicode code point");
            }

            int written = new Rune((int)codePoint).EncodeToUtf8(encoded);
            builder.Append(encoded[..written]);
        }

        return builder.Build();
    }

    public static IArrowArray Codepoint(IArrowArray[] inputs)
    {
        var input = inputs[0];
        int rows = input.Length;
        var builder = new PrimitiveColumnBuilder<int>(Int32Type.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(input, row);
            if (Rune.DecodeFromUtf8(bytes, out var rune, out int consumed) != OperationStatus.Done || consumed != bytes.Length)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"codepoint needs a string of exactly one character, got '{Encoding.UTF8.GetString(bytes)}'");
            }

            builder.Append(rune.Value);
        }

        return builder.Build();
    }

    /// <summary>Edit distance in code points; like Trino, refuses inputs whose product of lengths exceeds a million.</summary>
    public static IArrowArray LevenshteinDistance(IArrowArray[] inputs)
    {
        int rows = inputs[0].Length;
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, rows);
        var left = new int[64];
        var right = new int[64];
        var previous = new int[65];
        var current = new int[65];
        for (int row = 0; row < rows; row++)
        {
            if (AnyNull(inputs, row))
            {
                builder.AppendNull();
                continue;
            }

            int leftLength = DecodeCodePoints(ArrayAccess.GetBytes(inputs[0], row), ref left);
            int rightLength = DecodeCodePoints(ArrayAccess.GetBytes(inputs[1], row), ref right);
            if ((long)leftLength * rightLength > 1_000_000)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, "levenshtein_distance inputs are too large (the product of their lengths exceeds 1,000,000)");
            }

            if (previous.Length < rightLength + 1)
            {
                previous = new int[rightLength + 1];
                current = new int[rightLength + 1];
            }

            for (int j = 0; j <= rightLength; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= leftLength; i++)
            {
                current[0] = i;
                for (int j = 1; j <= rightLength; j++)
                {
                    int substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                }

                (previous, current) = (current, previous);
            }

            builder.Append(previous[rightLength]);
        }

        return builder.Build();
    }

    private static int DecodeCodePoints(ReadOnlySpan<byte> bytes, ref int[] codePoints)
    {
        if (codePoints.Length < bytes.Length)
        {
            codePoints = new int[Math.Max(bytes.Length, codePoints.Length * 2)];
        }

        int count = 0;
        while (!bytes.IsEmpty)
        {
            Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            codePoints[count++] = rune.Value;
            bytes = bytes[consumed..];
        }

        return count;
    }
}

/// <summary>A reusable growable byte buffer for building one value at a time.</summary>
internal sealed class ByteScratch
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            System.Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
