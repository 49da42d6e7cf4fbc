using System.Text;
using Lakehouse.Cli;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class CliTests : IClassFixture<ScriptedServerFixture>
{
    private readonly ScriptedServerFixture _fixture;

    public CliTests(ScriptedServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, Path.GetTempPath(), _ => new ScriptedEngineHost(), CancellationToken.None);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task SqlAgainstServerPrintsJsonLines()
    {
        var (exitCode, stdout, stderr) = await RunAsync("sql", ScriptedQueryService.TwoBatchQuery, "--format", "jsonl", "--server", _fixture.Server.Address);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal(
            "{\"x\":1,\"y\":\"a\",\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"}\n" +
            "{\"x\":2,\"y\":null,\"id\":null}\n" +
            "{\"x\":3,\"y\":\"c,\\\"d\\\"\",\"id\":\"ffffffff-0000-0000-0000-000000000001\"}\n",
            stdout);
    }

    [Fact]
    public async Task SqlAgainstServerMatchesEmbeddedOutput()
    {
        foreach (var format in new[] { "table", "csv", "jsonl" })
        {
            var remote = await RunAsync("sql", ScriptedQueryService.TwoBatchQuery, "--format", format, "--server", _fixture.Server.Address);
            var embedded = await RunAsync("sql", ScriptedQueryService.TwoBatchQuery, $"--format={format}");
            Assert.Equal(0, remote.ExitCode);
            Assert.Equal(0, embedded.ExitCode);
            Assert.Equal(embedded.Stdout, remote.Stdout);
        }
    }

    [Fact]
    public async Task DefaultFormatIsTable()
    {
        var (exitCode, stdout, _) = await RunAsync("sql", ScriptedQueryService.TwoBatchQuery);
        Assert.Equal(0, exitCode);
        Assert.Equal(
            " x |   y   |                  id\n" +
            "---+-------+--------------------------------------\n" +
            " 1 | a     | 00112233-4455-6677-8899-aabbccddeeff\n" +
            " 2 | NULL  | NULL\n" +
            " 3 | c,\"d\" | ffffffff-0000-0000-0000-000000000001\n" +
            "(3 rows)\n",
            stdout);
    }

    [Fact]
    public async Task BadSqlOverServerIsOneErrorLineAndExitOne()
    {
        var (exitCode, stdout, stderr) = await RunAsync("sql", "SELEC 1", "--server", _fixture.Server.Address);
        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("lakehouse: error [SQL_SYNTAX_ERROR]: line 1:1: cannot parse statement 'SELEC 1'" + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task BadSqlEmbeddedIsTheSameErrorLine()
    {
        var (exitCode, _, stderr) = await RunAsync("sql", "SELEC 1");
        Assert.Equal(1, exitCode);
        Assert.Equal("lakehouse: error [SQL_SYNTAX_ERROR]: line 1:1: cannot parse statement 'SELEC 1'" + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task UnreachableServerIsAnErrorLine()
    {
        var (exitCode, _, stderr) = await RunAsync("sql", "SELECT 1", "--server", "grpc://127.0.0.1:1");
        Assert.Equal(1, exitCode);
        Assert.StartsWith("lakehouse: error [SERVER_UNAVAILABLE]: cannot reach Flight SQL server at grpc://127.0.0.1:1", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "sql" }, "missing SQL statement")]
    [InlineData(new[] { "sql", "SELECT 1", "--format", "xml" }, "unknown format 'xml'")]
    [InlineData(new[] { "sql", "SELECT 1", "--format" }, "option '--format' of 'sql' needs a value")]
    [InlineData(new[] { "sql", "SELECT 1", "--colour", "red" }, "unknown option '--colour' for 'sql'")]
    [InlineData(new[] { "serve", "--port", "99999" }, "option '--port' must be an integer in 0..65535, got '99999'")]
    [InlineData(new string[0], "missing command")]
    public async Task UsageErrorsExitTwoWithOneLine(string[] args, string expectedMessage)
    {
        var (exitCode, stdout, stderr) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("lakehouse: error [USAGE]: " + expectedMessage, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task HelpListsEveryCommand()
    {
        var (exitCode, stdout, stderr) = await RunAsync("--help");
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("usage: lakehouse <command>", stdout);
        foreach (var command in CliApp.Commands)
        {
            Assert.Contains(command.Usage, stdout);
        }

        Assert.Contains(CliApp.Commands, command => command.Name == "sql");
        Assert.Contains(CliApp.Commands, command => command.Name == "serve");
    }

    [Fact]
    public async Task CommandHelpShowsItsUsage()
    {
        var (exitCode, stdout, _) = await RunAsync("sql", "--help");
        Assert.Equal(0, exitCode);
        Assert.StartsWith("usage: lakehouse sql \"<SQL>\"", stdout);
    }

    [Fact]
    public async Task VersionIsPrinted()
    {
        var (exitCode, stdout, _) = await RunAsync("--version");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^lakehouse \d+\.\d+\.\d+\s*$", stdout);
    }

    [Fact]
    public async Task ServeListensAnnouncesAndStopsOnCancellation()
    {
        using var stdout = new LineSignallingWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        var serving = CliApp.RunAsync(["serve", "--port", "0"], stdout, stderr, Path.GetTempPath(), _ => new ScriptedEngineHost(), stop.Token);

        var announcement = await stdout.FirstLine.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Matches(@"^lakehouse: Flight SQL listening on grpc://127\.0\.0\.1:\d+$", announcement);
        var address = announcement["lakehouse: Flight SQL listening on ".Length..];

        var (exitCode, queryOutput, _) = await RunAsync("sql", ScriptedQueryService.TwoBatchQuery, "--format", "csv", "--server", address);
        Assert.Equal(0, exitCode);
        Assert.StartsWith("x,y,id\n1,a,00112233-4455-6677-8899-aabbccddeeff\n", queryOutput);

        await stop.CancelAsync();
        Assert.Equal(0, await serving.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(string.Empty, stderr.ToString());
    }

    [Fact]
    public async Task ServeOnABusyPortFailsWithOneLine()
    {
        var (exitCode, _, stderr) = await RunAsync("serve", "--port", _fixture.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, exitCode);
        Assert.StartsWith($"lakehouse: error [SERVER_BIND_FAILED]: cannot listen on 127.0.0.1:{_fixture.Server.Port}", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    private sealed class LineSignallingWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _firstLine.Task;

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _firstLine.TrySetResult(value ?? string.Empty);
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
