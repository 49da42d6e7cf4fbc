using System.Runtime.CompilerServices;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Locates the read-only test data folder <c>shared/</c>, a sibling of the repository root.</summary>
internal static class IcebergSharedFolder
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Path => Root.Value;

    public static string Iceberg => System.IO.Path.Combine(Path, "iceberg");

    private static string Locate() => FromRepositoryRoot(AppContext.BaseDirectory) ?? FromRepositoryRoot(SourceFolder())
        ?? throw new DirectoryNotFoundException("cannot find the repository root (the folder holding Lakehouse.sln)");

    private static string? FromRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lakehouse.sln")))
            {
                return System.IO.Path.Combine(dir.Parent!.FullName, "shared");
            }
        }

        return null;
    }

    private static string SourceFolder([CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path)!;
}
