using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>Window functions compared with DuckDB on the same rows.</summary>
[Collection(WindowCollection.Name)]
public sealed class WindowTests(WindowFixture fixture)
{
    private static readonly Dictionary<string, DifferentialCase> CasesByName = BuildIndex();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in WindowCases.All)
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
        var expected = fixture.Oracle.Query(WindowFixture.ForDuckDb(testCase.DuckSql ?? testCase.Sql));
        var actual = await fixture.RunAsync(testCase.Sql);
        ResultComparer.AssertSame(expected, actual, testCase.Ordered, testCase.Sql);
    }

    [Fact]
    public void CaseNamesAreUnique() => Assert.Equal(WindowCases.All.Count, CasesByName.Count);

    private static Dictionary<string, DifferentialCase> BuildIndex()
    {
        var index = new Dictionary<string, DifferentialCase>(StringComparer.Ordinal);
        foreach (var testCase in WindowCases.All)
        {
            index.TryAdd(testCase.Name, testCase);
        }

        return index;
    }
}
