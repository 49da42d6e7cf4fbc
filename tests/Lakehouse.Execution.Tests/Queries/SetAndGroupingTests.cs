using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;

namespace Lakehouse.Execution.Tests.Queries;

/// <summary>INTERSECT, EXCEPT, GROUPING SETS, ROLLUP, CUBE and multi-way joins, against DuckDB.</summary>
[Collection(EngineCollection.Name)]
public sealed class SetAndGroupingTests(EngineFixture fixture)
{
    private static readonly DifferentialCaseSet Cases = new(
    [
        new("intersect_distinct", "SELECT a FROM {t} INTERSECT SELECT k FROM {u}"),
        new("intersect_all", "SELECT a % 5 FROM {t} WHERE id <= 40 INTERSECT ALL SELECT k % 5 FROM {u}"),
        new("except_distinct", "SELECT a FROM {t} EXCEPT SELECT k FROM {u}"),
        new("except_all", "SELECT a % 7 FROM {t} WHERE id <= 60 EXCEPT ALL SELECT k % 7 FROM {u}"),
        new("except_with_nulls", "SELECT s FROM {t} EXCEPT SELECT name FROM {u}"),
        new("intersect_several_columns", "SELECT a, s FROM {t} INTERSECT SELECT a, s FROM {t} WHERE id % 2 = 0"),
        new("set_operations_mixed", "SELECT a FROM {t} UNION SELECT k FROM {u} EXCEPT SELECT a FROM {t} WHERE a > 10"),
        new("grouping_sets", "SELECT a % 3 AS g, flag, count(*), sum(b) FROM {t} GROUP BY GROUPING SETS ((a % 3, flag), (a % 3), ())"),
        new("rollup", "SELECT a % 3, a % 2, count(*), sum(x) FROM {t} GROUP BY ROLLUP (a % 3, a % 2)"),
        new("cube", "SELECT a % 3, flag, count(*), max(s) FROM {t} GROUP BY CUBE (a % 3, flag)"),
        new("group_by_plus_rollup", "SELECT flag, a % 2, a % 3, count(*) FROM {t} GROUP BY flag, ROLLUP (a % 2, a % 3)"),
        new("grouping_sets_with_having", "SELECT a % 4, count(*) FROM {t} GROUP BY GROUPING SETS ((a % 4), ()) HAVING count(*) > 10"),
        new("three_way_join_comma_syntax", "SELECT t.id, u.uid, v.uid FROM {t} t, {u} u, {u} v WHERE t.a = u.k AND u.uid = v.uid + 1 AND t.id <= 200"),
        new("four_way_join_chain", "SELECT count(*), sum(t.b) FROM {u} u1, {t} t, {u} u2, {u} u3 WHERE u1.k = t.a AND t.a = u2.k AND u2.uid = u3.uid"),
    ]);

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MatchesDuckDb(string name) =>
        Cases.AssertMatchesDuckDbAsync(name, sql => fixture.Oracle.Query(EngineFixture.ForDuckDb(sql)), fixture.RunAsync);

    [Fact]
    public void CaseNamesAreUnique() => Assert.True(Cases.NamesAreUnique);

    [Fact]
    public async Task IntersectWithDifferentColumnCountsIsRejected()
    {
        var error = await Assert.ThrowsAsync<PlanningException>(() => fixture.RunAsync("SELECT a, b FROM {t} INTERSECT SELECT k FROM {u}"));
        Assert.Equal(PlanningException.TypeMismatch, error.Code);
    }

    [Fact]
    public async Task ExplainAnalyzeReportsRowsBatchesAndTimePerOperator()
    {
        var result = await fixture.RunAsync("EXPLAIN ANALYZE SELECT a % 3, count(*) FROM {t} WHERE id <= 100 GROUP BY 1");
        var lines = result.Rows.Select(row => row[0]?.ToString() ?? string.Empty).ToList();
        Assert.Contains(lines, line => line.Contains("HashAggregate", StringComparison.Ordinal));
        int groups = (await fixture.RunAsync("SELECT a % 3, count(*) FROM {t} WHERE id <= 100 GROUP BY 1")).Rows.Count;
        Assert.Contains(lines, line => line.Contains($"rows={groups} batches=", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("rows=100 ", StringComparison.Ordinal) && line.Contains(" ms", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains($"Total: {groups} rows", StringComparison.Ordinal));
    }
}
