using System.Diagnostics;
using System.Globalization;

namespace Lakehouse.Cli.Tpch;

/// <param name="ScaleFactor">TPC-H scale factor; 1 is about 1 GB of raw data (6 million line items).</param>
/// <param name="OutputDirectory">Tables go to <c>&lt;dir&gt;/&lt;table&gt;/part-NNNNN.parquet</c>.</param>
/// <param name="Seed">Same seed and scale, same data, whatever the parallelism.</param>
/// <param name="RowsPerFile">About how many rows a file of a big table holds.</param>
/// <param name="Parallelism">Files generated at once; does not change the output.</param>
public sealed record TpchOptions(
    double ScaleFactor,
    string OutputDirectory,
    long Seed = TpchGenerator.DefaultSeed,
    int RowsPerFile = TpchGenerator.DefaultRowsPerFile,
    int Parallelism = 0);

/// <summary>What was written for one table.</summary>
public sealed record TpchTableSummary(string Table, long Rows, int Files, TimeSpan Elapsed);

/// <summary>
/// Writes the eight TPC-H tables as Parquet files, following the data generation rules of the
/// TPC-H specification (clause 4.2): cardinalities, key ranges, value domains and derived columns.
/// </summary>
public static class TpchGenerator
{
    public const long DefaultSeed = 19_920_101;
    public const int DefaultRowsPerFile = 1_000_000;

    /// <summary>Error code for invalid generator options.</summary>
    public const string InvalidOptionCode = "INVALID_ARGUMENT";

    /// <summary>Error code for output files or folders that cannot be written.</summary>
    public const string WriteFailedCode = "WRITE_FAILED";

    public static IReadOnlyList<string> Tables { get; } = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"];

    /// <summary>Rows of every table except lineitem (whose count is random: 1 to 7 per order).</summary>
    public static long ExpectedRows(string table, double scaleFactor)
    {
        var scale = new TpchScale(scaleFactor);
        return table switch
        {
            "region" => TpchText.Regions.Length,
            "nation" => TpchText.Nations.Length,
            "supplier" => scale.Suppliers,
            "customer" => scale.Customers,
            "part" => scale.Parts,
            "partsupp" => scale.PartSupps,
            "orders" => scale.Orders,
            _ => throw new ArgumentException($"table '{table}' has no fixed row count", nameof(table)),
        };
    }

    /// <summary>Generates all tables; <paramref name="tableDone"/> is called (from any thread) as each table completes.</summary>
    public static IReadOnlyList<TpchTableSummary> Generate(TpchOptions options, Action<TpchTableSummary>? tableDone = null, CancellationToken ct = default)
    {
        Validate(options);
        var output = Path.GetFullPath(options.OutputDirectory);
        var tables = new TpchTables(new TpchScale(options.ScaleFactor), options.Seed);
        var jobs = PlanJobs(tables.Scale, options.RowsPerFile);
        var progress = new Dictionary<string, TableProgress>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            var folder = Path.Combine(output, table);
            try
            {
                Directory.CreateDirectory(folder);
                foreach (var stale in Directory.EnumerateFiles(folder, "*.parquet"))
                {
                    File.Delete(stale);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TpchException(WriteFailedCode, $"cannot prepare output folder {folder}: {e.Message}", e);
            }

            progress[table] = new TableProgress();
        }

        foreach (var job in jobs)
        {
            foreach (var table in job.Tables)
            {
                progress[table].FilesPending++;
            }
        }

        var clock = Stopwatch.StartNew();
        var next = -1;
        var gate = new object();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = options.Parallelism > 0 ? options.Parallelism : Math.Max(1, Environment.ProcessorCount);
        var threads = new Task[Math.Min(workers, jobs.Count)];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = Task.Factory.StartNew(
                () =>
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < jobs.Count)
                    {
                        failed.Token.ThrowIfCancellationRequested();
                        var job = jobs[index];
                        long[] rows;
                        try
                        {
                            rows = Run(tables, job, output, failed.Token);
                        }
                        catch
                        {
                            failed.Cancel();
                            throw;
                        }

                        lock (gate)
                        {
                            for (var i = 0; i < job.Tables.Length; i++)
                            {
                                var state = progress[job.Tables[i]];
                                state.Rows += rows[i];
                                state.Files++;
                                if (--state.FilesPending == 0)
                                {
                                    state.Summary = new TpchTableSummary(job.Tables[i], state.Rows, state.Files, clock.Elapsed);
                                    tableDone?.Invoke(state.Summary);
                                }
                            }
                        }
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            Task.WaitAll(threads);
        }
        catch (AggregateException e)
        {
            var first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.Flatten().InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        var summaries = new List<TpchTableSummary>(Tables.Count);
        foreach (var table in Tables)
        {
            summaries.Add(progress[table].Summary!);
        }

        return summaries;
    }

    private static void Validate(TpchOptions options)
    {
        if (!double.IsFinite(options.ScaleFactor) || options.ScaleFactor <= 0 || options.ScaleFactor > 100_000)
        {
            throw new TpchException(InvalidOptionCode, $"scale factor must be a number above 0, got {options.ScaleFactor.ToString(CultureInfo.InvariantCulture)}");
        }

        if (options.RowsPerFile < 1_000)
        {
            throw new TpchException(InvalidOptionCode, $"rows per file must be at least 1000, got {options.RowsPerFile}");
        }

        if (string.IsNullOrWhiteSpace(options.OutputDirectory))
        {
            throw new TpchException(InvalidOptionCode, "an output folder is required");
        }
    }

    private sealed class TableProgress
    {
        public int FilesPending;
        public int Files;
        public long Rows;
        public TpchTableSummary? Summary;
    }

    private enum JobKind
    {
        Region,
        Nation,
        Supplier,
        Customer,
        Part,
        PartSupp,
        OrdersAndLineItems,
    }

    /// <param name="First">First row (0-based) of the range; parts for partsupp, orders for lineitem.</param>
    private sealed record Job(JobKind Kind, string[] Tables, int FileIndex, long First, long Count);

    /// <summary>The files to write, biggest first so that the last one to finish is small.</summary>
    private static List<Job> PlanJobs(TpchScale scale, int rowsPerFile)
    {
        var jobs = new List<Job>();
        AddRanges(jobs, JobKind.OrdersAndLineItems, ["orders", "lineitem"], scale.Orders, Math.Max(1, rowsPerFile / 4));
        AddRanges(jobs, JobKind.PartSupp, ["partsupp"], scale.Parts, Math.Max(1, rowsPerFile / 4));
        AddRanges(jobs, JobKind.Part, ["part"], scale.Parts, rowsPerFile);
        AddRanges(jobs, JobKind.Customer, ["customer"], scale.Customers, rowsPerFile);
        AddRanges(jobs, JobKind.Supplier, ["supplier"], scale.Suppliers, rowsPerFile);
        jobs.Add(new Job(JobKind.Nation, ["nation"], 0, 0, TpchText.Nations.Length));
        jobs.Add(new Job(JobKind.Region, ["region"], 0, 0, TpchText.Regions.Length));
        return jobs;
    }

    private static void AddRanges(List<Job> jobs, JobKind kind, string[] tables, long total, long perFile)
    {
        var file = 0;
        for (long first = 0; first < total; first += perFile, file++)
        {
            jobs.Add(new Job(kind, tables, file, first, Math.Min(perFile, total - first)));
        }
    }

    /// <summary>Writes one job's files; returns rows written per table of the job.</summary>
    private static long[] Run(TpchTables tables, Job job, string output, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{job.FileIndex:D5}.parquet");
        try
        {
            return Write(tables, job, output, name, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetSharp.ParquetException)
        {
            throw new TpchException(WriteFailedCode, $"cannot write {Path.Combine(output, job.Tables[0], name)}: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    private static long[] Write(TpchTables tables, Job job, string output, string name, CancellationToken ct)
    {
        switch (job.Kind)
        {
            case JobKind.Region:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "region", name), TpchSchemas.Region);
                    tables.WriteRegion(file);
                    return [file.RowsWritten];
                }

            case JobKind.Nation:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "nation", name), TpchSchemas.Nation);
                    tables.WriteNation(file);
                    return [file.RowsWritten];
                }

            case JobKind.Supplier:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "supplier", name), TpchSchemas.Supplier);
                    tables.WriteSupplier(file, job.First, job.Count, ct);
                    return [file.RowsWritten];
                }

            case JobKind.Customer:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "customer", name), TpchSchemas.Customer);
                    tables.WriteCustomer(file, job.First, job.Count, ct);
                    return [file.RowsWritten];
                }

            case JobKind.Part:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "part", name), TpchSchemas.Part);
                    tables.WritePart(file, job.First, job.Count, ct);
                    return [file.RowsWritten];
                }

            case JobKind.PartSupp:
                {
                    using var file = new TpchParquetFile(Path.Combine(output, "partsupp", name), TpchSchemas.PartSupp);
                    tables.WritePartSupp(file, job.First, job.Count, ct);
                    return [file.RowsWritten];
                }

            default:
                {
                    using var orders = new TpchParquetFile(Path.Combine(output, "orders", name), TpchSchemas.Orders);
                    using var lines = new TpchParquetFile(Path.Combine(output, "lineitem", name), TpchSchemas.LineItem);
                    tables.WriteOrdersAndLineItems(orders, lines, job.First, job.Count, ct);
                    return [orders.RowsWritten, lines.RowsWritten];
                }
        }
    }
}

/// <summary>A failure of the TPC-H generator, with a stable code.</summary>
public sealed class TpchException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
