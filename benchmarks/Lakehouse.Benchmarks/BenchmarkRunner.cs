using System.Diagnostics;
using Apache.Arrow;

namespace Lakehouse.Benchmarks;

/// <summary>One query of a suite; <paramref name="InputRows"/> and <paramref name="InputBytes"/> are what it scans (for rows/s and MB/s), 0 when not reported.</summary>
public sealed record BenchmarkCase(string Name, string Sql, long InputRows = 0, long InputBytes = 0);

public enum CaseOutcome
{
    Same,
    Differs,
    TimedOut,
    Failed,
}

/// <summary>Medians in milliseconds; ours is null when it timed out or failed.</summary>
public sealed record CaseResult(BenchmarkCase Case, double? OursMs, double? DuckMs, CaseOutcome Outcome, string? Detail)
{
    public double? Ratio => OursMs is { } ours && DuckMs is { } duck && duck > 0 ? ours / duck : null;
}

/// <summary>
/// Runs each case on both engines: one warm-up run each (whose answers are compared), then the timed
/// runs, alternating which engine goes first.
/// </summary>
public sealed class BenchmarkRunner(OurEngineRunner ours, DuckDbRunner duck, int runs, TimeSpan timeout, TextWriter log)
{
    public async Task<CaseResult> RunAsync(BenchmarkCase benchmarkCase)
    {
        log.Write($"{benchmarkCase.Name,-10} ");
        List<object?[]> duckRows;
        try
        {
            duckRows = duck.Run(benchmarkCase.Sql, keep: true)!;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Report(new CaseResult(benchmarkCase, null, null, CaseOutcome.Failed, "DuckDB: " + OneLine(error)));
        }

        List<RecordBatch> ourBatches;
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            ourBatches = (await RunOursAsync(benchmarkCase.Sql, keep: true, deadline.Token).ConfigureAwait(false))!;
        }
        catch (Exception error) when (error is OperationCanceledException or TimeoutException)
        {
            return Report(new CaseResult(benchmarkCase, null, TimeDuck(benchmarkCase.Sql), CaseOutcome.TimedOut, $"over {timeout.TotalSeconds:F0} s"));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Report(new CaseResult(benchmarkCase, null, TimeDuck(benchmarkCase.Sql), CaseOutcome.Failed, OneLine(error)));
        }

        string? difference = AnswerComparison.Difference(duckRows, ourBatches, AnswerComparison.IsOrdered(benchmarkCase.Sql));
        var ourTimes = new double[runs];
        var duckTimes = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            bool duckFirst = run % 2 == 1;
            if (duckFirst)
            {
                duckTimes[run] = TimeDuckOnce(benchmarkCase.Sql);
            }

            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                var watch = Stopwatch.StartNew();
                await RunOursAsync(benchmarkCase.Sql, keep: false, deadline.Token).ConfigureAwait(false);
                ourTimes[run] = watch.Elapsed.TotalMilliseconds;
            }
            catch (Exception error) when (error is OperationCanceledException or TimeoutException)
            {
                return Report(new CaseResult(benchmarkCase, null, TimeDuck(benchmarkCase.Sql), CaseOutcome.TimedOut, $"run {run + 1} over {timeout.TotalSeconds:F0} s"));
            }

            if (!duckFirst)
            {
                duckTimes[run] = TimeDuckOnce(benchmarkCase.Sql);
            }
        }

        var outcome = difference is null ? CaseOutcome.Same : CaseOutcome.Differs;
        return Report(new CaseResult(benchmarkCase, Median(ourTimes), Median(duckTimes), outcome, difference));
    }

    // An operator that misses the cancellation must not hang the benchmark: stop waiting a little after the deadline.
    private Task<List<RecordBatch>?> RunOursAsync(string sql, bool keep, CancellationToken cancellationToken) =>
        ours.RunAsync(sql, keep, cancellationToken).WaitAsync(timeout + TimeSpan.FromSeconds(5));

    private CaseResult Report(CaseResult result)
    {
        log.WriteLine(
            $"ours {Format(result.OursMs),10} ms   duckdb {Format(result.DuckMs),10} ms   ratio {(result.Ratio is { } r ? r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-"),6}   {result.Outcome}{(result.Detail is null ? string.Empty : ": " + result.Detail)}");
        return result;
    }

    private static string Format(double? ms) => ms is { } value ? value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private double TimeDuck(string sql)
    {
        var times = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            times[run] = TimeDuckOnce(sql);
        }

        return Median(times);
    }

    private double TimeDuckOnce(string sql)
    {
        var watch = Stopwatch.StartNew();
        duck.Run(sql, keep: false);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        System.Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string OneLine(Exception error)
    {
        var code = error.GetType().GetProperty("Code")?.GetValue(error) as string;
        var message = error.Message.ReplaceLineEndings(" ");
        return code is null ? $"{error.GetType().Name}: {message}" : $"{code}: {message}";
    }
}
