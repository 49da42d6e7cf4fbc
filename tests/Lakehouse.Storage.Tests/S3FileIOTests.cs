using Amazon.Runtime;
using Amazon.S3;

namespace Lakehouse.Storage.Tests;

public sealed class S3FileIOTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3FileIOTests(S3Server server) => _server = server;

    [Fact]
    public void WritesListsReadsRangesAndDeletesObjects()
    {
        var bucket = CreateBucket();
        using var io = new S3FileIO(new S3Options(_server.Endpoint, S3Server.AccessKey, S3Server.SecretKey));
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(content);
        var path = $"s3://{bucket}/warehouse/db/t/data/part-0.parquet";

        using (var output = io.Create(path))
        {
            output.Write(content);
        }

        io.Create($"s3://{bucket}/warehouse/db/t/data/part-1.parquet").Dispose();

        Assert.True(io.Exists(path));
        Assert.False(io.Exists($"s3://{bucket}/warehouse/db/t/data/missing.parquet"));
        Assert.Equal(content.Length, io.GetLength(path));
        Assert.Equal(content, io.ReadAllBytes(path));
        Assert.Equal(
            [$"s3://{bucket}/warehouse/db/t/data/part-0.parquet", $"s3://{bucket}/warehouse/db/t/data/part-1.parquet"],
            io.ListFiles($"s3://{bucket}/warehouse/db/t/data"));

        var range = new byte[1000];
        io.ReadRange(path, 2_000_000, range);
        Assert.Equal(content.AsSpan(2_000_000, 1000).ToArray(), range);

        io.Delete(path);
        Assert.False(io.Exists(path));
    }

    [Fact]
    public void SeekableStreamReadsLikeTheObject()
    {
        var bucket = CreateBucket();
        using var io = new S3FileIO(new S3Options(_server.Endpoint, S3Server.AccessKey, S3Server.SecretKey));
        var content = new byte[2_500_000];
        new Random(7).NextBytes(content);
        var path = $"s3://{bucket}/f.bin";
        using (var output = io.Create(path))
        {
            output.Write(content);
        }

        using var stream = io.OpenRead(path);
        Assert.True(stream.CanSeek);
        Assert.Equal(content.Length, stream.Length);

        // A footer-style read at the end, then a small read at the start, then a large read across blocks.
        stream.Seek(-8, SeekOrigin.End);
        var tail = new byte[8];
        stream.ReadExactly(tail);
        Assert.Equal(content.AsSpan(content.Length - 8).ToArray(), tail);

        stream.Position = 10;
        var small = new byte[100];
        stream.ReadExactly(small);
        Assert.Equal(content.AsSpan(10, 100).ToArray(), small);

        stream.Position = 1_000_000;
        var large = new byte[1_200_000];
        stream.ReadExactly(large);
        Assert.Equal(content.AsSpan(1_000_000, 1_200_000).ToArray(), large);
    }

    [Fact]
    public void MissingObjectIsAClearStorageError()
    {
        var bucket = CreateBucket();
        using var io = new S3FileIO(new S3Options(_server.Endpoint, S3Server.AccessKey, S3Server.SecretKey));
        var error = Assert.Throws<StorageException>(() => io.ReadAllBytes($"s3://{bucket}/nope.json"));
        Assert.Equal("FILE_NOT_FOUND", error.Code);
        Assert.Contains("nope.json", error.Message);
    }

    [Fact]
    public void RouterSendsS3PathsToS3AndOthersToLocalFiles()
    {
        var bucket = CreateBucket();
        using var s3 = new S3FileIO(new S3Options(_server.Endpoint, S3Server.AccessKey, S3Server.SecretKey));
        var router = new FileIORouter(LocalFileIO.Instance, () => s3);
        using (var output = router.Create($"s3a://{bucket}/x.txt"))
        {
            output.Write("hello"u8);
        }

        var local = Path.Combine(Path.GetTempPath(), "lakehouse-router-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(local, "local");
        try
        {
            Assert.Equal("hello"u8.ToArray(), router.ReadAllBytes($"s3a://{bucket}/x.txt"));
            Assert.Equal("local"u8.ToArray(), router.ReadAllBytes("file://" + local));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public void SplitsBucketAndKey()
    {
        Assert.Equal(("bucket", "a/b/c.parquet"), S3FileIO.Split("s3://bucket/a/b/c.parquet"));
        Assert.Equal(("bucket", string.Empty), S3FileIO.Split("s3a://bucket"));
        Assert.Equal("INVALID_PATH", Assert.Throws<StorageException>(() => S3FileIO.Split("/local/path")).Code);
    }

    private string CreateBucket()
    {
        var name = "b" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonS3Client(
            new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
            new AmazonS3Config { ServiceURL = _server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }
}
