using Lakehouse.Server;
using Lakehouse.Server.Distributed;

namespace Lakehouse.Cli.Commands;

/// <summary><c>lakehouse serve</c>: coordinator (Flight SQL) and worker in one process until interrupted.</summary>
public sealed class ServeCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["port", "host", "workers", "tables"];

    public string Name => "serve";

    public string Usage => $"serve [--port N] [--host H] [--workers grpc://host:port,...] [--tables <folder of Parquet table folders>]";

    public string Summary => $"Serves Flight SQL (default 127.0.0.1:{LakehouseServerOptions.DefaultPort}) and runs scan fragments over Flight on its own worker endpoint, or on --workers (other `lakehouse serve` processes); stops on Ctrl+C or SIGTERM.";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, ValueOptions);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}' for 'serve'");
        }

        var port = parsed.IntOption("port", LakehouseServerOptions.DefaultPort, 0, 65535);
        var host = parsed.Option("host") ?? "127.0.0.1";

        var engine = SqlCommand.EngineFor(context, parsed.Option("tables"));
        await using (engine.ConfigureAwait(false))
        {
            var server = await LakehouseServer.StartAsync(
                new LakehouseServerOptions
                {
                    Host = host,
                    Port = port,
                    QueryService = engine.QueryService,
                    LocalWorker = engine.LocalWorker,
                },
                context.CancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                // Fragments always cross a Flight DoGet, also to this process's own worker endpoint.
                var workerAddresses = parsed.Option("workers") is { } list
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [server.Address];
                var workers = new List<FlightWorkerClient>(workerAddresses.Length);
                foreach (var address in workerAddresses)
                {
                    workers.Add(new FlightWorkerClient(address));
                }

                engine.UseWorkers(workers);
                await context.Stdout.WriteLineAsync($"lakehouse: Flight SQL listening on {server.Address}").ConfigureAwait(false);
                await context.Stdout.FlushAsync().ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                {
                    // Interrupted: fall through to a clean shutdown.
                }
                finally
                {
                    foreach (var worker in workers)
                    {
                        worker.Dispose();
                    }
                }
            }
        }

        return CliApp.Success;
    }
}
