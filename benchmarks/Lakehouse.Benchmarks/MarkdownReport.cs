using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Lakehouse.Benchmarks;

/// <summary>The results table (console and Markdown), machine facts and the geometric mean of the ratios.</summary>
public static class MarkdownReport
{
    public static (double GeoMean, int Count) GeometricMean(IReadOnlyList<CaseResult> results)
    {
        double logSum = 0;
        int count = 0;
        foreach (var result in results)
        {
            if (result.Ratio is { } ratio && ratio > 0)
            {
                logSum += Math.Log(ratio);
                count++;
            }
        }

        return (count == 0 ? double.NaN : Math.Exp(logSum / count), count);
    }

    public static string GeoMeanLine(IReadOnlyList<CaseResult> results, string scaleText)
    {
        var (geoMean, count) = GeometricMean(results);
        return $"geomean ours/duckdb {geoMean.ToString("F2", CultureInfo.InvariantCulture)} over {count} queries at SF {scaleText}";
    }

    public static string Table(BenchmarkOptions options, IReadOnlyList<CaseResult> results)
    {
        bool scan = options.Suite == "scan";
        var text = new StringBuilder();
        text.AppendLine(scan
            ? "| case | ours ms | DuckDB ms | ours/DuckDB | ours Mrows/s | DuckDB Mrows/s | ours MB/s | DuckDB MB/s | answers |"
            : "| query | ours ms | DuckDB ms | ours/DuckDB | answers |");
        text.AppendLine(scan ? "|---|---:|---:|---:|---:|---:|---:|---:|---|" : "|---|---:|---:|---:|---|");
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {result.Case.Name} | {Ms(result.OursMs)} | {Ms(result.DuckMs)} | {Ratio(result.Ratio)} |");
            if (scan)
            {
                text.Append(CultureInfo.InvariantCulture, $" {PerSecond(result.Case.InputRows / 1e6, result.OursMs)} | {PerSecond(result.Case.InputRows / 1e6, result.DuckMs)} |");
                text.Append(CultureInfo.InvariantCulture, $" {PerSecond(result.Case.InputBytes / 1e6, result.OursMs)} | {PerSecond(result.Case.InputBytes / 1e6, result.DuckMs)} |");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $" {Outcome(result)} |");
        }

        return text.ToString();
    }

    /// <summary>Appends this run's section to <c>benchmarks/results/&lt;date&gt;-&lt;machine&gt;.md</c> and returns the file's path.</summary>
    public static string Write(BenchmarkOptions options, IReadOnlyList<CaseResult> results, string duckVersion, string dataSummary)
    {
        var now = DateTime.UtcNow;
        var path = ResultsPath(options.Machine, now);
        var text = new StringBuilder();
        if (!File.Exists(path))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results, {now:yyyy-MM-dd}, {options.Machine}");
            text.AppendLine();
            text.AppendLine("Our engine (embedded, reading the Iceberg tables through their metadata by table name) against DuckDB reading the very same Parquet data files with `read_parquet`. Times are medians of the timed runs after one warm-up run per engine; the engines alternate which goes first. Answers are compared cell by cell.");
            text.AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"## {options.Suite} at SF {options.ScaleText} ({now:HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(options.CommandLine);
        text.AppendLine("```");
        text.AppendLine();
        foreach (var fact in MachineFacts(options, duckVersion))
        {
            text.AppendLine("- " + fact);
        }

        text.AppendLine("- data: " + dataSummary);
        text.AppendLine();
        text.Append(Table(options, results));
        text.AppendLine();
        text.AppendLine("`" + GeoMeanLine(results, options.ScaleText) + "`");
        text.AppendLine();
        foreach (var result in results)
        {
            if (result.Outcome != CaseOutcome.Same && result.Detail is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {result.Case.Name}: {result.Outcome}: {result.Detail}");
            }
        }

        if (options.Suite == "scan")
        {
            text.AppendLine("- rows/s and MB/s count the rows and data file bytes of the files the case has to consider: all of lineitem, or the one month's partition for `pruned`.");
        }

        text.AppendLine();
        File.AppendAllText(path, text.ToString());
        return path;
    }

    /// <summary>The results file of a day and machine, <c>benchmarks/results/&lt;yyyy-MM-dd&gt;-&lt;machine&gt;.md</c>; creates the folder.</summary>
    public static string ResultsPath(string machine, DateTime utcNow)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "benchmarks", "results");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{utcNow:yyyy-MM-dd}-{SafeName(machine)}.md");
    }

    public static IEnumerable<string> MachineFacts(BenchmarkOptions options, string duckVersion)
    {
        yield return $"machine: {options.Machine}, {Environment.ProcessorCount} logical cores{CpuModel()}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB memory available";
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}";
        yield return $"DuckDB: {duckVersion}";
        yield return $"threads: {options.Threads} (DuckDB `SET threads`; ours: scan fragments in flight, other parallelism follows the {Environment.ProcessorCount} cores), runs: {options.Runs}";
    }

    internal static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return string.Empty;
        }

        foreach (var line in File.ReadLines(cpuInfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is int colon and > 0)
            {
                return " (" + line[(colon + 1)..].Trim() + ")";
            }
        }

        return string.Empty;
    }

    private static string SafeName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return safe.Length == 0 ? "machine" : safe.ToString();
    }

    private static string Ms(double? ms) => ms is { } value ? value.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double? ratio) => ratio is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string PerSecond(double amount, double? ms) =>
        ms is { } value && value > 0 && amount > 0 ? (amount / (value / 1000)).ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Outcome(CaseResult result) => result.Outcome switch
    {
        CaseOutcome.Same => "same",
        CaseOutcome.Differs => "**DIFFERENT**",
        CaseOutcome.TimedOut => "**TIMED OUT**",
        _ => "**FAILED**",
    };
}
