using System.Globalization;
using Lakehouse.Benchmarks;

try
{
    var options = BenchmarkOptions.Parse(args);
    if (options.Suite == "planning")
    {
        return await PlanningSuite.RunAsync(options, Console.Out);
    }

    var data = TpchIcebergData.Prepare(options.ScaleFactor, options.WorkFolder, Console.Out);
    var cases = options.Suite == "scan" ? Suites.Scan(data, options.ScaleFactor) : Suites.Tpch(options.Queries);
    using var duck = new DuckDbRunner(data, options.Threads);
    var ours = new OurEngineRunner(data.TablesFolder, options.Threads);
    var runner = new BenchmarkRunner(ours, duck, options.Runs, TimeSpan.FromSeconds(options.TimeoutSeconds), Console.Out);
    var results = new List<CaseResult>(cases.Count);
    foreach (var benchmarkCase in cases)
    {
        results.Add(await runner.RunAsync(benchmarkCase));
    }

    long bytes = 0;
    foreach (var file in data.Files)
    {
        bytes += file.Bytes;
    }

    string dataSummary = string.Create(
        CultureInfo.InvariantCulture,
        $"{data.Files.Count} Iceberg data files, {bytes / (1024.0 * 1024):F1} MiB (lineitem by month(l_shipdate), orders by month(o_orderdate), zstd Parquet)");
    var report = MarkdownReport.Write(options, results, duck.Version, dataSummary);
    Console.WriteLine();
    foreach (var fact in MarkdownReport.MachineFacts(options, duck.Version))
    {
        Console.WriteLine(fact);
    }

    Console.WriteLine();
    Console.Write(MarkdownReport.Table(options, results));
    Console.WriteLine();
    Console.WriteLine($"results appended to {report}");
    bool allSame = results.TrueForAll(result => result.Outcome == CaseOutcome.Same);
    if (!allSame)
    {
        Console.WriteLine("some answers differ, timed out or failed: see the table");
    }

    Console.WriteLine(MarkdownReport.GeoMeanLine(results, options.ScaleText));
    return allSame ? 0 : 1;
}
catch (BenchmarkException error)
{
    Console.Error.WriteLine($"error {error.Code}: {error.Message}");
    return 2;
}
