using System.Buffers.Binary;

namespace Lakehouse.Iceberg.Transforms;

/// <summary>Murmur3 x86 32-bit hash with seed 0, as required by the Iceberg spec (Appendix B).</summary>
public static class Murmur3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    public static int Hash(ReadOnlySpan<byte> data)
    {
        uint h = 0;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            h ^= MixK(k);
            h = (h << 13) | (h >> 19);
            h = (h * 5) + 0xe6546b64;
        }

        var tail = data.Slice(blocks * 4);
        uint k1 = 0;
        switch (tail.Length)
        {
            case 3:
                k1 ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k1 ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k1 ^= tail[0];
                h ^= MixK(k1);
                break;
        }

        h ^= (uint)data.Length;
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return (int)h;
    }

    public static int HashLong(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Hash(bytes);
    }

    /// <summary>Floats and doubles hash as the bits of the double value, with -0.0 and NaN canonicalised.</summary>
    public static int HashDouble(double value)
    {
        if (value == 0.0)
        {
            value = 0.0;
        }
        else if (double.IsNaN(value))
        {
            value = double.NaN;
        }

        return HashLong(BitConverter.DoubleToInt64Bits(value));
    }

    private static uint MixK(uint k)
    {
        k *= C1;
        k = (k << 15) | (k >> 17);
        k *= C2;
        return k;
    }
}
