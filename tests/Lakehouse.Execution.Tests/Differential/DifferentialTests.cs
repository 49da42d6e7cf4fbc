using System.Numerics;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Differential;

/// <summary>Runs each query on the engine and on DuckDB over the same rows and compares the results.</summary>
[Collection(EngineCollection.Name)]
public sealed class DifferentialTests(EngineFixture fixture)
{
    private static readonly DifferentialCaseSet Cases = new(DifferentialCases.All);

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MatchesDuckDb(string name) =>
        Cases.AssertMatchesDuckDbAsync(name, sql => fixture.Oracle.Query(EngineFixture.ForDuckDb(sql)), fixture.RunAsync);

    [Fact]
    public void CaseNamesAreUnique() => Assert.True(Cases.NamesAreUnique);

    /// <summary>
    /// avg of decimal(38,10) keeps its scale (rounded half up); DuckDB answers with a double, which cannot
    /// hold 20 digits, so the exact expectation is computed from the rows here.
    /// </summary>
    [Fact]
    public async Task AvgOfWideDecimalIsExact()
    {
        BigInteger sum = BigInteger.Zero;
        int count = 0;
        foreach (var row in fixture.Main.Rows)
        {
            if (row[5] is Int128 unscaled)
            {
                sum += (BigInteger)unscaled;
                count++;
            }
        }

        var quotient = BigInteger.DivRem(BigInteger.Abs(sum) * 2 + count, 2 * (BigInteger)count).Quotient;
        var rounded = sum.Sign < 0 ? -quotient : quotient;
        var result = await fixture.RunAsync("SELECT avg(e) FROM {t}");
        Assert.Single(result.Rows);
        Assert.Equal("decimal(38,10)", result.ColumnTypes[0]);
        Assert.Equal(Cell.Decimal(ScalarText.FormatDecimal((Int128)rounded, 10)), result.Rows[0][0]);
    }

}
