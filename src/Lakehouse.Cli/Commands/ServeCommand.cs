using Lakehouse.Server;

namespace Lakehouse.Cli.Commands;

/// <summary><c>lakehouse serve</c>: coordinator (Flight SQL) and worker in one process until interrupted.</summary>
public sealed class ServeCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["port", "host"];

    public string Name => "serve";

    public string Usage => $"serve [--port N] [--host H]";

    public string Summary => $"Serves Flight SQL (default 127.0.0.1:{LakehouseServerOptions.DefaultPort}) with an in-process worker; stops on Ctrl+C or SIGTERM.";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, ValueOptions);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}' for 'serve'");
        }

        var port = parsed.IntOption("port", LakehouseServerOptions.DefaultPort, 0, 65535);
        var host = parsed.Option("host") ?? "127.0.0.1";

        var engine = context.EngineFactory(context.WorkingDirectory);
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
            }
        }

        return CliApp.Success;
    }
}
