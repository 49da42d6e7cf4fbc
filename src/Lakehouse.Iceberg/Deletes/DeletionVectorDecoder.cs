using System.Buffers.Binary;

namespace Lakehouse.Iceberg.Deletes;

/// <summary>
/// Decodes a <c>deletion-vector-v1</c> blob: 4-byte big-endian length of magic + bitmap,
/// the magic bytes D1 D3 39 64, a portable 64-bit Roaring bitmap, and a 4-byte big-endian
/// CRC-32 of magic + bitmap.
/// </summary>
public static class DeletionVectorDecoder
{
    public const string BlobType = "deletion-vector-v1";

    private static ReadOnlySpan<byte> Magic => [0xD1, 0xD3, 0x39, 0x64];

    /// <summary>Returns the deleted row positions in ascending order.</summary>
    public static long[] Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 12)
        {
            throw Invalid($"blob of {blob.Length} bytes is too short");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (length < 4 || length > (uint)(blob.Length - 8))
        {
            throw Invalid($"declared length {length} does not fit the {blob.Length}-byte blob");
        }

        var body = blob.Slice(4, (int)length);
        if (!body.StartsWith(Magic))
        {
            throw Invalid("magic bytes D1 D3 39 64 not found");
        }

        var expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(4 + (int)length));
        var actualCrc = Crc32.Compute(body);
        if (expectedCrc != actualCrc)
        {
            throw Invalid($"CRC-32 mismatch (stored 0x{expectedCrc:X8}, computed 0x{actualCrc:X8})");
        }

        var positions = Roaring64.Decode(body.Slice(4), out var consumed);
        if (consumed != body.Length - 4)
        {
            throw Invalid($"{body.Length - 4 - consumed} trailing bytes after the bitmap");
        }

        return positions;
    }

    private static IcebergException Invalid(string detail) =>
        new(IcebergException.InvalidValue, $"invalid deletion vector: {detail}");
}

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
