namespace Lakehouse.Execution.Tests.Differential;

/// <summary>
/// A query run on both engines. {t} and {u} stand for the two tables. <paramref name="DuckSql"/> is set
/// only where DuckDB spells the same meaning differently (integer division, some literals).
/// <paramref name="Ordered"/> means the ORDER BY fixes the row order completely, so order is compared too.
/// </summary>
public sealed record DifferentialCase(string Name, string Sql, bool Ordered = false, string? DuckSql = null);

public static class DifferentialCases
{
    public static readonly IReadOnlyList<DifferentialCase> All =
    [
        // Projection, aliases, star
        new("select_star_side", "SELECT * FROM {u}"),
        new("select_columns_aliases", "SELECT id AS ident, a AS small, s AS text, dt, ts, flag FROM {t}"),
        new("qualified_star_and_constant", "SELECT q.*, 1 AS one FROM {u} q WHERE q.uid <= 20"),

        // WHERE with comparisons, null logic, IN, BETWEEN, LIKE
        new("where_comparisons", "SELECT id, a, b FROM {t} WHERE a >= 40 AND b < 0 OR a = 7"),
        new("where_three_valued_logic", "SELECT id, flag, a FROM {t} WHERE NOT (flag AND a > 50)"),
        new("where_or_with_nulls", "SELECT id FROM {t} WHERE flag OR x IS NULL"),
        new("is_null_is_not_null", "SELECT count(*), count(a), sum(CASE WHEN s IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN dt IS NOT NULL THEN 1 ELSE 0 END) FROM {t}"),
        new("is_distinct_from", "SELECT id, a FROM {t} WHERE a IS DISTINCT FROM 5 AND id <= 300"),
        new("is_not_distinct_from", "SELECT id, a, s FROM {t} WHERE a IS NOT DISTINCT FROM NULL OR s IS NOT DISTINCT FROM 'beta'"),
        new("in_list", "SELECT id, a FROM {t} WHERE a IN (1, 2, 3, 50, 99)"),
        new("in_list_with_null", "SELECT id, a IN (1, 2, NULL) AS m, a NOT IN (3, NULL) AS n FROM {t} WHERE id <= 200"),
        new("not_in_strings", "SELECT id, s FROM {t} WHERE s NOT IN ('alpha', 'beta', 'gamma')"),
        new("between", "SELECT id, x FROM {t} WHERE x BETWEEN -10.5 AND 10.5"),
        new("not_between_dates", "SELECT id, dt FROM {t} WHERE dt NOT BETWEEN DATE '2005-01-01' AND DATE '2020-12-31'"),
        new("like_patterns", "SELECT id, s, s LIKE 'a%' AS p1, s LIKE '_e%' AS p2, s NOT LIKE '%a' AS p3, s LIKE '%' AS p4 FROM {t}"),
        new("like_escape", "SELECT id, s FROM {t} WHERE s LIKE '50\\%%' ESCAPE '\\' OR s LIKE 'a\\_b' ESCAPE '\\'"),
        new("like_exact_and_empty", "SELECT id, s FROM {t} WHERE s LIKE 'Omega' OR s LIKE ''"),

        // Expressions
        new("integer_arithmetic", "SELECT id, a + 1, a - id, a * 3, a % 7, -a, b + a, b - 1000 * a, abs(b) FROM {t}"),
        new("integer_division", "SELECT id, a / 3, id / 7 FROM {t}", DuckSql: "SELECT id, a // 3, id // 7 FROM {t}"),
        new("bigint_modulo_negative", "SELECT id, b % 1000, b % -7 FROM {t}"),
        new("double_arithmetic", "SELECT id, x * 2, x + a, x - 0.5, x / 4, abs(x), -x FROM {t}"),
        new("decimal_arithmetic", "SELECT id, d + 1, d - e, d * 3, d * d, -d, abs(d), d + 0.005, e * 2 FROM {t}"),
        new("decimal_integer_mix", "SELECT id, d + a, a * d, d - b FROM {t} WHERE id <= 500"),
        new("mixed_numeric_comparison", "SELECT id FROM {t} WHERE a = 5.0 OR d > 9000000 OR x > d"),
        new("string_functions", "SELECT id, s || '-' || s, lower(s), upper(s), length(s) FROM {t}"),
        new("searched_case", "SELECT id, CASE WHEN a < 10 THEN 'low' WHEN a < 50 THEN 'mid' WHEN a IS NULL THEN 'none' ELSE 'high' END AS band FROM {t}"),
        new("simple_case", "SELECT id, CASE a % 3 WHEN 0 THEN x WHEN 1 THEN -x END FROM {t}"),
        new("case_mixed_numeric", "SELECT id, CASE WHEN flag THEN d ELSE a END FROM {t}"),
        new("coalesce_nullif", "SELECT id, coalesce(a, 0), coalesce(s, 'missing'), nullif(a, 0), nullif(s, ''), coalesce(x, d, 0) FROM {t}"),
        new("boolean_expressions", "SELECT id, flag AND a > 50, flag OR a > 50, NOT flag, (a > 50) = flag FROM {t}"),

        // Casts
        new("cast_numbers", "SELECT id, CAST(a AS DOUBLE), CAST(a AS BIGINT), CAST(a AS DECIMAL(10, 2)), CAST(d AS DOUBLE), CAST(d AS INTEGER), CAST(b AS DECIMAL(20, 0)) FROM {t}"),
        new("cast_to_varchar", "SELECT id, CAST(a AS VARCHAR), CAST(b AS VARCHAR), CAST(dt AS VARCHAR), CAST(flag AS VARCHAR) FROM {t}"),
        new("cast_dates", "SELECT id, CAST(ts AS DATE), CAST(dt AS TIMESTAMP), CAST('2020-02-29' AS DATE) FROM {t} WHERE id <= 100"),
        new("try_cast_strings", "SELECT id, s, TRY_CAST(s AS INTEGER), TRY_CAST(s AS DOUBLE) FROM {t}"),
        new("cast_boolean", "SELECT id, CAST(flag AS INTEGER), CAST(a AS BOOLEAN) FROM {t}"),
        new("cast_decimal_rescale", "SELECT id, CAST(x AS DECIMAL(12, 3)), CAST(d AS DECIMAL(14, 4)), CAST(e AS DECIMAL(38, 2)) FROM {t}"),

        // Date and time
        new("date_timestamp_filters", "SELECT id, dt, ts FROM {t} WHERE dt < DATE '2003-06-01' AND ts >= TIMESTAMP '2010-01-01 00:00:00'"),
        new("date_timestamp_comparison", "SELECT id FROM {t} WHERE ts > dt"),
        new("min_max_temporal", "SELECT min(dt), max(dt), min(ts), max(ts) FROM {t}"),

        // Aggregation
        new("global_aggregates", "SELECT count(*), count(a), count(DISTINCT a), sum(a), min(a), max(a), avg(a), sum(b), avg(x), min(x), max(x) FROM {t}"),
        new("decimal_aggregates", "SELECT sum(d), min(d), max(d), sum(e), min(e), max(e), count(DISTINCT d) FROM {t}"),
        new("avg_decimal", "SELECT avg(d) FROM {t}", DuckSql: "SELECT CAST(avg(d) AS DECIMAL(12, 2)) FROM {t}"),
        new("aggregates_of_empty_input", "SELECT count(*), count(a), sum(a), min(s), max(d), avg(x) FROM {t} WHERE id < 0"),
        new("group_by_column", "SELECT a, count(*), sum(b), min(s), max(s), avg(x) FROM {t} GROUP BY a"),
        new("group_by_expressions", "SELECT a % 5, flag, count(*), sum(d) FROM {t} GROUP BY a % 5, flag"),
        new("group_by_ordinal", "SELECT s, count(*) AS c, count(DISTINCT a) FROM {t} GROUP BY 1"),
        new("group_by_multiple_types", "SELECT dt, flag, count(*) FROM {t} WHERE id <= 1500 GROUP BY dt, flag"),
        new("group_by_key_not_selected", "SELECT count(*), max(id) FROM {t} GROUP BY s"),
        new("having", "SELECT a, count(*) AS c FROM {t} GROUP BY a HAVING count(*) > 30 AND a IS NOT NULL"),
        new("having_on_aggregate_not_selected", "SELECT s FROM {t} GROUP BY s HAVING sum(a) > 1000"),
        new("aggregate_expression_arguments", "SELECT a % 10, sum(a * 2 + 1), max(CASE WHEN flag THEN x END), count(DISTINCT s) FROM {t} GROUP BY 1"),
        new("expression_over_aggregates", "SELECT a, sum(x) / count(*), max(id) - min(id) FROM {t} GROUP BY a"),

        // ORDER BY, LIMIT, OFFSET, DISTINCT
        new("order_by_alias_desc", "SELECT a AS grp, count(*) AS c FROM {t} GROUP BY a ORDER BY c DESC, grp NULLS FIRST", Ordered: true),
        new("order_by_ordinal", "SELECT s, id FROM {t} ORDER BY 1 DESC NULLS LAST, 2", Ordered: true),
        new("order_by_expression_not_selected", "SELECT id, x FROM {t} ORDER BY -x NULLS FIRST, id", Ordered: true),
        new("order_by_default_nulls", "SELECT id, d FROM {t} ORDER BY d, id", Ordered: true),
        new("order_by_desc_default_nulls", "SELECT id, dt FROM {t} ORDER BY dt DESC, id DESC", Ordered: true),
        new("order_by_strings_and_timestamps", "SELECT s, ts, id FROM {t} ORDER BY s NULLS FIRST, ts DESC NULLS LAST, id", Ordered: true),
        new("limit_after_order", "SELECT id, b FROM {t} ORDER BY b DESC NULLS LAST, id LIMIT 25", Ordered: true),
        new("offset_and_limit", "SELECT id, s FROM {t} ORDER BY id OFFSET 2990 LIMIT 20", Ordered: true),
        new("limit_count_only", "SELECT count(*) FROM (SELECT * FROM {t} LIMIT 123) q"),
        new("limit_zero", "SELECT id FROM {t} LIMIT 0"),
        new("distinct_single", "SELECT DISTINCT a % 10 FROM {t}"),
        new("distinct_multiple_with_nulls", "SELECT DISTINCT s, flag FROM {t}"),
        new("distinct_order_by", "SELECT DISTINCT a FROM {t} WHERE a < 20 ORDER BY a DESC", Ordered: true),

        // Set operations
        new("union_distinct", "SELECT a FROM {t} WHERE a < 10 UNION SELECT k FROM {u} WHERE k < 20"),
        new("union_all", "SELECT id, s FROM {t} WHERE id <= 10 UNION ALL SELECT uid, name FROM {u} WHERE uid <= 10"),
        new("union_type_widening", "SELECT a FROM {t} WHERE id <= 5 UNION ALL SELECT b FROM {t} WHERE id <= 5 UNION ALL SELECT d FROM {t} WHERE id <= 5"),

        // Joins
        new("inner_join", "SELECT t.id, u.uid, u.name, t.a FROM {t} t JOIN {u} u ON t.a = u.k WHERE u.w > 5"),
        new("left_join_with_on_filter", "SELECT t.id, u.uid FROM {t} t LEFT JOIN {u} u ON t.a = u.k AND u.w > 7"),
        new("right_join", "SELECT t.id, u.uid, u.k FROM {t} t RIGHT JOIN {u} u ON t.a = u.k"),
        new("full_join", "SELECT t.id, u.uid FROM {t} t FULL OUTER JOIN {u} u ON t.a = u.k AND t.id <= 1000"),
        new("cross_join", "SELECT count(*), sum(t.a * u.k), min(u.name) FROM {t} t CROSS JOIN {u} u WHERE t.id <= 50"),
        new("join_using", "SELECT k, count(*), sum(amt) FROM (SELECT a AS k, d FROM {t}) x JOIN {u} USING (k) GROUP BY k"),
        new("full_join_using", "SELECT k, x.id, v.uid FROM (SELECT a AS k, id FROM {t} WHERE id <= 300) x FULL JOIN {u} v USING (k)"),
        new("non_equi_join", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.a < u.k AND u.k - t.a < 2 WHERE t.id <= 100"),
        new("left_non_equi_join", "SELECT t.id, u.uid FROM {t} t LEFT JOIN {u} u ON t.a > u.k + 95 WHERE t.id <= 200"),
        new("join_on_expression", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.a + 30 = u.k"),
        new("join_mixed_key_types", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.b % 130 = u.k WHERE t.id <= 400"),
        new("join_is_not_distinct_from", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.a IS NOT DISTINCT FROM u.k WHERE t.id <= 600"),
        new("three_way_join", "SELECT a.id, b.uid, c.uid FROM {t} a JOIN {u} b ON a.a = b.k JOIN {u} c ON b.name = c.name AND c.uid < 10 WHERE a.id <= 100"),
        new("join_then_aggregate", "SELECT u.name, count(*), sum(t.d), avg(t.x) FROM {t} t JOIN {u} u ON t.a = u.k GROUP BY u.name"),
        new("self_join", "SELECT l.id, r.id FROM {t} l JOIN {t} r ON l.s = r.s AND l.id < r.id WHERE l.id <= 40 AND r.id <= 400"),

        // Subqueries, VALUES, WITH
        new("subquery_in_from", "SELECT g, c FROM (SELECT a % 7 AS g, count(*) AS c FROM {t} GROUP BY 1) q WHERE c > 10"),
        new("nested_subqueries", "SELECT q2.m FROM (SELECT max(v) AS m FROM (SELECT a * 2 AS v FROM {t} WHERE flag) q1) q2"),
        new("values_join", "SELECT v.n, v.label, t.s FROM (VALUES (1, 'one'), (2, 'two'), (3, NULL)) v(n, label) JOIN {t} t ON t.id = v.n"),
        new("values_alone", "SELECT * FROM (VALUES (1, 2.5, 'a'), (2, NULL, 'b'), (NULL, 3.25, NULL)) AS v(p, q, r)"),
        new("with_ctes", "WITH big AS (SELECT * FROM {t} WHERE x > 500), agg AS (SELECT a, count(*) AS c FROM big GROUP BY a) SELECT a, c FROM agg WHERE c >= 3"),
        new("with_cte_used_twice", "WITH g AS (SELECT a, count(*) AS c FROM {t} GROUP BY a) SELECT g1.a, g2.a FROM g g1 JOIN g g2 ON g1.c = g2.c AND g1.a < g2.a"),

        // Edge cases: empty inputs, all-NULL groups, constants, names
        new("all_null_group_aggregates", "SELECT s, sum(a), min(x), max(d), avg(b), count(a) FROM {t} WHERE a IS NULL GROUP BY s"),
        new("group_by_on_empty_input", "SELECT a, count(*) FROM {t} WHERE id < 0 GROUP BY a"),
        new("many_groups", "SELECT id % 1000, count(*), sum(x), min(s) FROM {t} GROUP BY 1"),
        new("group_by_double_and_decimal_keys", "SELECT x > 0, e > 0, round_key, count(*) FROM (SELECT x, e, d * 0 AS round_key FROM {t}) q GROUP BY x > 0, e > 0, round_key"),
        new("group_by_timestamp_and_decimal", "SELECT ts, e, count(*) FROM {t} WHERE id % 3 = 0 GROUP BY ts, e"),
        new("count_distinct_types", "SELECT count(DISTINCT s), count(DISTINCT dt), count(DISTINCT x), count(DISTINCT e), count(DISTINCT flag) FROM {t}"),
        new("min_max_strings", "SELECT min(s), max(s), min(name), max(name) FROM {t} CROSS JOIN (SELECT name FROM {u} WHERE uid < 5) q"),
        new("order_by_aggregate_not_selected", "SELECT a FROM {t} GROUP BY a ORDER BY count(*) DESC, a NULLS LAST", Ordered: true),
        new("order_by_wide_decimal_and_boolean", "SELECT id, e, flag FROM {t} ORDER BY flag NULLS FIRST, e DESC NULLS FIRST, id", Ordered: true),
        new("order_by_qualified_in_join", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.a = u.k ORDER BY u.uid DESC, t.id LIMIT 40", Ordered: true),
        new("distinct_order_by_ordinal", "SELECT DISTINCT s, length(s) FROM {t} ORDER BY 2 DESC NULLS LAST, 1 NULLS LAST", Ordered: true),
        new("offset_beyond_end", "SELECT id FROM {t} ORDER BY id OFFSET 5000 LIMIT 10", Ordered: true),
        new("top_n_over_groups", "SELECT id % 500 AS g, sum(b) AS total FROM {t} GROUP BY 1 ORDER BY total DESC NULLS LAST, g LIMIT 7", Ordered: true),
        new("constant_false_and_null_where", "SELECT id FROM {t} WHERE 1 = 0 UNION ALL SELECT id FROM {t} WHERE NULL UNION ALL SELECT id FROM {t} WHERE id = 3"),
        new("nested_case_and_null_branches", "SELECT id, CASE WHEN a IS NULL THEN NULL WHEN a > 50 THEN CASE WHEN flag THEN 'big-yes' END ELSE 'small' END FROM {t}"),
        new("coalesce_all_null_and_arithmetic_with_null", "SELECT id, coalesce(NULL, a, NULL), a + NULL, NULL || s, lower(NULL), length('') FROM {t} WHERE id <= 50"),
        new("in_list_decimals", "SELECT id, d FROM {t} WHERE d IN (1.5, 2, 100.25) OR a IN (1.0, 2.5)"),
        new("between_null_bounds", "SELECT id, a BETWEEN NULL AND 10, a BETWEEN 5 AND NULL FROM {t} WHERE id <= 300"),
        new("like_null_pattern", "SELECT id, s LIKE NULL FROM {t} WHERE id <= 20"),
        new("string_comparisons", "SELECT id, s FROM {t} WHERE s < 'b' AND s >= 'Beta'"),
        new("unary_minus_and_precedence", "SELECT id, -b, -(a + 1) * 2, a + b * 2 - id, (a - 3) * (a + 3) FROM {t}"),
        new("expression_is_null", "SELECT id FROM {t} WHERE (a + b) IS NULL OR (s || 'x') IS NULL"),
        new("cast_decimal_to_varchar", "SELECT id, CAST(d AS VARCHAR), CAST(e AS VARCHAR) FROM {t}"),
        new("decimal_with_literals", "SELECT id, d * 1.5, e + 0.0000000001, d - 0.75 FROM {t}"),
        new("avg_bigint", "SELECT a % 4, avg(b), avg(a) FROM {t} GROUP BY 1"),
        new("no_from_expressions", "SELECT 1 + 2, 'a' || 'b', abs(-3.5), lower('ABC'), upper('abc'), length('hello'), 7 % 3, -7 % 3"),

        // More joins
        new("implicit_cross_join_with_where", "SELECT t.id, u.uid FROM {t} t, {u} u WHERE t.a = u.k AND t.id <= 300"),
        new("right_join_using", "SELECT k, x.id, v.uid FROM (SELECT a AS k, id FROM {t} WHERE id <= 200) x RIGHT JOIN {u} v USING (k)"),
        new("join_using_two_columns", "SELECT k, n, count(*) FROM (SELECT a AS k, a % 3 AS n FROM {t}) x JOIN (SELECT k, k % 3 AS n FROM {u}) y USING (k, n) GROUP BY k, n"),
        new("full_join_null_keys", "SELECT x.id, y.uid FROM (SELECT id, a FROM {t} WHERE id <= 150) x FULL JOIN (SELECT uid, k FROM {u}) y ON x.a = y.k"),
        new("join_on_string_keys", "SELECT x.id, y.uid FROM {t} x JOIN {u} y ON lower(x.s) = y.name OR x.s = y.name"),
        new("join_on_int_decimal_keys", "SELECT t.id, u.uid FROM {t} t JOIN {u} u ON t.a = u.amt"),
        new("left_join_duplicates_and_aggregate", "SELECT t.a, count(u.uid), count(*), sum(u.amt) FROM {t} t LEFT JOIN {u} u ON t.a = u.k GROUP BY t.a"),
        new("join_of_aggregates", "SELECT x.a, x.c, y.c FROM (SELECT a, count(*) AS c FROM {t} GROUP BY a) x JOIN (SELECT k, count(*) AS c FROM {u} GROUP BY k) y ON x.a = y.k"),
        new("parenthesized_join", "SELECT a.id, b.uid, c.uid FROM {t} a JOIN ({u} b JOIN {u} c ON b.k = c.k AND b.uid < c.uid) ON a.a = b.k WHERE a.id <= 60"),
        new("left_join_where_on_right", "SELECT t.id, u.uid FROM {t} t LEFT JOIN {u} u ON t.a = u.k WHERE u.uid IS NULL OR u.w > 9"),
        new("right_join_where_on_left", "SELECT t.id, u.uid FROM {t} t RIGHT JOIN {u} u ON t.a = u.k AND t.id <= 500 WHERE u.uid < 100"),

        // Names, aliases, nesting
        new("case_insensitive_and_quoted_names", "SELECT ID, \"s\", T.A FROM {t} T WHERE T.Id <= 10"),
        new("subquery_column_aliases", "SELECT x1 + x2 FROM (SELECT a, id FROM {t}) AS q(x1, x2) WHERE x1 > 90"),
        new("nested_with_in_subquery", "SELECT z.c FROM (WITH inner_q AS (SELECT a FROM {t} WHERE a < 5) SELECT count(*) AS c FROM inner_q) z"),
        new("union_with_order_and_limit", "SELECT id, s FROM {t} WHERE id <= 5 UNION ALL SELECT uid, name FROM {u} WHERE uid <= 5 ORDER BY 1 DESC, 2 LIMIT 6", Ordered: true),
        new("union_distinct_strings_and_nulls", "SELECT s FROM {t} UNION SELECT name FROM {u} UNION SELECT NULL"),
        new("subquery_with_limit_inside", "SELECT count(*), sum(id) FROM (SELECT id FROM {t} ORDER BY x DESC NULLS LAST, id LIMIT 100) q"),

        // Literals
        new("literals_basic", "SELECT 1, 2147483648, 1.25, 1e3, 'text', TRUE, FALSE, NULL, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:14:15.123456', TIME '23:59:58.5'"),
        new("literals_typed", "SELECT DECIMAL '12.345', CAST(NULL AS INTEGER), UUID '12345678-90ab-cdef-1234-567890abcdef', TIMESTAMP '2020-01-01 10:00:00 +02:00'", DuckSql: "SELECT CAST('12.345' AS DECIMAL(5, 3)), CAST(NULL AS INTEGER), UUID '12345678-90ab-cdef-1234-567890abcdef', TIMESTAMPTZ '2020-01-01 10:00:00+02:00'"),
        new("literal_binary", "SELECT X'CAFE00', X''", DuckSql: "SELECT '\\xCA\\xFE\\x00'::BLOB, ''::BLOB"),
    ];
}
