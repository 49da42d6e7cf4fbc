namespace Lakehouse.Storage;

/// <summary>
/// File access used by every layer that touches table files. Paths are plain local paths
/// or URIs (<c>s3://bucket/key</c>); implementations decide which they accept.
/// </summary>
public interface IFileIO
{
    /// <summary>Opens a seekable stream for reading.</summary>
    Stream OpenRead(string path);

    /// <summary>Reads the whole file into memory.</summary>
    byte[] ReadAllBytes(string path);

    /// <summary>Reads <paramref name="buffer"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    void ReadRange(string path, long offset, Span<byte> buffer);

    bool Exists(string path);

    long GetLength(string path);

    /// <summary>Lists files (not folders) directly inside a folder, as full paths.</summary>
    IReadOnlyList<string> ListFiles(string folder);

    /// <summary>Creates (or truncates) a file for writing, creating parent folders as needed.</summary>
    Stream Create(string path);

    void Delete(string path);
}

/// <summary>A storage failure with a stable code, raised instead of raw IO exceptions.</summary>
public sealed class StorageException : Exception
{
    public StorageException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    public string Code { get; }
}
