using Lakehouse.Cli.SqlLogicTest;

namespace Lakehouse.Cli.Commands;

/// <summary><c>lakehouse sqllogictest</c>: runs sqllogictest files, each in a fresh embedded engine.</summary>
public sealed class SqlLogicTestCommand : ICliCommand
{
    private const int ShownFailures = 50;

    public string Name => "sqllogictest";

    public string Usage => "sqllogictest <file or folder> [...]";

    public string Summary => "Runs sqllogictest (.slt/.test) files and reports passed records per file; exit code 0 only if all pass.";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, []);
        if (parsed.Positionals.Count == 0)
        {
            throw new CliUsageException("missing file or folder: lakehouse " + Usage);
        }

        var files = new List<string>();
        foreach (var argument in parsed.Positionals)
        {
            var path = Path.GetFullPath(argument, context.WorkingDirectory);
            try
            {
                files.AddRange(SqlLogicTestRunner.FindFiles(path));
            }
            catch (SqlLogicTestException exception)
            {
                throw new CliUsageException(exception.Message);
            }
        }

        var runner = new SqlLogicTestRunner(() => context.EngineFactory(context.WorkingDirectory));
        int passed = 0;
        int total = 0;
        int shown = 0;
        foreach (var file in files)
        {
            var result = await runner.RunFileAsync(file, context.CancellationToken).ConfigureAwait(false);
            passed += result.Passed;
            total += result.Total;
            var display = Path.GetRelativePath(context.WorkingDirectory, file);
            await context.Stdout.WriteLineAsync($"{display}: {result.Passed}/{result.Total}").ConfigureAwait(false);
            foreach (var failure in result.Failures)
            {
                if (shown++ < ShownFailures)
                {
                    await context.Stdout.WriteLineAsync($"  FAIL {display}:{failure.Line}: {failure.Message}").ConfigureAwait(false);
                }
            }
        }

        if (shown > ShownFailures)
        {
            await context.Stdout.WriteLineAsync($"  ... {shown - ShownFailures} more failures not shown").ConfigureAwait(false);
        }

        await context.Stdout.WriteLineAsync($"sqllogictest: {passed}/{total} records passed").ConfigureAwait(false);
        return passed == total ? CliApp.Success : CliApp.Failure;
    }
}
