using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;

namespace Lakehouse.Execution.Tests.Functions;

/// <summary>Runs each function case on the engine and on DuckDB over the same rows and compares the results.</summary>
[Collection(EngineCollection.Name)]
public sealed class FunctionDifferentialTests(EngineFixture fixture)
{
    private static readonly DifferentialCaseSet Cases = new(FunctionCases.All);

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MatchesDuckDb(string name) =>
        Cases.AssertMatchesDuckDbAsync(name, sql => fixture.Oracle.Query(EngineFixture.ForDuckDb(sql)), fixture.RunAsync);

    [Fact]
    public void CaseNamesAreUnique() => Assert.True(Cases.NamesAreUnique);
}
