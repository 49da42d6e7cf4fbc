using System.Text;
using Lakehouse.Iceberg.Deletes;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

public class PuffinReaderTests
{
    public static TheoryData<string> Folders => new() { "apache-iceberg/org/apache/iceberg/puffin/v1", "iceberg-rust/puffin/java-generated" };

    private static string PuffinFile(string folder, string name) => ParquetTestSupport.Shared(Path.Combine("iceberg", "spec-vectors", folder, name));

    [Theory]
    [MemberData(nameof(Folders))]
    public void EmptyPuffinHasNoBlobs(string folder)
    {
        var footer = PuffinReader.ReadFooter(File.ReadAllBytes(PuffinFile(folder, "empty-puffin-uncompressed.bin")));
        Assert.Empty(footer.Blobs);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void UncompressedSampleHasTwoReadableBlobs(string folder)
    {
        var path = PuffinFile(folder, "sample-metric-data-uncompressed.bin");
        var footer = PuffinReader.ReadFooter(LocalFileIO.Instance, path);
        Assert.Equal(2, footer.Blobs.Count);
        Assert.All(footer.Blobs, b => Assert.Null(b.CompressionCodec));
        Assert.Equal("some-blob", footer.Blobs[0].Type);
        Assert.Equal([1], footer.Blobs[0].Fields);
        Assert.Equal("abcdefghi", Encoding.UTF8.GetString(PuffinReader.ReadBlob(LocalFileIO.Instance, path, footer.Blobs[0])));
        Assert.StartsWith("some blob", Encoding.UTF8.GetString(PuffinReader.ReadBlob(LocalFileIO.Instance, path, footer.Blobs[1])));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void ZstdBlobsDecompressToTheUncompressedContent(string folder)
    {
        var compressedFile = File.ReadAllBytes(PuffinFile(folder, "sample-metric-data-compressed-zstd.bin"));
        var plainFile = File.ReadAllBytes(PuffinFile(folder, "sample-metric-data-uncompressed.bin"));
        var compressed = PuffinReader.ReadFooter(compressedFile);
        var plain = PuffinReader.ReadFooter(plainFile);
        Assert.Equal(2, compressed.Blobs.Count);
        Assert.All(compressed.Blobs, b => Assert.Equal("zstd", b.CompressionCodec));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(PuffinReader.ReadBlob(plainFile, plain.Blobs[i]), PuffinReader.ReadBlob(compressedFile, compressed.Blobs[i]));
        }
    }

    [Fact]
    public void FileWithoutMagicIsRejected()
    {
        var error = Assert.Throws<IcebergException>(() => PuffinReader.ReadFooter(new byte[64]));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
    }

    [Fact]
    public void TruncatedFooterIsRejected()
    {
        var bytes = File.ReadAllBytes(PuffinFile("apache-iceberg/org/apache/iceberg/puffin/v1", "sample-metric-data-uncompressed.bin"));
        Assert.Throws<IcebergException>(() => PuffinReader.ReadFooter(bytes.AsSpan(0, bytes.Length - 5)));
    }
}
