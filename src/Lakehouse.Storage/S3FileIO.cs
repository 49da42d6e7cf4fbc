using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Lakehouse.Storage;

/// <summary>Connection settings for an S3-compatible object store.</summary>
/// <param name="ServiceUrl">Endpoint such as <c>http://127.0.0.1:9000</c>; null for AWS itself.</param>
public sealed record S3Options(string? ServiceUrl, string? AccessKey, string? SecretKey, string Region = "us-east-1", bool ForcePathStyle = true)
{
    /// <summary>Reads <c>LAKEHOUSE_S3_ENDPOINT</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_REGION</c>.</summary>
    public static S3Options FromEnvironment() => new(
        Environment.GetEnvironmentVariable("LAKEHOUSE_S3_ENDPOINT"),
        Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
        Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"),
        Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
}

/// <summary>
/// File IO over S3 (<c>s3://bucket/key</c>, also <c>s3a://</c> and <c>s3n://</c>). Reads are ranged GETs, so a
/// Parquet footer or a column chunk costs one request, not a whole-object download.
/// </summary>
public sealed class S3FileIO : IFileIO, IDisposable
{
    private readonly AmazonS3Client _client;

    public S3FileIO(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        _client = options.AccessKey is not null && options.SecretKey is not null
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(new AnonymousAWSCredentials(), config);
    }

    public static bool IsS3Path(string path) =>
        path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("s3a://", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("s3n://", StringComparison.OrdinalIgnoreCase);

    public static (string Bucket, string Key) Split(string path)
    {
        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || !IsS3Path(path))
        {
            throw new StorageException("INVALID_PATH", $"not an S3 path: {path}");
        }

        var rest = path.AsSpan(schemeEnd + 3);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return (rest.ToString(), string.Empty);
        }

        return (rest[..slash].ToString(), rest[(slash + 1)..].ToString());
    }

    public Stream OpenRead(string path) => new S3RangeStream(this, path, GetLength(path));

    public byte[] ReadAllBytes(string path)
    {
        var (bucket, key) = Split(path);
        using var response = Call(path, () => _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }));
        using var buffer = new MemoryStream();
        response.ResponseStream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public void ReadRange(string path, long offset, Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        var (bucket, key) = Split(path);
        var request = new GetObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ByteRange = new ByteRange(offset, offset + buffer.Length - 1),
        };
        using var response = Call(path, () => _client.GetObjectAsync(request));
        var read = 0;
        while (read < buffer.Length)
        {
            var n = response.ResponseStream.Read(buffer[read..]);
            if (n == 0)
            {
                throw new StorageException("SHORT_READ", $"unexpected end of object: {path} (wanted {buffer.Length} bytes at offset {offset})");
            }

            read += n;
        }
    }

    public bool Exists(string path)
    {
        var (bucket, key) = Split(path);
        try
        {
            _client.GetObjectMetadataAsync(bucket, key).GetAwaiter().GetResult();
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public long GetLength(string path)
    {
        var (bucket, key) = Split(path);
        var metadata = Call(path, () => _client.GetObjectMetadataAsync(bucket, key));
        return metadata.ContentLength;
    }

    public IReadOnlyList<string> ListFiles(string folder)
    {
        var (bucket, prefix) = Split(folder);
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        var scheme = folder[..folder.IndexOf("://", StringComparison.Ordinal)];
        var files = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = "/" };
        while (true)
        {
            var response = Call(folder, () => _client.ListObjectsV2Async(request));
            if (response.S3Objects is not null)
            {
                foreach (var o in response.S3Objects)
                {
                    files.Add($"{scheme}://{bucket}/{o.Key}");
                }
            }

            if (response.IsTruncated != true)
            {
                break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public Stream Create(string path) => new S3UploadStream(this, path);

    public void Delete(string path)
    {
        var (bucket, key) = Split(path);
        Call(path, () => _client.DeleteObjectAsync(bucket, key));
    }

    public void Dispose() => _client.Dispose();

    internal void Upload(string path, MemoryStream content)
    {
        var (bucket, key) = Split(path);
        content.Position = 0;
        Call(path, () => _client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, AutoCloseStream = false, UseChunkEncoding = false }));
    }

    private static T Call<T>(string path, Func<Task<T>> action)
    {
        try
        {
            return action().GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new StorageException("FILE_NOT_FOUND", $"object not found: {path}", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new StorageException("ACCESS_DENIED", $"access denied to {path}: {e.Message}", e);
        }
        catch (AmazonServiceException e)
        {
            throw new StorageException("STORAGE_ERROR", $"S3 request for {path} failed: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StorageException("STORAGE_UNREACHABLE", $"cannot reach S3 for {path}: {e.Message}", e);
        }
    }

    /// <summary>A seekable read-only view of an object that fetches what is read with ranged GETs, one block at a time.</summary>
    private sealed class S3RangeStream : Stream
    {
        private const int BlockSize = 1 << 20;
        private readonly S3FileIO _io;
        private readonly string _path;
        private readonly long _length;
        private byte[]? _block;
        private long _blockStart = -1;
        private int _blockLength;
        private long _position;

        public S3RangeStream(S3FileIO io, string path, long length)
        {
            _io = io;
            _path = path;
            _length = length;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= _length || buffer.Length == 0)
            {
                return 0;
            }

            var wanted = (int)Math.Min(buffer.Length, _length - _position);
            if (wanted >= BlockSize)
            {
                // Large reads (column chunks) go straight through without the block cache.
                _io.ReadRange(_path, _position, buffer[..wanted]);
                _position += wanted;
                return wanted;
            }

            if (_block is null || _position < _blockStart || _position >= _blockStart + _blockLength)
            {
                _block ??= new byte[BlockSize];
                _blockStart = _position;
                _blockLength = (int)Math.Min(BlockSize, _length - _position);
                _io.ReadRange(_path, _blockStart, _block.AsSpan(0, _blockLength));
            }

            var available = (int)(_blockStart + _blockLength - _position);
            var n = Math.Min(available, wanted);
            _block.AsSpan((int)(_position - _blockStart), n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            _position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => _length + offset,
            };
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException("S3 objects are read-only streams");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("S3 objects are read-only streams");
    }

    /// <summary>Buffers written bytes and uploads them as one object when disposed.</summary>
    private sealed class S3UploadStream : MemoryStream
    {
        private readonly S3FileIO _io;
        private readonly string _path;
        private bool _uploaded;

        public S3UploadStream(S3FileIO io, string path)
        {
            _io = io;
            _path = path;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_uploaded)
            {
                _uploaded = true;
                _io.Upload(_path, this);
            }

            base.Dispose(disposing);
        }
    }
}
