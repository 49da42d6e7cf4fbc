using System.Globalization;

namespace Lakehouse.Benchmarks;

/// <summary>The command line of a benchmark run: <c>tpch|scan --sf S [--queries 1,3] [--runs N] [--threads N] [--work DIR] [--machine NAME] [--timeout-seconds N]</c>, or <c>planning [--manifests N] [--files N] [--runs N]</c>.</summary>
public sealed record BenchmarkOptions(
    string Suite,
    double ScaleFactor,
    IReadOnlyList<int> Queries,
    int Runs,
    int Threads,
    string WorkFolder,
    string Machine,
    int TimeoutSeconds,
    string CommandLine)
{
    /// <summary>Manifests of the planning suite's synthetic table.</summary>
    public int Manifests { get; init; } = 10_000;

    /// <summary>Data files of the planning suite's synthetic table.</summary>
    public int Files { get; init; } = 1_000_000;

    public const string Usage =
        "usage: lakehouse-benchmarks tpch|scan --sf <scale> [--queries 1,3,6] [--runs 5] [--threads N] [--work <folder>] [--machine <name>] [--timeout-seconds 120]\n       lakehouse-benchmarks planning [--manifests 10000] [--files 1000000] [--runs 5] [--work <folder>] [--machine <name>]";

    public string ScaleText => ScaleFactor.ToString(CultureInfo.InvariantCulture);

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || (args[0] != "tpch" && args[0] != "scan" && args[0] != "planning"))
        {
            throw new BenchmarkException(BenchmarkException.InvalidArgument, $"the first argument must be the suite 'tpch', 'scan' or 'planning'; {Usage}");
        }

        bool planning = args[0] == "planning";
        int manifests = 10_000;
        int files = 1_000_000;

        double? scale = null;
        List<int> queries = [];
        int runs = 5;
        int threads = Environment.ProcessorCount;
        string? work = null;
        string machine = Environment.MachineName;
        int timeoutSeconds = 120;
        for (int i = 1; i < args.Count; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Count ? args[++i] : throw new BenchmarkException(BenchmarkException.InvalidArgument, $"option '{name}' needs a value; {Usage}");
            switch (name)
            {
                case "--sf" or "--queries" or "--timeout-seconds" when planning:
                    throw new BenchmarkException(BenchmarkException.InvalidArgument, $"option '{name}' does not apply to the planning suite; {Usage}");
                case "--sf":
                    scale = PositiveDouble(name, value);
                    break;
                case "--queries":
                    queries = QueryList(value);
                    break;
                case "--runs":
                    runs = PositiveInt(name, value);
                    break;
                case "--threads":
                    threads = PositiveInt(name, value);
                    break;
                case "--work":
                    work = value;
                    break;
                case "--machine":
                    machine = value;
                    break;
                case "--manifests" when planning:
                    manifests = PositiveInt(name, value);
                    break;
                case "--files" when planning:
                    files = PositiveInt(name, value);
                    break;
                case "--timeout-seconds":
                    timeoutSeconds = PositiveInt(name, value);
                    break;
                default:
                    throw new BenchmarkException(BenchmarkException.InvalidArgument, $"unknown option '{name}'; {Usage}");
            }
        }

        if (planning)
        {
            scale ??= 1;
            work ??= Path.Combine(RepositoryPaths.Root, "benchmarks", ".work", string.Create(CultureInfo.InvariantCulture, $"planning-{manifests}x{files}"));
        }

        if (scale is null)
        {
            throw new BenchmarkException(BenchmarkException.InvalidArgument, $"--sf is required; {Usage}");
        }

        if (queries.Count == 0)
        {
            for (int q = 1; q <= 22; q++)
            {
                queries.Add(q);
            }
        }

        string scaleText = scale.Value.ToString(CultureInfo.InvariantCulture);
        work ??= Path.Combine(RepositoryPaths.Root, "benchmarks", ".work", "sf" + scaleText);
        string commandLine = "dotnet run -c Release --project benchmarks/Lakehouse.Benchmarks -- " + string.Join(' ', args);
        return new BenchmarkOptions(args[0], scale.Value, queries, runs, threads, Path.GetFullPath(work), machine, timeoutSeconds, commandLine)
        {
            Manifests = manifests,
            Files = files,
        };
    }

    private static List<int> QueryList(string value)
    {
        var queries = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int q) || q < 1 || q > 22)
            {
                throw new BenchmarkException(BenchmarkException.InvalidArgument, $"--queries: '{part}' is not a TPC-H query number 1..22");
            }

            queries.Add(q);
        }

        return queries;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0
            ? parsed
            : throw new BenchmarkException(BenchmarkException.InvalidArgument, $"{name}: '{value}' is not a positive integer");

    private static double PositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed > 0
            ? parsed
            : throw new BenchmarkException(BenchmarkException.InvalidArgument, $"{name}: '{value}' is not a positive number");
}
