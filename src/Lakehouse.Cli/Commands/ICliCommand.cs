using Lakehouse.Server;

namespace Lakehouse.Cli.Commands;

/// <summary>One verb of the <c>lakehouse</c> command. Implementations need a parameterless constructor.</summary>
public interface ICliCommand
{
    /// <summary>The verb, e.g. <c>sql</c>.</summary>
    string Name { get; }

    /// <summary>Synopsis after <c>lakehouse</c>, e.g. <c>sql "&lt;SQL&gt;" [--format table|csv|jsonl]</c>.</summary>
    string Usage { get; }

    string Summary { get; }

    /// <summary>Runs the verb; returns the exit code. Throw <see cref="CliUsageException"/> for bad arguments.</summary>
    Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments);
}

/// <summary>What a command may use: the console streams, the working directory and the engine factory.</summary>
public sealed record CliContext(
    TextWriter Stdout,
    TextWriter Stderr,
    string WorkingDirectory,
    Func<string, IEngineHost> EngineFactory,
    CancellationToken CancellationToken);

/// <summary>Bad command-line arguments; reported with exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message)
{
    public const string UsageCode = "USAGE";

    public string Code => UsageCode;
}
