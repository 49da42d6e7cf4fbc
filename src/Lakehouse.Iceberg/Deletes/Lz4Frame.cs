using System.Buffers.Binary;

namespace Lakehouse.Iceberg.Deletes;

/// <summary>Decoder for the LZ4 frame format (used by Puffin for lz4 blobs and compressed footers).</summary>
internal static class Lz4Frame
{
    private const uint FrameMagic = 0x184D2204;

    public static byte[] Decompress(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != FrameMagic)
        {
            throw Invalid("missing frame magic");
        }

        var flags = frame[4];
        if ((flags >> 6) != 1)
        {
            throw Invalid($"unsupported frame version {flags >> 6}");
        }

        var blockChecksum = (flags & 0x10) != 0;
        var hasContentSize = (flags & 0x08) != 0;
        var contentChecksum = (flags & 0x04) != 0;
        var hasDictionary = (flags & 0x01) != 0;
        var position = 6;
        byte[] buffer = [];
        var written = 0;
        if (hasContentSize)
        {
            var size = BinaryPrimitives.ReadInt64LittleEndian(frame.Slice(position));
            if (size < 0 || size > int.MaxValue)
            {
                throw Invalid($"content size {size} is out of range");
            }

            buffer = new byte[size];
            position += 8;
        }

        if (hasDictionary)
        {
            throw Invalid("frames with a dictionary are not supported");
        }

        position += 1; // header checksum
        while (true)
        {
            Require(frame, position, 4);
            var blockSize = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(position));
            position += 4;
            if (blockSize == 0)
            {
                break;
            }

            var uncompressed = (blockSize & 0x80000000) != 0;
            var length = (int)(blockSize & 0x7FFFFFFF);
            Require(frame, position, length);
            var block = frame.Slice(position, length);
            position += length + (blockChecksum ? 4 : 0);
            if (uncompressed)
            {
                EnsureCapacity(ref buffer, written + length);
                block.CopyTo(buffer.AsSpan(written));
                written += length;
            }
            else
            {
                written = DecodeBlock(block, ref buffer, written);
            }
        }

        _ = contentChecksum;
        return written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
    }

    private static int DecodeBlock(ReadOnlySpan<byte> block, ref byte[] buffer, int written)
    {
        var i = 0;
        while (i < block.Length)
        {
            var token = block[i++];
            var literalLength = token >> 4;
            if (literalLength == 15)
            {
                byte extra;
                do
                {
                    Require(block, i, 1);
                    extra = block[i++];
                    literalLength += extra;
                }
                while (extra == 255);
            }

            Require(block, i, literalLength);
            EnsureCapacity(ref buffer, written + literalLength);
            block.Slice(i, literalLength).CopyTo(buffer.AsSpan(written));
            written += literalLength;
            i += literalLength;
            if (i >= block.Length)
            {
                break;
            }

            Require(block, i, 2);
            var offset = BinaryPrimitives.ReadUInt16LittleEndian(block.Slice(i));
            i += 2;
            if (offset == 0 || offset > written)
            {
                throw Invalid($"match offset {offset} is out of range");
            }

            var matchLength = (token & 0x0F) + 4;
            if ((token & 0x0F) == 15)
            {
                byte extra;
                do
                {
                    Require(block, i, 1);
                    extra = block[i++];
                    matchLength += extra;
                }
                while (extra == 255);
            }

            EnsureCapacity(ref buffer, written + matchLength);
            var source = written - offset;
            for (var k = 0; k < matchLength; k++)
            {
                buffer[written + k] = buffer[source + k];
            }

            written += matchLength;
        }

        return written;
    }

    private static void EnsureCapacity(ref byte[] buffer, int needed)
    {
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }
    }

    private static void Require(ReadOnlySpan<byte> data, int position, int length)
    {
        if (length < 0 || data.Length - position < length)
        {
            throw Invalid($"truncated at byte {position}");
        }
    }

    private static IcebergException Invalid(string detail) => new(IcebergException.InvalidValue, $"invalid LZ4 frame: {detail}");
}
