using System.Numerics;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Differential;

/// <summary>Runs each query on the engine and on DuckDB over the same rows and compares the results.</summary>
[Collection(EngineCollection.Name)]
public sealed class DifferentialTests(EngineFixture fixture)
{
    private static readonly Dictionary<string, DifferentialCase> CasesByName = BuildIndex();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in DifferentialCases.All)
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
    public void CaseNamesAreUnique() => Assert.Equal(DifferentialCases.All.Count, CasesByName.Count);

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

    private static Dictionary<string, DifferentialCase> BuildIndex()
    {
        var index = new Dictionary<string, DifferentialCase>(StringComparer.Ordinal);
        foreach (var testCase in DifferentialCases.All)
        {
            index.TryAdd(testCase.Name, testCase);
        }

        return index;
    }
}
