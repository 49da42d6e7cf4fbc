using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>Window functions compared with DuckDB on the same rows.</summary>
[Collection(WindowCollection.Name)]
public sealed class WindowTests(WindowFixture fixture)
{
    private static readonly DifferentialCaseSet Cases = new(WindowCases.All);

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MatchesDuckDb(string name) =>
        Cases.AssertMatchesDuckDbAsync(name, sql => fixture.Oracle.Query(WindowFixture.ForDuckDb(sql)), fixture.RunAsync);

    [Fact]
    public void CaseNamesAreUnique() => Assert.True(Cases.NamesAreUnique);
}
