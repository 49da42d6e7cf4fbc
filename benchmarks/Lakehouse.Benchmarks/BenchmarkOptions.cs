using System.Globalization;

namespace Lakehouse.Benchmarks;

/// <summary>The command line of a benchmark run: <c>tpch|scan --sf S [--queries 1,3] [--runs N] [--threads N] [--work DIR] [--machine NAME] [--timeout-seconds N]</c>.</summary>
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
    public const string Usage =
        "usage: lakehouse-benchmarks tpch|scan --sf <scale> [--queries 1,3,6] [--runs 5] [--threads N] [--work <folder>] [--machine <name>] [--timeout-seconds 120]";

    public string ScaleText => ScaleFactor.ToString(CultureInfo.InvariantCulture);

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || (args[0] != "tpch" && args[0] != "scan"))
        {
            throw new BenchmarkException(BenchmarkException.InvalidArgument, $"the first argument must be the suite 'tpch' or 'scan'; {Usage}");
        }

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
                case "--timeout-seconds":
                    timeoutSeconds = PositiveInt(name, value);
                    break;
                default:
                    throw new BenchmarkException(BenchmarkException.InvalidArgument, $"unknown option '{name}'; {Usage}");
            }
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
        return new BenchmarkOptions(args[0], scale.Value, queries, runs, threads, Path.GetFullPath(work), machine, timeoutSeconds, commandLine);
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
