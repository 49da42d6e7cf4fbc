namespace Lakehouse.Integration.Tests;

internal static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var stamped = typeof(RepositoryMarker).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "Lakehouse.sln")))
        {
            return Path.GetFullPath(stamped);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lakehouse.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Lakehouse.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared test data folder that sits beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string SharedIceberg => Path.Combine(Shared, "iceberg");
}

internal sealed class RepositoryMarker
{
}
