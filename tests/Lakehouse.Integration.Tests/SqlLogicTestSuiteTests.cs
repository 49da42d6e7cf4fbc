using Lakehouse.Cli.SqlLogicTest;
using Lakehouse.Server;
using Xunit.Abstractions;

namespace Lakehouse.Integration.Tests;

/// <summary>Runs every sqllogictest file under tests/sql; each record must pass.</summary>
public sealed class SqlLogicTestSuiteTests
{
    private readonly ITestOutputHelper _output;

    public SqlLogicTestSuiteTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task EveryRecordOfTheSuitesPasses()
    {
        var folder = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "sql");
        var files = SqlLogicTestRunner.FindFiles(folder);
        Assert.NotEmpty(files);
        var runner = new SqlLogicTestRunner(() => EmbeddedEngine.Create(RepositoryPaths.RepositoryRoot));
        int passed = 0;
        int total = 0;
        var failures = new List<string>();
        foreach (var file in files)
        {
            var result = await runner.RunFileAsync(file, CancellationToken.None);
            _output.WriteLine($"{Path.GetFileName(file)}: {result.Passed}/{result.Total}");
            passed += result.Passed;
            total += result.Total;
            Assert.Equal(result.Total, result.Passed + result.Failures.Count);
            foreach (var failure in result.Failures)
            {
                failures.Add(failure.ToString());
            }
        }

        _output.WriteLine($"sqllogictest: {passed}/{total} records passed in {files.Count} files");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(total >= 250, $"the suites hold {total} records; expected at least 250");
        Assert.Equal(total, passed);
    }
}
