using System.Globalization;
using Apache.Arrow;
using Lakehouse.Cli.Demo;
using Lakehouse.Server;
using Lakehouse.Server.Formatting;

namespace Lakehouse.Cli.Commands;

/// <summary>
/// <c>lakehouse demo</c>: writes a small sample warehouse of Iceberg tables, then runs a tour of queries over it with
/// the embedded engine (counts, a group by, partition pruning shown by EXPLAIN, and time travel).
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string DefaultWarehouse = "demo-warehouse";

    private static readonly string[] ValueOptions = ["warehouse"];

    public string Name => "demo";

    public string Usage => "demo [--warehouse <dir>]";

    public string Summary => $"Writes a sample Iceberg warehouse (default ./{DefaultWarehouse}) and runs example queries on it.";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, ValueOptions);
        if (parsed.Positionals.Count != 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}': lakehouse {Usage}");
        }

        var folder = Path.GetFullPath(Path.Combine(context.WorkingDirectory, parsed.Option("warehouse") ?? DefaultWarehouse));
        var stdout = context.Stdout;
        await stdout.WriteLineAsync($"Writing the sample warehouse to {folder}").ConfigureAwait(false);
        var warehouse = DemoWarehouse.Create(folder, stdout);
        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);

        var failures = 0;
        var engine = context.EngineFactory(warehouse.Folder);
        await using (engine.ConfigureAwait(false))
        {
            foreach (var step in Tour(warehouse))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                await stdout.WriteLineAsync("-- " + step.Title).ConfigureAwait(false);
                await stdout.WriteLineAsync("sql> " + step.Sql).ConfigureAwait(false);
                if (!await TryRunAsync(() => RunQueryAsync(engine.QueryService, step.Sql, context), context).ConfigureAwait(false))
                {
                    failures++;
                }

                if (step.Explain)
                {
                    await stdout.WriteLineAsync("sql> EXPLAIN " + step.Sql).ConfigureAwait(false);
                    if (!await TryRunAsync(() => RunExplainAsync(engine.QueryService, "EXPLAIN " + step.Sql, context), context).ConfigureAwait(false))
                    {
                        failures++;
                    }
                }

                await stdout.WriteLineAsync().ConfigureAwait(false);
            }
        }

        if (failures > 0)
        {
            await stdout.WriteLineAsync($"{failures} demo statement(s) failed; the errors are on standard error.").ConfigureAwait(false);
            await stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            return CliApp.Failure;
        }

        await stdout.WriteLineAsync($"Try your own: lakehouse sql \"SELECT * FROM iceberg_scan('{Path.Combine(warehouse.Folder, "orders")}') LIMIT 5\"").ConfigureAwait(false);
        return CliApp.Success;
    }

    /// <summary>Runs one statement; a failure is reported as one coded line and the tour goes on.</summary>
    private static async Task<bool> TryRunAsync(Func<Task> run, CliContext context)
    {
        try
        {
            await run().ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var report = LakehouseErrors.Describe(exception);
            await context.Stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            await context.Stderr.WriteLineAsync($"lakehouse: error [{report.Code}]: {report.Message}").ConfigureAwait(false);
            await context.Stderr.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>The queries the demo runs, in order; table names resolve against the warehouse folder.</summary>
    public static IReadOnlyList<DemoStep> Tour(DemoWarehouseResult warehouse)
    {
        var firstEventsSnapshot = warehouse["events"].Table.Metadata.Snapshots[0].SnapshotId.ToString(CultureInfo.InvariantCulture);
        var lastDays = SampleData.FirstDay.AddDays(DemoWarehouse.EventsFirstAppendDays + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ordersFrom = SampleData.FirstDay.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ordersTo = SampleData.FirstDay.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            new("How many events are there?", "SELECT count(*) AS events FROM iceberg_scan('events')", Explain: false),
            new("A peek at the orders", "SELECT * FROM iceberg_scan('orders') ORDER BY order_id LIMIT 5", Explain: false),
            new(
                "Events and revenue by type",
                "SELECT event_type, count(*) AS events, sum(amount) AS revenue FROM iceberg_scan('events') GROUP BY event_type ORDER BY events DESC",
                Explain: false),
            new(
                "A day range: only the matching daily partitions are read",
                $"SELECT count(*) AS events FROM iceberg_scan('events') WHERE event_time >= TIMESTAMP '{lastDays} 00:00:00 UTC'",
                Explain: true),
            new(
                "Orders on two days (partition pruning on a date column)",
                $"SELECT order_date, count(*) AS orders, sum(total) AS revenue FROM iceberg_scan('orders') WHERE order_date BETWEEN DATE '{ordersFrom}' AND DATE '{ordersTo}' GROUP BY order_date ORDER BY order_date",
                Explain: true),
            new(
                "Revenue by customer country (a join)",
                "SELECT c.country, count(*) AS orders, sum(o.total) AS revenue FROM iceberg_scan('orders') o JOIN iceberg_scan('customers') c ON o.customer = c.customer GROUP BY c.country ORDER BY revenue DESC",
                Explain: false),
            new(
                "Time travel: the events table as of its first snapshot",
                $"SELECT count(*) AS events FROM iceberg_scan('events') FOR VERSION AS OF {firstEventsSnapshot}",
                Explain: false),
        ];
    }

    private static async Task RunQueryAsync(IQueryService queryService, string sql, CliContext context)
    {
        var result = await queryService.ExecuteAsync(sql, context.CancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            await ResultFormatter.WriteAsync(result.Schema, result.ReadAllAsync(context.CancellationToken), ResultFormat.Table, context.Stdout, context.CancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>EXPLAIN answers with lines of plan text; they read best printed as they are.</summary>
    private static async Task RunExplainAsync(IQueryService queryService, string sql, CliContext context)
    {
        var result = await queryService.ExecuteAsync(sql, context.CancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            if (result.Schema.FieldsList.Count != 1 || result.Schema.FieldsList[0].DataType is not Apache.Arrow.Types.StringType)
            {
                await ResultFormatter.WriteAsync(result.Schema, result.ReadAllAsync(context.CancellationToken), ResultFormat.Table, context.Stdout, context.CancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            await foreach (var batch in result.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                var lines = (StringArray)batch.Column(0);
                for (var i = 0; i < lines.Length; i++)
                {
                    await context.Stdout.WriteLineAsync("  " + (lines.GetString(i) ?? string.Empty)).ConfigureAwait(false);
                }
            }
        }
    }
}

/// <summary>One query of the demo tour.</summary>
public sealed record DemoStep(string Title, string Sql, bool Explain);
