using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Storage;

namespace Lakehouse.Benchmarks;

/// <summary>
/// Planning at scale: loads the synthetic table's metadata and plans a scan selecting 1% of its day
/// partitions with the Iceberg scan planner, then through the SQL engine (<c>EXPLAIN</c>). Checks that exactly
/// the files of the selected days come back, and reports wall time, allocations and the peak working set.
/// </summary>
public static class PlanningSuite
{
    public static async Task<int> RunAsync(BenchmarkOptions options, TextWriter log)
    {
        var layout = new SyntheticTableLayout(options.Manifests, options.Files);
        bool generated = SyntheticTableGenerator.Prepare(layout, options.WorkFolder, log);
        string tablesFolder = SyntheticTableGenerator.TablesFolder(options.WorkFolder);
        string tableFolder = Path.Combine(tablesFolder, SyntheticTableLayout.TableName);

        // A generation in this process would dominate the peak working set: drop what it left and restart the peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        bool peakReset = ResetPeakWorkingSet();

        int selectedDays = Math.Max(1, layout.Partitions / 100);
        int firstDay = (layout.Partitions - selectedDays) / 2;
        long fromMicros = SyntheticTableLayout.DayStartMicros(firstDay);
        long toMicros = SyntheticTableLayout.DayStartMicros(firstDay + selectedDays);
        var filter = new And(
            new Comparison(SyntheticTableLayout.TsFieldId, ComparisonOperator.GreaterThanOrEqual, fromMicros),
            new Comparison(SyntheticTableLayout.TsFieldId, ComparisonOperator.LessThan, toMicros));
        int expectedFirstFile = layout.FirstFileOfDay(firstDay);
        int expectedFiles = layout.FirstFileOfDay(firstDay + selectedDays) - expectedFirstFile;
        log.WriteLine($"query: ts in [{SyntheticTableLayout.DayText(firstDay)}, {SyntheticTableLayout.DayText(firstDay + selectedDays)}): {selectedDays} of {layout.Partitions} day partitions, {expectedFiles} data files expected");

        var planner = new List<PlanningRun>(options.Runs);
        ScanMetrics? metrics = null;
        for (int run = 0; run <= options.Runs; run++)
        {
            var (timing, result) = PlanOnce(tableFolder, filter);
            string? wrong = CheckSelection(layout, tableFolder, result, expectedFirstFile, expectedFiles);
            if (wrong is not null)
            {
                log.WriteLine($"error: the planner selected the wrong files: {wrong}");
                return 1;
            }

            metrics = result.Metrics;
            if (run > 0)
            {
                planner.Add(timing);
            }
        }

        long peakAfterPlanner = Process.GetCurrentProcess().PeakWorkingSet64;

        string sql = string.Create(
            CultureInfo.InvariantCulture,
            $"EXPLAIN SELECT count(*) FROM {SyntheticTableLayout.TableName} WHERE ts >= TIMESTAMP '{SyntheticTableLayout.DayText(firstDay)} 00:00:00' AND ts < TIMESTAMP '{SyntheticTableLayout.DayText(firstDay + selectedDays)} 00:00:00'");
        var engine = new OurEngineRunner(tablesFolder, options.Threads);
        var viaSql = new List<PlanningRun>(options.Runs);
        string? sqlProblem = null;
        string expectedLine = string.Create(CultureInfo.InvariantCulture, $"data files: {expectedFiles} kept");
        for (int run = 0; run <= options.Runs && sqlProblem is null; run++)
        {
            try
            {
                var (timing, explain) = await ExplainOnce(engine, sql).ConfigureAwait(false);
                if (!explain.Contains(expectedLine, StringComparison.Ordinal))
                {
                    sqlProblem = $"EXPLAIN does not report '{expectedLine}':\n{explain}";
                }
                else if (run > 0)
                {
                    viaSql.Add(timing);
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                sqlProblem = $"{error.GetType().Name}: {error.Message}";
            }
        }

        long peakAfterSql = Process.GetCurrentProcess().PeakWorkingSet64;
        var summary = new PlanningSummary(layout, options, metrics!, planner, viaSql, sql, sqlProblem, peakAfterPlanner, peakAfterSql, peakReset || !generated);
        log.WriteLine();
        foreach (var fact in summary.MachineFacts())
        {
            log.WriteLine(fact);
        }

        log.WriteLine();
        log.Write(summary.Table());
        log.WriteLine();
        foreach (var note in summary.Notes())
        {
            log.WriteLine(note);
        }

        string report = summary.AppendToResults();
        log.WriteLine($"results appended to {report}");
        if (sqlProblem is not null)
        {
            log.WriteLine($"error: planning through SQL failed: {sqlProblem}");
        }

        log.WriteLine(summary.LastLine());
        return sqlProblem is null ? 0 : 1;
    }

    private static (PlanningRun Timing, IcebergScanResult Result) PlanOnce(string tableFolder, IcebergExpression filter)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var table = IcebergTable.Load(LocalFileIO.Instance, tableFolder);
        double loadMs = watch.Elapsed.TotalMilliseconds;
        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, filter);
        double totalMs = watch.Elapsed.TotalMilliseconds;
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (new PlanningRun(totalMs, loadMs, cpuMs, allocated), result);
    }

    private static async Task<(PlanningRun Timing, string Explain)> ExplainOnce(OurEngineRunner engine, string sql)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var batches = await engine.RunAsync(sql, keep: true, CancellationToken.None).ConfigureAwait(false);
        double totalMs = watch.Elapsed.TotalMilliseconds;
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var text = new StringBuilder();
        foreach (var batch in batches!)
        {
            for (int c = 0; c < batch.ColumnCount; c++)
            {
                if (batch.Column(c) is StringArray lines)
                {
                    for (int row = 0; row < lines.Length; row++)
                    {
                        text.AppendLine(lines.GetString(row));
                    }
                }
            }

            batch.Dispose();
        }

        return (new PlanningRun(totalMs, 0, cpuMs, allocated), text.ToString());
    }

    /// <summary>Null when the plan holds exactly the data files of the selected days, else what is wrong.</summary>
    private static string? CheckSelection(SyntheticTableLayout layout, string tableFolder, IcebergScanResult result, int expectedFirstFile, int expectedFiles)
    {
        if (result.Tasks.Count != expectedFiles)
        {
            return $"{result.Tasks.Count} files, expected {expectedFiles}";
        }

        string location = IcebergTable.Load(LocalFileIO.Instance, tableFolder).Metadata.Location;
        var expected = new HashSet<string>(expectedFiles, StringComparer.Ordinal);
        for (int file = expectedFirstFile; file < expectedFirstFile + expectedFiles; file++)
        {
            expected.Add(SyntheticTableLayout.DataFilePath(location, layout.DayOfFile(file), file));
        }

        foreach (var task in result.Tasks)
        {
            if (!expected.Remove(task.File.RecordedPath))
            {
                return $"'{task.File.RecordedPath}' is not a file of the selected days, or is listed twice";
            }
        }

        return null;
    }

    /// <summary>Linux keeps the peak resident set (VmHWM) until told to restart it through <c>clear_refs</c>.</summary>
    private static bool ResetPeakWorkingSet()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>One timed planning: wall time (load + plan), the metadata load's share, CPU time of the process (all threads), bytes allocated.</summary>
public sealed record PlanningRun(double TotalMs, double LoadMs, double CpuMs, long AllocatedBytes);

/// <summary>The planning suite's figures as a console table, a Markdown section and the last line.</summary>
public sealed class PlanningSummary(
    SyntheticTableLayout layout,
    BenchmarkOptions options,
    ScanMetrics metrics,
    IReadOnlyList<PlanningRun> planner,
    IReadOnlyList<PlanningRun> viaSql,
    string sql,
    string? sqlProblem,
    long peakAfterPlanner,
    long peakAfterSql,
    bool peakIsPlanningOnly)
{
    private const double OneSecondMs = 1000;
    private const long OneGiB = 1024L * 1024 * 1024;

    public double MedianMs => Median(planner, run => run.TotalMs);

    public bool MeetsTarget => MedianMs < OneSecondMs && Max(planner, run => run.TotalMs) < OneSecondMs && peakAfterPlanner < OneGiB;

    public IEnumerable<string> MachineFacts()
    {
        yield return $"machine: {options.Machine}, {Environment.ProcessorCount} logical cores{MarkdownReport.CpuModel()}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB memory available";
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}";
        yield return $"runs: {options.Runs} after one warm-up; SQL scan fragments in flight: {options.Threads}";
        if (LoadAverage() is { } load)
        {
            yield return $"load average (1, 5, 15 min) when the runs ended: {load} (other processes share the cores: compare CPU ms where it is high)";
        }

        yield return $"table: {layout.Manifests} manifests (Avro, deflate), {layout.Files} data files, {layout.Partitions} day(ts) partitions, 5 columns with metrics; one snapshot";
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| path | median ms | max ms | metadata load ms (median) | CPU ms (median) | allocated MiB per planning (median) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Iceberg scan planner (load metadata + plan) | {Median(planner, r => r.TotalMs):F1} | {Max(planner, r => r.TotalMs):F1} | {Median(planner, r => r.LoadMs):F1} | {Median(planner, r => r.CpuMs):F0} | {Median(planner, r => r.AllocatedBytes) / (1024.0 * 1024):F1} |");
        if (viaSql.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| SQL engine `EXPLAIN` | {Median(viaSql, r => r.TotalMs):F1} | {Max(viaSql, r => r.TotalMs):F1} | - | {Median(viaSql, r => r.CpuMs):F0} | {Median(viaSql, r => r.AllocatedBytes) / (1024.0 * 1024):F1} |");
        }
        else
        {
            text.AppendLine("| SQL engine `EXPLAIN` | **FAILED** | - | - | - | - |");
        }

        return text.ToString();
    }

    public IEnumerable<string> Notes()
    {
        yield return $"scan: {metrics}";
        yield return string.Create(CultureInfo.InvariantCulture, $"peak working set: {Mib(peakAfterPlanner)} MiB after the planner runs, {Mib(peakAfterSql)} MiB after the SQL runs (whole process{(peakIsPlanningOnly ? string.Empty : ", including this run's generation of the table: run again for the planning-only figure")})");
        yield return $"target (under 1 s and 1 GiB): {(MeetsTarget ? "met" : "NOT met")}";
    }

    public string LastLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"planning {MedianMs:F1} ms median, peak working set {Mib(peakAfterPlanner)} MiB, {metrics.DataFilesKept} of {layout.Files} files from {metrics.ManifestsScanned} of {metrics.ManifestsTotal} manifests");

    /// <summary>Appends this run's section to <c>benchmarks/results/&lt;date&gt;-&lt;machine&gt;.md</c> and returns the file's path.</summary>
    public string AppendToResults()
    {
        var now = DateTime.UtcNow;
        string path = MarkdownReport.ResultsPath(options.Machine, now);
        var text = new StringBuilder();
        if (!File.Exists(path))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results, {now:yyyy-MM-dd}, {options.Machine}");
            text.AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"## planning, {layout.Manifests} manifests x {layout.Files} files ({now:HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(options.CommandLine);
        text.AppendLine("```");
        text.AppendLine();
        foreach (var fact in MachineFacts())
        {
            text.AppendLine("- " + fact);
        }

        text.AppendLine("- query: `" + sql + "` (1% of the partitions); the planner gets the same range as an Iceberg filter on `ts`");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        foreach (var note in Notes())
        {
            text.AppendLine("- " + note);
        }

        if (sqlProblem is not null)
        {
            text.AppendLine("- SQL engine: " + sqlProblem.ReplaceLineEndings(" "));
        }

        text.AppendLine();
        text.AppendLine("`" + LastLine() + "`");
        text.AppendLine();
        File.AppendAllText(path, text.ToString());
        return path;
    }

    private static string? LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? $"{parts[0]}, {parts[1]}, {parts[2]}" : null;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture);

    private static double Median(IReadOnlyList<PlanningRun> runs, Func<PlanningRun, double> value)
    {
        if (runs.Count == 0)
        {
            return double.NaN;
        }

        var values = new double[runs.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(runs[i]);
        }

        System.Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double Max(IReadOnlyList<PlanningRun> runs, Func<PlanningRun, double> value)
    {
        double max = double.NaN;
        foreach (var run in runs)
        {
            double v = value(run);
            max = double.IsNaN(max) || v > max ? v : max;
        }

        return max;
    }
}
