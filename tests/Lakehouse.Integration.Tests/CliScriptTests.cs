using Lakehouse.Cli;

namespace Lakehouse.Integration.Tests;

/// <summary>`lakehouse sql` runs a script of statements in one session, in order.</summary>
public sealed class CliScriptTests
{
    [Fact]
    public async Task Statements_separated_by_semicolons_share_one_session()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(
            ["sql", "--format", "csv", "CREATE TABLE t AS SELECT * FROM (VALUES (1), (2), (3)) v(x); SET SESSION query_max_memory = '64MB'; SELECT sum(x) AS total FROM t"],
            stdout,
            stderr,
            Path.GetTempPath());
        Assert.True(code == CliApp.Success, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["rows", "3", "result", "true", "total", "6"], lines);
    }

    [Fact]
    public async Task A_syntax_error_anywhere_in_the_script_runs_nothing()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(["sql", "CREATE TABLE t (x integer); SELEC 1"], stdout, stderr, Path.GetTempPath());
        Assert.NotEqual(CliApp.Success, code);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Contains("SYNTAX_ERROR", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 1:29", stderr.ToString(), StringComparison.Ordinal);
    }
}
