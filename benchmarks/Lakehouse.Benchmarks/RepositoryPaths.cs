namespace Lakehouse.Benchmarks;

/// <summary>Finds the repository: the folder holding Lakehouse.sln, above the working folder or the program.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string TpchQuery(int number) => Path.Combine(Root, "tests", "tpch", "queries", $"q{number:D2}.sql");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Lakehouse.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new BenchmarkException(BenchmarkException.RepositoryNotFound, $"no folder holding Lakehouse.sln above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'");
    }
}
