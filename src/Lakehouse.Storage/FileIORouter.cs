namespace Lakehouse.Storage;

/// <summary>Sends each path to the file IO for its scheme: <c>s3://</c> (and s3a/s3n) to S3, everything else to the local file system.</summary>
public sealed class FileIORouter : IFileIO
{
    private readonly IFileIO _local;
    private readonly Lazy<IFileIO> _s3;

    public FileIORouter(IFileIO local, Func<IFileIO> s3Factory)
    {
        _local = local;
        _s3 = new Lazy<IFileIO>(s3Factory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Local files plus S3 configured from the environment (see <see cref="S3Options.FromEnvironment"/>).</summary>
    public static FileIORouter Default { get; } = new(LocalFileIO.Instance, () => new S3FileIO(S3Options.FromEnvironment()));

    public Stream OpenRead(string path) => For(path).OpenRead(path);

    public byte[] ReadAllBytes(string path) => For(path).ReadAllBytes(path);

    public void ReadRange(string path, long offset, Span<byte> buffer) => For(path).ReadRange(path, offset, buffer);

    public bool Exists(string path) => For(path).Exists(path);

    public long GetLength(string path) => For(path).GetLength(path);

    public IReadOnlyList<string> ListFiles(string folder) => For(folder).ListFiles(folder);

    public Stream Create(string path) => For(path).Create(path);

    public void Delete(string path) => For(path).Delete(path);

    /// <summary>The file IO that serves <paramref name="path"/>, so callers can use native local access where there is one.</summary>
    public IFileIO Resolve(string path) => For(path);

    private IFileIO For(string path) => S3FileIO.IsS3Path(path) ? _s3.Value : _local;
}
