using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;

namespace Lakehouse.Execution.Tests.Functions;

/// <summary>Runs each function case on the engine and on DuckDB over the same rows and compares the results.</summary>
[Collection(EngineCollection.Name)]
public sealed class FunctionDifferentialTests(EngineFixture fixture)
{
    private static readonly Dictionary<string, DifferentialCase> CasesByName = BuildIndex();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in FunctionCases.All)
        {
            data.Add(testCase.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task MatchesDuckDb(string name)
    {
        var testCase = CasesByName[name];
        var expected = fixture.Oracle.Query(EngineFixture.ForDuckDb(testCase.DuckSql ?? testCase.Sql));
        var actual = await fixture.RunAsync(testCase.Sql);
        ResultComparer.AssertSame(expected, actual, testCase.Ordered, testCase.Sql);
    }

    [Fact]
    public void CaseNamesAreUnique() => Assert.Equal(FunctionCases.All.Count, CasesByName.Count);

    private static Dictionary<string, DifferentialCase> BuildIndex()
    {
        var index = new Dictionary<string, DifferentialCase>(StringComparer.Ordinal);
        foreach (var testCase in FunctionCases.All)
        {
            index.TryAdd(testCase.Name, testCase);
        }

        return index;
    }
}
