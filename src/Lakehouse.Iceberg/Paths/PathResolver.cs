using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Paths;

/// <summary>
/// Maps paths recorded in table files to where the files actually are, given the folder the table was
/// loaded from: a recorded path under the metadata <c>location</c> is moved under the table folder; a
/// relative path is resolved against the nearest ancestor of the table folder where it exists; any other
/// absolute path is moved by the prefix mapping that turns <c>location</c> into the table folder.
/// </summary>
public sealed class PathResolver
{
    private readonly IFileIO _io;
    private readonly string _tableFolder;
    private readonly string _location;
    private readonly string? _locationPrefix;
    private readonly string? _tablePrefix;

    public PathResolver(IFileIO io, string tableFolder, string location)
    {
        _io = io;
        _tableFolder = tableFolder.TrimEnd('/');
        _location = Normalize(location).TrimEnd('/');
        (_locationPrefix, _tablePrefix) = SharedSuffixMapping(_location, _tableFolder);
    }

    /// <summary>Drops a <c>file:</c>/<c>file://</c> prefix, the scheme and authority of other URIs, and a leading <c>./</c>.</summary>
    public static string Normalize(string path)
    {
        var p = path;
        if (p.StartsWith("file://", StringComparison.Ordinal))
        {
            p = p["file://".Length..];
        }
        else if (p.StartsWith("file:", StringComparison.Ordinal))
        {
            p = p["file:".Length..];
        }
        else
        {
            var schemeEnd = p.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd > 0 && IsScheme(p.AsSpan(0, schemeEnd)))
            {
                var authorityEnd = p.IndexOf('/', schemeEnd + 3);
                p = authorityEnd < 0 ? "/" : p[authorityEnd..];
            }
        }

        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    /// <summary>True when two recorded paths name the same file after normalisation.</summary>
    public static bool SameFile(string left, string right) => string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    public string Resolve(string recordedPath)
    {
        var p = Normalize(recordedPath);
        if (_location.Length > 0)
        {
            if (p == _location)
            {
                return _tableFolder;
            }

            if (p.StartsWith(_location + "/", StringComparison.Ordinal))
            {
                return _tableFolder + p[_location.Length..];
            }
        }

        if (!p.StartsWith('/'))
        {
            return ResolveRelative(p);
        }

        if (_locationPrefix is not null && _tablePrefix is not null
            && (_locationPrefix.Length == 0 || p.StartsWith(_locationPrefix + "/", StringComparison.Ordinal)))
        {
            return _tablePrefix + p[_locationPrefix.Length..];
        }

        return p;
    }

    private string ResolveRelative(string relative)
    {
        var folder = _tableFolder;
        while (folder.Length > 0)
        {
            var candidate = folder + "/" + relative;
            if (_io.Exists(candidate))
            {
                return candidate;
            }

            var slash = folder.LastIndexOf('/');
            if (slash <= 0)
            {
                if (folder.StartsWith('/') && _io.Exists("/" + relative))
                {
                    return "/" + relative;
                }

                break;
            }

            folder = folder[..slash];
        }

        var parentSlash = _tableFolder.LastIndexOf('/');
        return (parentSlash > 0 ? _tableFolder[..parentSlash] : _tableFolder) + "/" + relative;
    }

    private static (string? LocationPrefix, string? TablePrefix) SharedSuffixMapping(string location, string tableFolder)
    {
        var l = location.Split('/');
        var t = tableFolder.Split('/');
        var shared = 0;
        while (shared < l.Length && shared < t.Length && l[l.Length - 1 - shared] == t[t.Length - 1 - shared] && l[l.Length - 1 - shared].Length > 0)
        {
            shared++;
        }

        if (shared == 0)
        {
            return (location, tableFolder);
        }

        return (string.Join('/', l, 0, l.Length - shared), string.Join('/', t, 0, t.Length - shared));
    }

    private static bool IsScheme(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
