using System.Text;
using System.Text.RegularExpressions;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// Expands the argument of <c>read_parquet</c> into files: a file, a folder (every <c>*.parquet</c>
/// below it) or a glob whose wildcards (<c>*</c>, <c>?</c>, <c>**</c>) sit in the trailing segments.
/// Files come back sorted by path so that splits and results are stable.
/// </summary>
internal static class ParquetPathResolver
{
    public static IReadOnlyList<string> Resolve(IFileIO io, string argument, string baseDirectory)
    {
        if (IsUri(argument))
        {
            return ResolveRemote(io, argument);
        }

        var full = Path.IsPathRooted(argument) ? argument : Path.Combine(baseDirectory, argument);
        full = Path.GetFullPath(full);
        if (!HasWildcard(argument))
        {
            if (File.Exists(full))
            {
                return [full];
            }

            if (Directory.Exists(full))
            {
                var files = new List<string>();
                foreach (var file in Directory.EnumerateFiles(full, "*.parquet", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                {
                    files.Add(file);
                }

                if (files.Count == 0)
                {
                    throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: no *.parquet files under folder {full}");
                }

                files.Sort(StringComparer.Ordinal);
                return files;
            }

            throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: no such file or folder: {full}");
        }

        return ResolveGlob(full);
    }

    private static IReadOnlyList<string> ResolveGlob(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        var firstWildcard = 0;
        while (firstWildcard < segments.Length && !HasWildcard(segments[firstWildcard]))
        {
            firstWildcard++;
        }

        var root = string.Join('/', segments, 0, firstWildcard);
        if (root.Length == 0)
        {
            root = "/";
        }

        if (!Directory.Exists(root))
        {
            throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: no files match {pattern} (folder {root} does not exist)");
        }

        var remaining = segments[firstWildcard..];
        var recursive = Array.Exists(remaining, s => s == "**");
        var regex = new Regex("^" + GlobToRegex(remaining) + "$", RegexOptions.CultureInvariant);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = recursive || remaining.Length > 1,
            MaxRecursionDepth = recursive ? int.MaxValue : remaining.Length - 1,
            IgnoreInaccessible = true,
        };
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", options))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (regex.IsMatch(relative))
            {
                files.Add(Path.GetFullPath(file));
            }
        }

        if (files.Count == 0)
        {
            throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: no files match {pattern}");
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Remote stores list one folder level: a file, a folder's direct <c>*.parquet</c> files, or a wildcard in the last segment.</summary>
    private static IReadOnlyList<string> ResolveRemote(IFileIO io, string location)
    {
        var slash = location.LastIndexOf('/');
        var lastSegment = slash < 0 ? location : location[(slash + 1)..];
        if (HasWildcard(location[..Math.Max(slash, 0)]))
        {
            throw ParquetErrors.Error(ParquetErrors.InvalidArgument, $"read_parquet: wildcards are only supported in the last path segment of {location}");
        }

        List<string> files;
        if (HasWildcard(lastSegment))
        {
            var regex = new Regex("^" + GlobToRegex([lastSegment]) + "$", RegexOptions.CultureInvariant);
            files = Filter(io.ListFiles(location[..slash]), name => regex.IsMatch(name));
        }
        else if (io.Exists(location))
        {
            return [location];
        }
        else
        {
            files = Filter(io.ListFiles(location), name => name.EndsWith(".parquet", StringComparison.Ordinal));
        }

        if (files.Count == 0)
        {
            throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: no Parquet files at {location}");
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static List<string> Filter(IReadOnlyList<string> paths, Func<string, bool> nameMatches)
    {
        var result = new List<string>();
        foreach (var path in paths)
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            if (nameMatches(name))
            {
                result.Add(path);
            }
        }

        return result;
    }

    private static string GlobToRegex(string[] segments)
    {
        var text = new StringBuilder();
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var last = s == segments.Length - 1;
            if (segment == "**")
            {
                // Any number of folders, including none.
                text.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }

            foreach (var c in segment)
            {
                text.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            if (!last)
            {
                text.Append('/');
            }
        }

        return text.ToString();
    }

    private static bool HasWildcard(string text) => text.AsSpan().IndexOfAny('*', '?') >= 0;

    private static bool IsUri(string path) => path.Contains("://", StringComparison.Ordinal);
}
