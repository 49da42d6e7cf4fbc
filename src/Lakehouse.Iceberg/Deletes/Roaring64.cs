using System.Buffers.Binary;

namespace Lakehouse.Iceberg.Deletes;

/// <summary>
/// Decoder for the portable 64-bit Roaring bitmap format: an 8-byte little-endian bitmap count,
/// then per bitmap a 4-byte little-endian key (the high 32 bits) followed by a portable 32-bit
/// Roaring bitmap holding the low 32 bits.
/// </summary>
public static class Roaring64
{
    /// <summary>Highest key accepted: positions are non-negative 63-bit longs whose high half fits an int.</summary>
    public const uint MaxKey = int.MaxValue - 1;

    /// <summary>Decodes the bitmap into its values in ascending order.</summary>
    public static long[] Decode(ReadOnlySpan<byte> data) => Decode(data, out _);

    public static long[] Decode(ReadOnlySpan<byte> data, out int bytesRead)
    {
        if (data.Length < 8)
        {
            throw Invalid("the 64-bit bitmap count is truncated");
        }

        var bitmapCount = BinaryPrimitives.ReadInt64LittleEndian(data);
        if (bitmapCount < 0 || bitmapCount > MaxKey + 1L)
        {
            throw Invalid($"invalid 64-bit bitmap count {bitmapCount}");
        }

        var position = 8;
        var values = new List<long>();
        long previousKey = -1;
        for (long i = 0; i < bitmapCount; i++)
        {
            if (data.Length - position < 4)
            {
                throw Invalid($"bitmap {i}: key is truncated");
            }

            var key = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position));
            position += 4;
            if (key > MaxKey)
            {
                throw Invalid($"bitmap {i}: key {key} is above the supported maximum {MaxKey}");
            }

            if (key <= previousKey)
            {
                throw Invalid($"bitmap {i}: key {key} is not in ascending order");
            }

            previousKey = key;
            position += RoaringBitmap32.DecodeInto(data.Slice(position), (long)key << 32, values);
        }

        bytesRead = position;
        return values.ToArray();
    }

    internal static IcebergException Invalid(string detail) =>
        new(IcebergException.InvalidValue, $"invalid roaring bitmap: {detail}");
}

/// <summary>Decoder for the portable (cross-language) 32-bit Roaring bitmap serialization.</summary>
public static class RoaringBitmap32
{
    private const int SerialCookieNoRunContainer = 12346;
    private const int SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int MaxArrayCardinality = 4096;
    private const int BitsetBytes = 8192;

    /// <summary>Decodes one 32-bit bitmap, adding <paramref name="high"/> | value for each value; returns the bytes consumed.</summary>
    public static int DecodeInto(ReadOnlySpan<byte> data, long high, List<long> output)
    {
        if (data.Length < 4)
        {
            throw Roaring64.Invalid("32-bit bitmap cookie is truncated");
        }

        var cookie = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var position = 4;
        int containerCount;
        var hasRuns = false;
        ReadOnlySpan<byte> runFlags = default;
        if ((cookie & 0xFFFF) == SerialCookie)
        {
            hasRuns = true;
            containerCount = (int)(cookie >> 16) + 1;
            var flagBytes = (containerCount + 7) / 8;
            Require(data, position, flagBytes, "run container flags");
            runFlags = data.Slice(position, flagBytes);
            position += flagBytes;
        }
        else if (cookie == SerialCookieNoRunContainer)
        {
            Require(data, position, 4, "container count");
            var count = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position));
            if (count > 65536)
            {
                throw Roaring64.Invalid($"container count {count} exceeds 65536");
            }

            containerCount = (int)count;
            position += 4;
        }
        else
        {
            throw Roaring64.Invalid($"unknown 32-bit bitmap cookie 0x{cookie:X8}");
        }

        Require(data, position, containerCount * 4, "container headers");
        var headers = data.Slice(position, containerCount * 4);
        position += containerCount * 4;
        if (!hasRuns || containerCount >= NoOffsetThreshold)
        {
            // The offset section is redundant for sequential decoding; containers follow in order.
            Require(data, position, containerCount * 4, "container offsets");
            position += containerCount * 4;
        }

        var previousKey = -1;
        for (var c = 0; c < containerCount; c++)
        {
            int key = BinaryPrimitives.ReadUInt16LittleEndian(headers.Slice(c * 4));
            var cardinality = BinaryPrimitives.ReadUInt16LittleEndian(headers.Slice((c * 4) + 2)) + 1;
            if (key <= previousKey)
            {
                throw Roaring64.Invalid($"container key {key} is not in ascending order");
            }

            previousKey = key;
            var baseValue = high | ((long)key << 16);
            var isRun = hasRuns && (runFlags[c >> 3] & (1 << (c & 7))) != 0;
            if (isRun)
            {
                Require(data, position, 2, "run count");
                int runCount = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(position));
                position += 2;
                Require(data, position, runCount * 4, "runs");
                for (var r = 0; r < runCount; r++)
                {
                    int start = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(position + (r * 4)));
                    int lengthMinusOne = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(position + (r * 4) + 2));
                    if (start + lengthMinusOne > 0xFFFF)
                    {
                        throw Roaring64.Invalid($"run [{start}, +{lengthMinusOne}] overflows its container");
                    }

                    for (var v = start; v <= start + lengthMinusOne; v++)
                    {
                        output.Add(baseValue | (uint)v);
                    }
                }

                position += runCount * 4;
            }
            else if (cardinality <= MaxArrayCardinality)
            {
                Require(data, position, cardinality * 2, "array container");
                for (var i = 0; i < cardinality; i++)
                {
                    output.Add(baseValue | BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(position + (i * 2))));
                }

                position += cardinality * 2;
            }
            else
            {
                Require(data, position, BitsetBytes, "bitset container");
                var words = data.Slice(position, BitsetBytes);
                for (var w = 0; w < BitsetBytes / 8; w++)
                {
                    var word = BinaryPrimitives.ReadUInt64LittleEndian(words.Slice(w * 8));
                    while (word != 0)
                    {
                        var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                        output.Add(baseValue | (uint)((w * 64) + bit));
                        word &= word - 1;
                    }
                }

                position += BitsetBytes;
            }
        }

        return position;
    }

    private static void Require(ReadOnlySpan<byte> data, int position, int length, string what)
    {
        if (length < 0 || data.Length - position < length)
        {
            throw Roaring64.Invalid($"{what} truncated at byte {position}");
        }
    }
}
