using System.Reflection;
using Lakehouse.Cli.Commands;
using Lakehouse.Server;

namespace Lakehouse.Cli;

/// <summary>
/// Entry point of the <c>lakehouse</c> command. Each verb is one <see cref="ICliCommand"/> class in
/// <c>Commands/</c>; they are discovered here, so adding a verb means adding one file.
/// </summary>
public static class CliApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory) =>
        RunAsync(args, stdout, stderr, workingDirectory, CancellationToken.None);

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, workingDirectory, EmbeddedEngine.Create, cancellationToken);

    /// <param name="engineFactory">Builds the embedded engine for a base directory (replaceable in tests).</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        string workingDirectory,
        Func<string, IEngineHost> engineFactory,
        CancellationToken cancellationToken)
    {
        var context = new CliContext(stdout, stderr, workingDirectory, engineFactory, cancellationToken);
        try
        {
            if (args.Length == 0)
            {
                throw new CliUsageException("missing command; run 'lakehouse --help' for usage");
            }

            var verb = args[0];
            if (verb is "--help" or "-h" or "help")
            {
                await stdout.WriteAsync(HelpText()).ConfigureAwait(false);
                return Success;
            }

            if (verb is "--version" or "-V" or "version")
            {
                await stdout.WriteLineAsync($"lakehouse {Version}").ConfigureAwait(false);
                return Success;
            }

            var command = FindCommand(verb)
                ?? throw new CliUsageException($"unknown command '{verb}'; run 'lakehouse --help' for usage");
            var arguments = args[1..];
            if (Array.Exists(arguments, argument => argument is "--help" or "-h"))
            {
                await stdout.WriteLineAsync($"usage: lakehouse {command.Usage}").ConfigureAwait(false);
                await stdout.WriteLineAsync(command.Summary).ConfigureAwait(false);
                return Success;
            }

            return await command.RunAsync(context, arguments).ConfigureAwait(false);
        }
        catch (CliUsageException usage)
        {
            await ReportAsync(stderr, new ErrorReport(CliUsageException.UsageCode, usage.Message)).ConfigureAwait(false);
            return UsageError;
        }
        catch (Exception exception)
        {
            await ReportAsync(stderr, LakehouseErrors.Describe(exception)).ConfigureAwait(false);
            return Failure;
        }
    }

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    public static IReadOnlyList<ICliCommand> Commands { get; } = DiscoverCommands();

    private static ICliCommand? FindCommand(string verb)
    {
        foreach (var command in Commands)
        {
            if (string.Equals(command.Name, verb, StringComparison.Ordinal))
            {
                return command;
            }
        }

        return null;
    }

    private static ICliCommand[] DiscoverCommands()
    {
        var commands = new List<ICliCommand>();
        foreach (var type in typeof(CliApp).Assembly.GetTypes())
        {
            if (type is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                commands.Add((ICliCommand)Activator.CreateInstance(type)!);
            }
        }

        commands.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        return [.. commands];
    }

    private static string HelpText()
    {
        var text = new System.Text.StringBuilder();
        text.Append("lakehouse ").Append(Version).Append(" - SQL over Apache Iceberg tables\n\n");
        text.Append("usage: lakehouse <command> [options]\n\ncommands:\n");
        foreach (var command in Commands)
        {
            text.Append("  ").Append(command.Usage).Append('\n');
            text.Append("      ").Append(command.Summary).Append('\n');
        }

        text.Append("\noptions:\n  --help       show this help\n  --version    show the version\n");
        return text.ToString();
    }

    private static async Task ReportAsync(TextWriter stderr, ErrorReport report)
    {
        await stderr.WriteLineAsync($"lakehouse: error [{report.Code}]: {report.Message}").ConfigureAwait(false);
        await stderr.FlushAsync().ConfigureAwait(false);
    }
}
