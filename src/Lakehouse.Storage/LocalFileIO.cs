namespace Lakehouse.Storage;

/// <summary>Local file system access. Accepts plain paths and <c>file:</c> URIs.</summary>
public sealed class LocalFileIO : IFileIO
{
    public static LocalFileIO Instance { get; } = new();

    public static string ToLocalPath(string path)
    {
        if (path.StartsWith("file://", StringComparison.Ordinal))
        {
            return path.Substring("file://".Length);
        }

        if (path.StartsWith("file:", StringComparison.Ordinal))
        {
            return path.Substring("file:".Length);
        }

        return path;
    }

    public Stream OpenRead(string path)
    {
        var local = ToLocalPath(path);
        try
        {
            return new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException e)
        {
            throw new StorageException("FILE_NOT_FOUND", $"file not found: {local}", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new StorageException("FILE_NOT_FOUND", $"file not found: {local}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StorageException("ACCESS_DENIED", $"access denied: {local}", e);
        }
    }

    public byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public void ReadRange(string path, long offset, Span<byte> buffer)
    {
        using var handle = OpenHandle(path);
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.Slice(read), offset + read);
            if (n == 0)
            {
                throw new StorageException("SHORT_READ", $"unexpected end of file: {ToLocalPath(path)} (wanted {buffer.Length} bytes at offset {offset})");
            }

            read += n;
        }
    }

    public bool Exists(string path) => File.Exists(ToLocalPath(path));

    public long GetLength(string path)
    {
        var info = new FileInfo(ToLocalPath(path));
        if (!info.Exists)
        {
            throw new StorageException("FILE_NOT_FOUND", $"file not found: {info.FullName}");
        }

        return info.Length;
    }

    public IReadOnlyList<string> ListFiles(string folder)
    {
        var local = ToLocalPath(folder);
        if (!Directory.Exists(local))
        {
            return Array.Empty<string>();
        }

        var files = Directory.GetFiles(local);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    public Stream Create(string path)
    {
        var local = ToLocalPath(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(local));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        return new FileStream(local, FileMode.Create, FileAccess.Write, FileShare.None);
    }

    public void Delete(string path) => File.Delete(ToLocalPath(path));

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(string path)
    {
        var local = ToLocalPath(path);
        try
        {
            return File.OpenHandle(local, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException e)
        {
            throw new StorageException("FILE_NOT_FOUND", $"file not found: {local}", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new StorageException("FILE_NOT_FOUND", $"file not found: {local}", e);
        }
    }
}
