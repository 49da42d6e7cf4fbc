using Lakehouse.Iceberg.Deletes;

namespace Lakehouse.Iceberg.Tests;

public class RoaringBitmapTests
{
    private static string Vector(string name) =>
        ParquetTestSupport.Shared(Path.Combine("iceberg", "spec-vectors", "apache-iceberg", "org", "apache", "iceberg", "deletes", name));

    [Fact]
    public void EmptyDeletionVectorHasNoPositions() =>
        Assert.Empty(DeletionVectorDecoder.Decode(File.ReadAllBytes(Vector("empty-position-index.bin"))));

    [Fact]
    public void SmallAlternatingValues() =>
        Assert.Equal([1L, 3, 5, 7, 9], DeletionVectorDecoder.Decode(File.ReadAllBytes(Vector("small-alternating-values-position-index.bin"))));

    [Fact]
    public void SmallAndLargeValues() =>
        Assert.Equal([100L, 101, 2147483747, 2147483748], DeletionVectorDecoder.Decode(File.ReadAllBytes(Vector("small-and-large-values-position-index.bin"))));

    [Fact]
    public void AllContainerTypesDecodeInOrderAcrossTwoBitmaps()
    {
        var positions = DeletionVectorDecoder.Decode(File.ReadAllBytes(Vector("all-container-types-position-index.bin")));
        Assert.NotEmpty(positions);
        for (var i = 1; i < positions.Length; i++)
        {
            Assert.True(positions[i] > positions[i - 1]);
        }

        Assert.Contains(positions, p => (p >> 32) == 0);
        Assert.Contains(positions, p => (p >> 32) == 1);

        // Run and bitset containers hold more than the 4096 values an array container can.
        Assert.True(positions.Length > 4096);
    }

    [Fact]
    public void CorruptedCrcIsRejected()
    {
        var bytes = File.ReadAllBytes(Vector("small-alternating-values-position-index.bin"));
        bytes[^1] ^= 0xFF;
        var error = Assert.Throws<IcebergException>(() => DeletionVectorDecoder.Decode(bytes));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.Contains("CRC", error.Message);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        var bytes = File.ReadAllBytes(Vector("small-alternating-values-position-index.bin"));
        bytes[4] = 0;
        Assert.Equal(IcebergException.InvalidValue, Assert.Throws<IcebergException>(() => DeletionVectorDecoder.Decode(bytes)).Code);
    }

    [Fact]
    public void Empty64BitMap() => Assert.Empty(Roaring64.Decode(File.ReadAllBytes(Vector("64mapempty.bin"))));

    [Fact]
    public void ThirtyTwoBitValuesRead()
    {
        var values = Roaring64.Decode(File.ReadAllBytes(Vector("64map32bitvals.bin")), out var consumed);
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.True(v >= 0 && v <= uint.MaxValue));
        Assert.Equal(new FileInfo(Vector("64map32bitvals.bin")).Length, consumed);
    }

    [Fact]
    public void SpreadValuesRead()
    {
        var values = Roaring64.Decode(File.ReadAllBytes(Vector("64mapspreadvals.bin")), out var consumed);
        Assert.NotEmpty(values);
        Assert.Contains(values, v => v > uint.MaxValue);
        Assert.Equal(new FileInfo(Vector("64mapspreadvals.bin")).Length, consumed);
    }

    [Fact]
    public void HighKeysAreRejected()
    {
        var error = Assert.Throws<IcebergException>(() => Roaring64.Decode(File.ReadAllBytes(Vector("64maphighvals.bin"))));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.Contains("key", error.Message);
    }

    [Fact]
    public void TruncatedBitmapIsRejected()
    {
        var bytes = File.ReadAllBytes(Vector("64mapspreadvals.bin"));
        Assert.Throws<IcebergException>(() => Roaring64.Decode(bytes.AsSpan(0, bytes.Length / 2)));
    }
}
