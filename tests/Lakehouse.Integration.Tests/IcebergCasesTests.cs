using System.Text.Json;
using Lakehouse.Cli;
using Xunit.Abstractions;

namespace Lakehouse.Integration.Tests;

/// <summary>
/// Runs every case of ../shared/iceberg/cases.jsonl (real tables written by Spark and PyIceberg)
/// as `lakehouse sql --format jsonl "&lt;sql&gt;"` from that folder and checks the answers.
/// </summary>
public sealed class IcebergCasesTests
{
    private const double RequiredPassRate = 0.95;

    private readonly ITestOutputHelper _output;

    public IcebergCasesTests(ITestOutputHelper output) => _output = output;

    public sealed record CaseOutcome(string Id, bool Passed, string Detail);

    [Fact]
    public async Task AllSharedIcebergCasesRunAsThroughTheCli()
    {
        var casesFile = Path.Combine(RepositoryPaths.SharedIceberg, "cases.jsonl");
        Assert.True(File.Exists(casesFile), $"missing test data: {casesFile}");

        var outcomes = new List<CaseOutcome>();
        foreach (var line in await File.ReadAllLinesAsync(casesFile))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            outcomes.Add(await RunCaseAsync(doc.RootElement));
        }

        var passed = outcomes.Count(o => o.Passed);
        _output.WriteLine($"iceberg cases: {passed}/{outcomes.Count} passed");
        foreach (var failure in outcomes.Where(o => !o.Passed))
        {
            _output.WriteLine($"FAILED {failure.Id}: {failure.Detail}");
        }

        Assert.True(outcomes.Count >= 150, $"expected at least 150 cases, found {outcomes.Count}");
        var rate = (double)passed / outcomes.Count;
        Assert.True(
            rate >= RequiredPassRate,
            $"iceberg cases: {passed}/{outcomes.Count} passed; failures:\n" + string.Join("\n", outcomes.Where(o => !o.Passed).Select(o => $"{o.Id}: {o.Detail}")));
    }

    private static async Task<CaseOutcome> RunCaseAsync(JsonElement testCase)
    {
        var id = testCase.GetProperty("id").GetString()!;
        var sql = testCase.GetProperty("sql").GetString()!;
        var expectError = testCase.TryGetProperty("expect_error", out var e) && e.ValueKind == JsonValueKind.True;

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode;
        try
        {
            var run = CliApp.RunAsync(["sql", "--format", "jsonl", sql], stdout, stderr, RepositoryPaths.SharedIceberg);
            if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2))) != run)
            {
                return new CaseOutcome(id, false, "timed out after 2 minutes");
            }

            exitCode = await run;
        }
        catch (Exception ex)
        {
            return new CaseOutcome(id, false, $"crashed: {ex.GetType().Name}: {ex.Message}");
        }

        var errorText = stderr.ToString().Trim();
        if (expectError)
        {
            if (exitCode == 0)
            {
                return new CaseOutcome(id, false, "expected an error, but the query succeeded");
            }

            if (errorText.Length == 0 || errorText.Contains('\n'))
            {
                return new CaseOutcome(id, false, $"error must be one line on stderr, got: '{errorText}'");
            }

            return new CaseOutcome(id, true, errorText);
        }

        if (exitCode != 0)
        {
            return new CaseOutcome(id, false, $"exit {exitCode}: {errorText}");
        }

        List<List<JsonElement>> rows;
        try
        {
            rows = CaseComparison.ParseJsonLines(stdout.ToString());
        }
        catch (JsonException ex)
        {
            return new CaseOutcome(id, false, $"output is not JSON lines: {ex.Message}");
        }

        if (testCase.TryGetProperty("columns", out var columns))
        {
            var expectedNames = columns.EnumerateArray().Select(c => c.GetString()!).ToList();
            var actualNames = CaseComparison.ParseColumnNames(stdout.ToString());
            if (actualNames is not null && !expectedNames.SequenceEqual(actualNames))
            {
                return new CaseOutcome(id, false, $"expected columns [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
            }
        }

        var ordered = testCase.TryGetProperty("ordered", out var o) && o.ValueKind == JsonValueKind.True;
        var difference = CaseComparison.Compare(testCase.GetProperty("expected"), rows, ordered);
        return new CaseOutcome(id, difference is null, difference ?? "ok");
    }
}
