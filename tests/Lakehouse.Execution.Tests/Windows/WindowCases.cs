using Lakehouse.Execution.Tests.Differential;

namespace Lakehouse.Execution.Tests.Windows;

/// <summary>
/// Window queries run on the engine and on DuckDB. {w} is the events table, {t} the shared sample.
/// Where rows of a frame or a value function depend on the order among ties, the ORDER BY ends with id.
/// </summary>
public static class WindowCases
{
    public static readonly IReadOnlyList<DifferentialCase> All =
    [
        // Ranking
        new("row_number_partitioned", "SELECT id, g, k, row_number() OVER (PARTITION BY g ORDER BY k, id) FROM {w}"),
        new("row_number_no_partition", "SELECT id, row_number() OVER (ORDER BY v DESC, id) FROM {w}"),
        new("rank_dense_rank_ties", "SELECT id, g, k, rank() OVER (PARTITION BY g ORDER BY k), dense_rank() OVER (PARTITION BY g ORDER BY k) FROM {w}"),
        new("rank_desc_nulls_first", "SELECT id, k, rank() OVER (ORDER BY k DESC NULLS FIRST), dense_rank() OVER (ORDER BY k DESC NULLS FIRST) FROM {w}"),
        new("rank_two_keys", "SELECT id, rank() OVER (PARTITION BY g ORDER BY k NULLS FIRST, v DESC) FROM {w}"),
        new("percent_rank_cume_dist", "SELECT id, percent_rank() OVER (PARTITION BY g ORDER BY k), cume_dist() OVER (PARTITION BY g ORDER BY k) FROM {w}"),
        new("percent_rank_whole", "SELECT id, percent_rank() OVER (ORDER BY v), cume_dist() OVER (ORDER BY v), cume_dist() OVER () FROM {w}"),
        new("ntile_buckets", "SELECT id, ntile(4) OVER (PARTITION BY g ORDER BY id), ntile(7) OVER (ORDER BY k, id), ntile(1000) OVER (PARTITION BY k ORDER BY id) FROM {w}"),
        new("rank_on_main_table", "SELECT id, s, rank() OVER (PARTITION BY s ORDER BY a), dense_rank() OVER (ORDER BY flag, dt DESC) FROM {t}"),

        // lag and lead
        new("lag_lead_default_offset", "SELECT id, lag(v) OVER (PARTITION BY g ORDER BY ts, id), lead(v) OVER (PARTITION BY g ORDER BY ts, id) FROM {w}"),
        new("lag_lead_offsets_defaults", "SELECT id, lag(v, 3, -1) OVER (ORDER BY id), lead(x, 2, 0.5) OVER (PARTITION BY g ORDER BY id), lag(amt, 0) OVER (ORDER BY id) FROM {w}"),
        new("lag_strings_dates", "SELECT id, lag(s, 1, 'none') OVER (PARTITION BY a ORDER BY id), lead(dt) OVER (PARTITION BY flag ORDER BY id) FROM {t}"),
        new("lag_past_partition", "SELECT id, lag(id, 100) OVER (PARTITION BY g ORDER BY id), lead(id, 150, 0) OVER (PARTITION BY g ORDER BY id) FROM {w}"),

        // first, last, nth value
        new("first_last_default_frame", "SELECT id, first_value(v) OVER (PARTITION BY g ORDER BY id), last_value(v) OVER (PARTITION BY g ORDER BY id) FROM {w}"),
        new("last_value_range_peers", "SELECT id, last_value(k) OVER (PARTITION BY g ORDER BY k) FROM {w}"),
        new("first_last_whole_partition", "SELECT id, first_value(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), last_value(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM {w}"),
        new("nth_value_frames", "SELECT id, nth_value(v, 2) OVER (PARTITION BY g ORDER BY id), nth_value(v, 3) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), nth_value(v, 50) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM {w}"),
        new("first_value_sliding", "SELECT id, first_value(amt) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), last_value(amt) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 4 FOLLOWING) FROM {w}"),

        // IGNORE NULLS
        new("lag_lead_ignore_nulls", "SELECT id, lag(v) IGNORE NULLS OVER (PARTITION BY g ORDER BY id), lead(v, 2) IGNORE NULLS OVER (PARTITION BY g ORDER BY id), lag(v, 3, 0) IGNORE NULLS OVER (ORDER BY id) FROM {w}", DuckSql: "SELECT id, lag(v IGNORE NULLS) OVER (PARTITION BY g ORDER BY id), lead(v, 2 IGNORE NULLS) OVER (PARTITION BY g ORDER BY id), lag(v, 3, 0 IGNORE NULLS) OVER (ORDER BY id) FROM {w}"),
        new("first_last_nth_ignore_nulls", "SELECT id, first_value(k) IGNORE NULLS OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), last_value(k) IGNORE NULLS OVER (PARTITION BY g ORDER BY id), nth_value(k, 2) IGNORE NULLS OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM {w}", DuckSql: "SELECT id, first_value(k IGNORE NULLS) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), last_value(k IGNORE NULLS) OVER (PARTITION BY g ORDER BY id), nth_value(k, 2 IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM {w}"),

        // Aggregates with the default frame (peers included) and over the whole partition
        new("running_sum_default_frame", "SELECT id, g, k, sum(v) OVER (PARTITION BY g ORDER BY k), count(v) OVER (PARTITION BY g ORDER BY k), count(*) OVER (PARTITION BY g ORDER BY k) FROM {w}"),
        new("partition_totals", "SELECT id, g, sum(v) OVER (PARTITION BY g), avg(v) OVER (PARTITION BY g), min(x) OVER (PARTITION BY g), max(x) OVER (PARTITION BY g), count(*) OVER () FROM {w}"),
        new("running_decimal_sum", "SELECT id, sum(amt) OVER (PARTITION BY g ORDER BY ts, id), min(amt) OVER (PARTITION BY g ORDER BY ts, id), max(amt) OVER (ORDER BY ts DESC, id) FROM {w}"),
        new("running_min_max_strings", "SELECT id, min(s) OVER (PARTITION BY a ORDER BY id), max(s) OVER (PARTITION BY a ORDER BY id), min(dt) OVER (ORDER BY id), max(ts) OVER (PARTITION BY flag ORDER BY id) FROM {t}"),
        new("bigint_decimal_sums_main", "SELECT id, sum(b) OVER (PARTITION BY a ORDER BY id), sum(d) OVER (PARTITION BY s), sum(e) OVER (PARTITION BY a ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), avg(a) OVER (PARTITION BY s ORDER BY id) FROM {t}"),
        new("avg_double_running", "SELECT id, avg(x) OVER (PARTITION BY g ORDER BY id), sum(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM {w}"),

        // Other aggregates, DISTINCT and FILTER, frame by frame
        new("statistical_aggregates", "SELECT id, stddev_samp(x) OVER (PARTITION BY g), var_pop(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING), stddev_pop(amt) OVER (ORDER BY k RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM {w}"),
        new("boolean_aggregates", "SELECT id, bool_and(v > 0) OVER (PARTITION BY g ORDER BY id ROWS 2 PRECEDING), bool_or(k > 10) OVER (PARTITION BY uid) FROM {w}"),
        new("count_if_and_filter", "SELECT id, count_if(v > 0) OVER (PARTITION BY g ORDER BY id), sum(v) FILTER (WHERE k > 5) OVER (PARTITION BY g ORDER BY id ROWS 5 PRECEDING), count(*) FILTER (WHERE x < 0) OVER (PARTITION BY uid) FROM {w}", DuckSql: "SELECT id, count(CASE WHEN v > 0 THEN 1 END) OVER (PARTITION BY g ORDER BY id), sum(v) FILTER (WHERE k > 5) OVER (PARTITION BY g ORDER BY id ROWS 5 PRECEDING), count(*) FILTER (WHERE x < 0) OVER (PARTITION BY uid) FROM {w}"),
        new("distinct_aggregates", "SELECT id, count(DISTINCT k) OVER (PARTITION BY g), sum(DISTINCT k) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW), count(DISTINCT uid) OVER (ORDER BY id ROWS BETWEEN 20 PRECEDING AND 20 FOLLOWING) FROM {w}"),
        new("min_by_max_by", "SELECT id, min_by(id, v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), max_by(amt, id) OVER (PARTITION BY uid) FROM {w} WHERE v IS NOT NULL AND amt IS NOT NULL"),
        new("rolling_30_day_distinct_users", "SELECT id, ts, count(DISTINCT uid) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW) AS users_30d FROM {w} WHERE ts IS NOT NULL"),

        // ROWS frames
        new("rows_sliding", "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), count(v) OVER (ORDER BY id ROWS 3 PRECEDING), min(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), max(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM {w}"),
        new("rows_preceding_only", "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING), max(k) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM {w}"),
        new("rows_following_only", "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), min(k) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING), count(*) OVER (ORDER BY id ROWS BETWEEN 0 FOLLOWING AND 0 FOLLOWING) FROM {w}"),
        new("rows_empty_frames", "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 3 FOLLOWING AND 2 FOLLOWING), count(*) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 2 PRECEDING) FROM {w}"),
        new("rows_unbounded_following", "SELECT id, sum(amt) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), min(x) OVER (ORDER BY id DESC ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM {w}"),
        new("rows_large_offsets", "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN 100000 PRECEDING AND 100000 FOLLOWING), count(*) OVER (ORDER BY id ROWS BETWEEN 9223372036854775807 PRECEDING AND 9223372036854775807 FOLLOWING), count(*) OVER (ORDER BY k GROUPS BETWEEN 9223372036854775807 PRECEDING AND 9223372036854775807 FOLLOWING) FROM {w}"),

        // RANGE frames
        new("range_current_row_peers", "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY k RANGE BETWEEN CURRENT ROW AND CURRENT ROW), count(*) OVER (ORDER BY k RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM {w}"),
        new("range_numeric_offsets", "SELECT id, k, sum(v) OVER (PARTITION BY g ORDER BY k RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY k RANGE BETWEEN 3 PRECEDING AND CURRENT ROW), min(v) OVER (ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM {w}"),
        new("range_numeric_desc", "SELECT id, k, sum(v) OVER (PARTITION BY g ORDER BY k DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW), max(v) OVER (ORDER BY k DESC RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM {w}"),
        new("range_following_only", "SELECT id, k, count(*) OVER (ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING), sum(v) OVER (ORDER BY k RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING) FROM {w}"),
        new("range_nulls_first", "SELECT id, k, count(*) OVER (ORDER BY k NULLS FIRST RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING), sum(v) OVER (PARTITION BY g ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM {w}"),
        new("range_double_key", "SELECT id, x, count(*) OVER (ORDER BY x RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), sum(v) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN 2.5 PRECEDING AND CURRENT ROW) FROM {w}"),
        new("range_decimal_key", "SELECT id, amt, count(*) OVER (ORDER BY amt RANGE BETWEEN 1000.5 PRECEDING AND 500 FOLLOWING), sum(v) OVER (ORDER BY amt DESC RANGE BETWEEN 100 PRECEDING AND 0.25 FOLLOWING) FROM {w}"),
        new("range_bigint_key_main", "SELECT id, count(*) OVER (ORDER BY b RANGE BETWEEN 100000000000 PRECEDING AND 100000000000 FOLLOWING), sum(a) OVER (PARTITION BY flag ORDER BY a RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM {t}"),
        new("range_interval_days_timestamp", "SELECT id, ts, sum(v) OVER (PARTITION BY g ORDER BY ts RANGE BETWEEN INTERVAL '3' DAY PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '12' HOUR PRECEDING AND INTERVAL '12' HOUR FOLLOWING) FROM {w}"),
        new("range_interval_date", "SELECT id, dt, count(v) OVER (ORDER BY dt RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND CURRENT ROW), sum(amt) OVER (PARTITION BY g ORDER BY dt DESC RANGE BETWEEN INTERVAL '10' DAY PRECEDING AND INTERVAL '1' DAY PRECEDING) FROM {w}"),
        new("range_interval_month", "SELECT id, dt, count(*) OVER (ORDER BY dt RANGE BETWEEN INTERVAL '1' MONTH PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY ts RANGE BETWEEN CURRENT ROW AND INTERVAL '2' MONTH FOLLOWING) FROM {w}"),
        new("range_interval_day_to_second", "SELECT id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 12:00:00' DAY TO SECOND PRECEDING AND CURRENT ROW) FROM {w}", DuckSql: "SELECT id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '36 hours' PRECEDING AND CURRENT ROW) FROM {w}"),

        new("main_table_interval_frames", "SELECT id, sum(d) OVER (PARTITION BY a ORDER BY dt RANGE BETWEEN INTERVAL '365' DAY PRECEDING AND CURRENT ROW), max(e) OVER (PARTITION BY flag ORDER BY ts RANGE BETWEEN INTERVAL '90' DAY PRECEDING AND INTERVAL '90' DAY FOLLOWING), count(x) OVER (ORDER BY ts DESC RANGE BETWEEN INTERVAL '6' MONTH PRECEDING AND INTERVAL '1' MONTH PRECEDING) FROM {t}"),
        new("main_table_mixed_functions", "SELECT id, row_number() OVER (PARTITION BY a ORDER BY b, id), rank() OVER (PARTITION BY a ORDER BY flag), lag(x, 2) OVER (PARTITION BY s ORDER BY id), min(s) OVER (PARTITION BY a ORDER BY id ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING), first_value(s) OVER (PARTITION BY dt ORDER BY id), cume_dist() OVER (PARTITION BY flag ORDER BY a DESC) FROM {t}"),

        // GROUPS frames
        new("groups_frames", "SELECT id, k, count(*) OVER (ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(v) OVER (PARTITION BY g ORDER BY k GROUPS BETWEEN 2 PRECEDING AND CURRENT ROW), min(v) OVER (PARTITION BY g ORDER BY k GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) FROM {w}"),

        // Rolling 30-day style analytics
        new("rolling_30_day_totals", "SELECT id, uid, ts, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW) AS events_30d, sum(amt) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW) AS amount_30d FROM {w}"),
        new("rolling_30_day_per_user", "SELECT id, uid, count(*) OVER (PARTITION BY uid ORDER BY ts RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW), sum(v) OVER (PARTITION BY uid ORDER BY ts RANGE BETWEEN INTERVAL '30' DAY PRECEDING AND CURRENT ROW) FROM {w}"),
        new("rolling_30_day_users_approx", "SELECT d, count(DISTINCT uid) AS users, sum(count(*)) OVER (ORDER BY d RANGE BETWEEN INTERVAL '29' DAY PRECEDING AND CURRENT ROW) AS events_30d FROM (SELECT uid, dt AS d FROM {w} WHERE dt IS NOT NULL) GROUP BY d"),
        new("rolling_distinct_users_self_join", "SELECT a.d, count(DISTINCT b.uid) FROM (SELECT DISTINCT dt AS d FROM {w} WHERE dt IS NOT NULL) a JOIN {w} b ON b.dt <= a.d AND b.dt > a.d - INTERVAL '30' DAY GROUP BY a.d"),

        // Windows over aggregation, month over month
        new("month_over_month_lag", "SELECT g, mon, sum(amt) AS total, lag(sum(amt)) OVER (PARTITION BY g ORDER BY mon) AS previous, sum(amt) - lag(sum(amt)) OVER (PARTITION BY g ORDER BY mon) AS change FROM {w} GROUP BY g, mon"),
        new("share_of_total", "SELECT g, count(*) AS n, sum(count(*)) OVER () AS total, rank() OVER (ORDER BY count(*) DESC) FROM {w} GROUP BY g"),
        new("rank_by_aggregate_having", "SELECT uid, sum(v), dense_rank() OVER (ORDER BY sum(v) DESC NULLS LAST) FROM {w} GROUP BY uid HAVING count(*) > 10"),
        new("window_over_aggregate_partition_expression", "SELECT mon, g, max(v) AS top, avg(max(v)) OVER (PARTITION BY g ORDER BY mon ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM {w} GROUP BY mon, g"),

        // Named windows, expressions, ORDER BY, DISTINCT, subqueries
        new("named_window", "SELECT id, sum(v) OVER w, row_number() OVER w, lag(v) OVER w FROM {w} WINDOW w AS (PARTITION BY g ORDER BY id)"),
        new("named_window_refined", "SELECT id, sum(v) OVER (p ORDER BY id), count(*) OVER (p), sum(v) OVER (p ORDER BY id ROWS 1 PRECEDING) FROM {w} WINDOW p AS (PARTITION BY g)"),
        new("named_window_chain", "SELECT id, rank() OVER b FROM {w} WINDOW a AS (PARTITION BY g), b AS (a ORDER BY k)"),
        new("window_in_expression", "SELECT id, v - lag(v) OVER (ORDER BY id) AS delta, CAST(v AS DOUBLE) / sum(v) OVER (PARTITION BY g) AS share, CASE WHEN row_number() OVER (PARTITION BY g ORDER BY id) = 1 THEN 'first' ELSE 'other' END FROM {w}"),
        new("window_in_order_by", "SELECT id, g FROM {w} ORDER BY row_number() OVER (PARTITION BY g ORDER BY id DESC), id", Ordered: true),
        new("order_by_window_over_aggregate", "SELECT g, sum(v) FROM {w} GROUP BY g ORDER BY rank() OVER (ORDER BY sum(v) DESC), g", Ordered: true),
        new("window_over_rollup", "SELECT g, k, sum(v) AS total, rank() OVER (PARTITION BY g ORDER BY sum(v) DESC NULLS LAST) FROM {w} WHERE k < 4 GROUP BY ROLLUP (g, k)"),
        new("window_alias_order_limit", "SELECT id, sum(v) OVER (ORDER BY id) AS running FROM {w} ORDER BY running DESC NULLS LAST, id LIMIT 20", Ordered: true),
        new("top_n_per_group", "SELECT g, id, v FROM (SELECT g, id, v, row_number() OVER (PARTITION BY g ORDER BY v DESC NULLS LAST, id) AS rn FROM {w}) WHERE rn <= 3"),
        new("distinct_window_values", "SELECT DISTINCT g, count(*) OVER (PARTITION BY g) FROM {w}"),
        new("window_with_where", "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY id) FROM {w} WHERE k > 5 AND v IS NOT NULL"),
        new("many_windows_mixed", "SELECT id, row_number() OVER (ORDER BY id), rank() OVER (PARTITION BY uid ORDER BY k), sum(v) OVER (PARTITION BY g ORDER BY ts, id ROWS 2 PRECEDING), max(x) OVER (PARTITION BY k), lead(g) OVER (PARTITION BY uid ORDER BY id) FROM {w}"),
        new("select_star_with_window", "SELECT *, row_number() OVER (PARTITION BY uid ORDER BY id) FROM {w}"),
        new("outer_filter_on_window_and_partition", "SELECT * FROM (SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY v DESC, id) AS rn, sum(v) OVER (PARTITION BY g) AS total FROM {w}) q WHERE g = 'north' AND rn <= 5"),
        new("window_in_cte_joined", "WITH ranked AS (SELECT id, uid, rank() OVER (PARTITION BY uid ORDER BY amt DESC) AS r FROM {w}) SELECT a.id, a.r, b.id FROM ranked a JOIN ranked b ON a.uid = b.uid AND a.r = b.r + 1"),
        new("windows_in_union", "SELECT id, row_number() OVER (ORDER BY id) FROM {w} WHERE g = 'east' UNION ALL SELECT id, rank() OVER (ORDER BY k) FROM {w} WHERE g = 'west'"),
        new("window_over_join", "SELECT a.id, b.uid, count(*) OVER (PARTITION BY a.g), sum(b.v) OVER (PARTITION BY a.g ORDER BY a.id, b.id ROWS 2 PRECEDING) FROM {w} a JOIN {w} b ON a.uid = b.uid AND a.id < b.id AND b.id < a.id + 40"),
        new("window_with_scalar_subquery", "SELECT id, (SELECT max(v) FROM {w}) - sum(v) OVER (PARTITION BY g) FROM {w} WHERE id IN (SELECT id FROM {w} WHERE k > 3)"),
        new("window_empty_input", "SELECT id, row_number() OVER (ORDER BY id), sum(v) OVER () FROM {w} WHERE id < 0"),
        new("window_without_from", "SELECT row_number() OVER (), sum(5) OVER ()"),
        new("count_star_over_empty_partition_order", "SELECT g, count(*) OVER (PARTITION BY g ORDER BY g) FROM {w}"),
    ];
}
