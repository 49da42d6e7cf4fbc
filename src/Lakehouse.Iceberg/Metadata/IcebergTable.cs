using System.IO.Compression;
using System.Text;
using Lakehouse.Iceberg.Paths;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Metadata;

/// <summary>A loaded Iceberg table: its metadata, where it was found, and how its recorded paths resolve.</summary>
public sealed class IcebergTable
{
    private const string MetadataSuffix = ".metadata.json";

    private readonly PathResolver _paths;

    private IcebergTable(IFileIO io, string tableFolder, string metadataFileLocation, TableMetadata metadata)
    {
        FileIO = io;
        TableFolder = tableFolder;
        MetadataFileLocation = metadataFileLocation;
        Metadata = metadata;
        _paths = new PathResolver(io, tableFolder, metadata.Location);
    }

    public IFileIO FileIO { get; }

    /// <summary>The folder holding <c>metadata/</c> (absolute for local tables).</summary>
    public string TableFolder { get; }

    public string MetadataFileLocation { get; }

    public TableMetadata Metadata { get; }

    /// <summary>
    /// Loads a table from a table folder (found through <c>metadata/version-hint.text</c>, else the highest
    /// numbered metadata file) or from a <c>*.metadata.json</c> file.
    /// </summary>
    public static IcebergTable Load(IFileIO io, string tableFolderOrMetadataFile)
    {
        var given = tableFolderOrMetadataFile.TrimEnd('/');
        var path = IsLocal(given) ? Path.GetFullPath(LocalFileIO.ToLocalPath(given)) : given;
        string metadataFile;
        string tableFolder;
        if (path.EndsWith(".json", StringComparison.Ordinal) || io.Exists(path))
        {
            if (!io.Exists(path))
            {
                throw NotFound(tableFolderOrMetadataFile, "the metadata file does not exist");
            }

            metadataFile = path;
            var folder = ParentOf(path);
            tableFolder = folder.EndsWith("/metadata", StringComparison.Ordinal) ? ParentOf(folder) : folder;
        }
        else
        {
            tableFolder = path;
            metadataFile = FindMetadataFile(io, path, tableFolderOrMetadataFile);
        }

        var metadata = TableMetadataParser.Parse(ReadMetadataText(io, metadataFile), metadataFile);
        return new IcebergTable(io, tableFolder, metadataFile, metadata);
    }

    /// <summary>Loads from an already parsed document (tables kept in memory or written by this engine).</summary>
    public static IcebergTable FromMetadata(IFileIO io, string tableFolder, string metadataFileLocation, TableMetadata metadata) =>
        new(io, tableFolder.TrimEnd('/'), metadataFileLocation, metadata);

    /// <summary>Maps a path recorded in metadata, manifest lists, manifests or delete files to a readable location.</summary>
    public string ResolvePath(string recordedPath) => _paths.Resolve(recordedPath);

    private static string FindMetadataFile(IFileIO io, string tableFolder, string given)
    {
        var metadataFolder = tableFolder + "/metadata";
        var files = io.ListFiles(metadataFolder);
        var hintFile = metadataFolder + "/version-hint.text";
        if (io.Exists(hintFile))
        {
            var hint = Encoding.UTF8.GetString(io.ReadAllBytes(hintFile)).Trim();
            if (hint.Length > 0)
            {
                var candidates = new List<string>
                {
                    $"v{hint}.metadata.json",
                    $"{hint}.metadata.json",
                    $"v{hint}.gz.metadata.json",
                    $"{hint}.gz.metadata.json",
                    hint,
                };
                foreach (var c in candidates)
                {
                    if (io.Exists(metadataFolder + "/" + c) && c.EndsWith(".json", StringComparison.Ordinal))
                    {
                        return metadataFolder + "/" + c;
                    }
                }

                if (long.TryParse(hint, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    foreach (var f in files)
                    {
                        var name = Path.GetFileName(f);
                        if (name.EndsWith(MetadataSuffix, StringComparison.Ordinal) && VersionOf(name) == number && name.Contains('-', StringComparison.Ordinal))
                        {
                            return f;
                        }
                    }
                }
            }
        }

        string? best = null;
        long bestVersion = long.MinValue;
        foreach (var f in files)
        {
            var name = Path.GetFileName(f);
            if (!name.EndsWith(MetadataSuffix, StringComparison.Ordinal) || name.StartsWith('.'))
            {
                continue;
            }

            var version = VersionOf(name) ?? -1;
            if (best is null || version > bestVersion || (version == bestVersion && string.CompareOrdinal(name, Path.GetFileName(best)) > 0))
            {
                best = f;
                bestVersion = version;
            }
        }

        return best ?? throw NotFound(given, files.Count == 0 ? "no metadata folder or it is empty" : "no *.metadata.json file in the metadata folder");
    }

    /// <summary>Version number of a metadata file name: <c>v12.metadata.json</c>, <c>00012-uuid.metadata.json</c>, <c>12.metadata.json</c>.</summary>
    internal static long? VersionOf(string fileName)
    {
        var span = fileName.AsSpan();
        if (span.StartsWith("v"))
        {
            span = span[1..];
        }

        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits > 18)
        {
            return null;
        }

        var next = digits < span.Length ? span[digits] : '\0';
        if (next != '.' && next != '-')
        {
            return null;
        }

        return long.Parse(span[..digits], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ReadMetadataText(IFileIO io, string metadataFile)
    {
        byte[] bytes;
        try
        {
            bytes = io.ReadAllBytes(metadataFile);
        }
        catch (StorageException e)
        {
            throw NotFound(metadataFile, e.Message);
        }

        var gzip = bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
        if (gzip || Path.GetFileName(metadataFile).Contains(".gz.", StringComparison.Ordinal))
        {
            if (!gzip)
            {
                throw new IcebergException(IcebergException.InvalidMetadata, $"metadata file '{metadataFile}' is named as gzip but is not gzip-compressed");
            }

            try
            {
                using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var output = new MemoryStream();
                input.CopyTo(output);
                bytes = output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new IcebergException(IcebergException.InvalidMetadata, $"metadata file '{metadataFile}' is not valid gzip: {e.Message}", e);
            }
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static bool IsLocal(string path) =>
        path.StartsWith("file:", StringComparison.Ordinal) || !path.Contains("://", StringComparison.Ordinal);

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? path : path[..slash];
    }

    private static IcebergException NotFound(string path, string reason) =>
        new(IcebergException.TableNotFound, $"no Iceberg table at '{path}': {reason}");
}
