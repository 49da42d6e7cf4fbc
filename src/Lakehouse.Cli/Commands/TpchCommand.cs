using System.Globalization;
using Lakehouse.Cli.Tpch;

namespace Lakehouse.Cli.Commands;

/// <summary>
/// <c>lakehouse tpch generate --sf &lt;scale&gt; --output &lt;dir&gt;</c>: writes the TPC-H tables as
/// Parquet files, one folder per table, readable with <c>read_parquet('&lt;dir&gt;/&lt;table&gt;')</c>.
/// </summary>
public sealed class TpchCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["sf", "output", "seed", "rows-per-file", "threads"];

    public string Name => "tpch";

    public string Usage => "tpch generate --sf <scale> --output <dir> [--seed N] [--rows-per-file N] [--threads N]";

    public string Summary => "Generates the TPC-H tables as Parquet files (<dir>/<table>/part-*.parquet); query them with read_parquet('<dir>/<table>').";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, ValueOptions);
        if (parsed.Positionals.Count != 1 || parsed.Positionals[0] != "generate")
        {
            throw new CliUsageException(parsed.Positionals.Count == 0
                ? $"missing subcommand: lakehouse {Usage}"
                : $"unknown subcommand '{parsed.Positionals[0]}': lakehouse {Usage}");
        }

        var scaleText = parsed.Option("sf") ?? throw new CliUsageException($"missing --sf <scale>: lakehouse {Usage}");
        if (!double.TryParse(scaleText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var scale) || scale <= 0 || scale > 100_000)
        {
            throw new CliUsageException($"option '--sf' must be a positive number such as 0.1 or 10, got '{scaleText}'");
        }

        var output = parsed.Option("output") ?? throw new CliUsageException($"missing --output <dir>: lakehouse {Usage}");
        var seedText = parsed.Option("seed");
        long seed = TpchGenerator.DefaultSeed;
        if (seedText is not null && !long.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
        {
            throw new CliUsageException($"option '--seed' must be an integer, got '{seedText}'");
        }

        var rowsPerFile = parsed.IntOption("rows-per-file", TpchGenerator.DefaultRowsPerFile, 1_000, int.MaxValue);
        var threads = parsed.IntOption("threads", Environment.ProcessorCount, 1, 1_024);
        var folder = Path.GetFullPath(Path.Combine(context.WorkingDirectory, output));
        var stdout = context.Stdout;
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Generating TPC-H scale factor {scale} into {folder} (seed {seed})")).ConfigureAwait(false);
        await stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);

        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new TpchOptions(scale, folder, seed, rowsPerFile, threads);
        var run = Task.Run(
            () => TpchGenerator.Generate(
                options,
                table => messages.Enqueue(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {table.Table,-9} {table.Rows,12:N0} rows in {table.Files} file(s)  [{table.Elapsed.TotalSeconds:F1} s]")),
                context.CancellationToken),
            context.CancellationToken);

        // Progress lines are produced on generator threads; print them here, in completion order.
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(100, context.CancellationToken)).ConfigureAwait(false);
            await DrainAsync(messages, context).ConfigureAwait(false);
        }

        var summaries = await run.ConfigureAwait(false);
        await DrainAsync(messages, context).ConfigureAwait(false);
        long total = 0;
        foreach (var summary in summaries)
        {
            total += summary.Rows;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Done: {total:N0} rows. Try: lakehouse sql \"SELECT count(*) FROM read_parquet('{Path.Combine(folder, "lineitem")}')\"")).ConfigureAwait(false);
        return CliApp.Success;
    }

    private static async Task DrainAsync(System.Collections.Concurrent.ConcurrentQueue<string> messages, CliContext context)
    {
        var any = false;
        while (messages.TryDequeue(out var line))
        {
            await context.Stdout.WriteLineAsync(line).ConfigureAwait(false);
            any = true;
        }

        if (any)
        {
            await context.Stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }
}
