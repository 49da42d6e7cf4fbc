using Lakehouse.Execution.Tests.Differential;
using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;

namespace Lakehouse.Execution.Tests.Subqueries;

/// <summary>IN, EXISTS, scalar and quantified subqueries, correlated or not, against DuckDB.</summary>
[Collection(EngineCollection.Name)]
public sealed class SubqueryTests(EngineFixture fixture)
{
    private static readonly DifferentialCaseSet Cases = new(
    [
        new("in_uncorrelated", "SELECT id, a FROM {t} t WHERE a IN (SELECT k FROM {u} WHERE w > 5)"),
        new("not_in_uncorrelated", "SELECT id, a FROM {t} t WHERE a NOT IN (SELECT k FROM {u} WHERE w > 5)"),
        new("not_in_with_null_in_subquery", "SELECT id FROM {t} t WHERE a NOT IN (SELECT CASE WHEN k > 3 THEN k END FROM {u})"),
        new("in_as_value_with_nulls", "SELECT id, a IN (SELECT CASE WHEN k > 3 THEN k END FROM {u}) AS m FROM {t} t WHERE id <= 300"),
        new("not_in_as_value", "SELECT id, a NOT IN (SELECT k FROM {u} WHERE w > 8) AS m FROM {t} t WHERE id <= 300"),
        new("in_empty_subquery", "SELECT id, a IN (SELECT k FROM {u} WHERE w > 1000) AS m FROM {t} t WHERE id <= 50"),
        new("exists_correlated", "SELECT id, a FROM {t} t WHERE EXISTS (SELECT 1 FROM {u} u WHERE u.k = t.a AND u.w > 5)"),
        new("not_exists_correlated", "SELECT id, a FROM {t} t WHERE NOT EXISTS (SELECT * FROM {u} u WHERE u.k = t.a)"),
        new("exists_with_non_equi_correlation", "SELECT id FROM {t} t WHERE EXISTS (SELECT 1 FROM {u} u WHERE u.k = t.a AND u.uid <> t.id) AND id <= 400"),
        new("exists_uncorrelated", "SELECT count(*) FROM {t} t WHERE EXISTS (SELECT 1 FROM {u} WHERE w > 5)"),
        new("exists_in_select", "SELECT id, EXISTS (SELECT 1 FROM {u} u WHERE u.k = t.a) AS e FROM {t} t WHERE id <= 300"),
        new("exists_in_or", "SELECT id FROM {t} t WHERE a = 1 OR EXISTS (SELECT 1 FROM {u} u WHERE u.k = t.a AND u.w > 8)"),
        new("scalar_uncorrelated", "SELECT id, a FROM {t} t WHERE a > (SELECT avg(k) FROM {u})"),
        new("scalar_in_select", "SELECT id, (SELECT max(w) FROM {u}) AS m FROM {t} t WHERE id <= 10"),
        new("scalar_correlated_aggregate", "SELECT id, a FROM {t} t WHERE b > (SELECT avg(amt) * 1000 FROM {u} u WHERE u.k = t.a)"),
        new("scalar_correlated_in_select", "SELECT id, (SELECT sum(w) FROM {u} u WHERE u.k = t.a) AS s FROM {t} t WHERE id <= 300"),
        new("scalar_correlated_count_is_zero_without_rows", "SELECT id, (SELECT count(*) FROM {u} u WHERE u.k = t.a) AS c FROM {t} t WHERE id <= 300"),
        new("scalar_correlated_two_keys", "SELECT id FROM {t} t WHERE a < (SELECT max(k) FROM {u} u WHERE u.k = t.a AND u.uid = t.id) OR id < 5"),
        new("scalar_subquery_empty_is_null", "SELECT id, (SELECT k FROM {u} WHERE w > 1000) AS v FROM {t} t WHERE id <= 5"),
        new("in_subquery_with_group_by_having", "SELECT id FROM {t} t WHERE a IN (SELECT k FROM {u} GROUP BY k HAVING count(*) > 1)"),
        new("nested_in", "SELECT id FROM {t} t WHERE a IN (SELECT k FROM {u} WHERE uid IN (SELECT id FROM {t} t WHERE b > 0))"),
        new("having_scalar_subquery", "SELECT a, sum(b) FROM {t} t GROUP BY a HAVING sum(b) > (SELECT sum(b) * 0.01 FROM {t})"),
        new("quantified_any", "SELECT id FROM {t} t WHERE a > ANY (SELECT k FROM {u} WHERE w > 8)"),
        new("quantified_all", "SELECT id FROM {t} t WHERE a >= ALL (SELECT k FROM {u} WHERE w > 8)"),
        new("quantified_all_as_value", "SELECT id, a < ALL (SELECT CASE WHEN k > 2 THEN k END FROM {u}) AS m FROM {t} t WHERE id <= 300"),
        new("correlated_in", "SELECT id FROM {t} t WHERE a IN (SELECT k FROM {u} u WHERE u.uid = t.id)"),
        new("correlated_not_in", "SELECT id FROM {t} t WHERE a NOT IN (SELECT k FROM {u} u WHERE u.uid = t.id) AND id <= 400"),
        new("scalar_correlated_non_equality", "SELECT id, (SELECT count(*) FROM {u} u WHERE u.k < t.a) AS c, (SELECT max(w) FROM {u} u WHERE u.k > t.a AND u.uid <> t.id) AS m FROM {t} t WHERE id <= 300"),
        new("where_correlated_non_equality", "SELECT id FROM {t} t WHERE b > (SELECT sum(amt) FROM {u} u WHERE u.k <= t.a) AND id <= 500"),
        new("outer_reference_in_select_list", "SELECT id, (SELECT 42 + t.a) AS j, (SELECT max(k) + t.a FROM {u} u WHERE u.uid = t.id) AS m FROM {t} t WHERE id <= 200"),
        new("outer_reference_next_to_count", "SELECT id, (SELECT count(*) + t.a FROM {u} u WHERE u.uid = t.id) AS c FROM {t} t WHERE id <= 300"),
        new("outer_reference_with_order_and_limit", "SELECT id, (SELECT u.k + t.a FROM {u} u ORDER BY u.k DESC, u.uid LIMIT 1) AS j FROM {t} t WHERE id <= 100"),
        new("outer_reference_limit_zero_is_null", "SELECT id, (SELECT t.a FROM {u} u LIMIT 0) AS j FROM {t} t WHERE id <= 20"),
        new("correlated_filter_without_from", "SELECT id, (SELECT 42 WHERE t.a > 50) AS j FROM {t} t WHERE id <= 100"),
        new("subquery_in_join_input", "SELECT x.id, u.uid FROM (SELECT id, a FROM {t} t WHERE a IN (SELECT k FROM {u})) x JOIN {u} u ON x.a = u.k WHERE x.id <= 100"),
    ]);

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MatchesDuckDb(string name) =>
        Cases.AssertMatchesDuckDbAsync(name, sql => fixture.Oracle.Query(EngineFixture.ForDuckDb(sql)), fixture.RunAsync);

    [Fact]
    public void CaseNamesAreUnique() => Assert.True(Cases.NamesAreUnique);

    [Fact]
    public async Task ScalarSubqueryWithSeveralRowsFails()
    {
        var error = await Assert.ThrowsAsync<ExecutionException>(() => fixture.RunAsync("SELECT id, (SELECT k FROM {u}) FROM {t} t WHERE id <= 3"));
        Assert.Equal(ExecutionException.SubqueryMultipleRows, error.Code);
    }

    [Fact]
    public async Task SubqueryWithSeveralColumnsIsRejected()
    {
        var error = await Assert.ThrowsAsync<PlanningException>(() => fixture.RunAsync("SELECT id FROM {t} t WHERE a IN (SELECT k, w FROM {u})"));
        Assert.Equal(PlanningException.TypeMismatch, error.Code);
        Assert.Contains("exactly one column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainShowsSemiJoinNotPerRowEvaluation()
    {
        var result = await fixture.RunAsync("EXPLAIN SELECT id FROM {t} t WHERE EXISTS (SELECT 1 FROM {u} u WHERE u.k = t.a)");
        var text = string.Join('\n', result.Rows.Select(row => row[0]?.ToString()));
        Assert.Contains("HashJoin Semi", text, StringComparison.Ordinal);
    }
}
