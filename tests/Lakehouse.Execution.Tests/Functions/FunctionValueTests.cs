using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Functions;

/// <summary>Trino answers that DuckDB spells or types differently (intervals, zones, month-end clamping, sketches), checked against known values.</summary>
[Collection(EngineCollection.Name)]
public sealed class FunctionValueTests(EngineFixture fixture)
{
    private async Task<object?[]> SingleRowAsync(string sql) => Assert.Single((await fixture.RunAsync(sql)).Rows);

    [Fact]
    public async Task MonthArithmeticClampsToTheMonthEnd()
    {
        var row = await SingleRowAsync(
            "SELECT date_add('month', 1, DATE '2024-01-31'), DATE '2024-03-31' - INTERVAL '1' MONTH, TIMESTAMP '2023-01-31 10:00:00' + INTERVAL '1' MONTH, " +
            "DATE '2024-02-29' + INTERVAL '1' YEAR, date_add('quarter', -1, DATE '2024-05-31')");
        Assert.Equal(Cell.Date("2024-02-29"), row[0]);
        Assert.Equal(Cell.Date("2024-02-29"), row[1]);
        Assert.Equal("ts:" + ScalarText.FormatTimestamp(Micros(2023, 2, 28, 10), false), row[2]);
        Assert.Equal(Cell.Date("2025-02-28"), row[3]);
        Assert.Equal(Cell.Date("2024-02-29"), row[4]);
    }

    [Fact]
    public async Task DateDiffCountsWholeUnitsWithMonthEnds()
    {
        var row = await SingleRowAsync(
            "SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-29'), date_diff('month', DATE '2024-02-29', DATE '2024-01-31'), " +
            "date_diff('month', DATE '2024-01-15', DATE '2024-02-14'), date_diff('year', DATE '2020-02-29', DATE '2021-02-28'), " +
            "date_diff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 22:59:59'), date_diff('second', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:01:00.5')");
        Assert.Equal(Cell.Integer("1"), row[0]);
        Assert.Equal(Cell.Integer("-1"), row[1]);
        Assert.Equal(Cell.Integer("0"), row[2]);
        Assert.Equal(Cell.Integer("1"), row[3]);
        Assert.Equal(Cell.Integer("0"), row[4]);
        Assert.Equal(Cell.Integer("60"), row[5]);
    }

    [Fact]
    public async Task IntervalsHaveTrinoTypesAndText()
    {
        var result = await fixture.RunAsync(
            "SELECT INTERVAL '3' DAY, INTERVAL '1-2' YEAR TO MONTH, CAST(INTERVAL '3' DAY AS VARCHAR), CAST(INTERVAL '1-2' YEAR TO MONTH AS VARCHAR), " +
            "CAST(TIMESTAMP '2020-01-02 03:00:00' - TIMESTAMP '2020-01-01 00:00:00' AS VARCHAR), CAST(-INTERVAL '90' MINUTE AS VARCHAR), " +
            "CAST(INTERVAL '2' DAY * 3 + INTERVAL '12' HOUR AS VARCHAR), INTERVAL '1' DAY > INTERVAL '23' HOUR, CAST(INTERVAL '-1' YEAR AS VARCHAR)");
        Assert.Equal("interval day to second", result.ColumnTypes[0]);
        Assert.Equal("interval year to month", result.ColumnTypes[1]);
        var row = Assert.Single(result.Rows);
        Assert.Equal(Cell.Text("3 00:00:00.000"), row[2]);
        Assert.Equal(Cell.Text("1-2"), row[3]);
        Assert.Equal(Cell.Text("1 03:00:00.000"), row[4]);
        Assert.Equal(Cell.Text("-0 01:30:00.000"), row[5]);
        Assert.Equal(Cell.Text("6 12:00:00.000"), row[6]);
        Assert.Equal(Cell.Boolean(true), row[7]);
        Assert.Equal(Cell.Text("-1-0"), row[8]);
    }

    [Fact]
    public async Task AtTimeZoneShowsTheZoneWallClock()
    {
        var row = await SingleRowAsync(
            "SELECT hour(TIMESTAMP '2020-06-01 12:00:00 UTC' AT TIME ZONE '+02:00'), CAST(TIMESTAMP '2020-06-01 12:00:00 UTC' AT TIME ZONE '-03:30' AS TIMESTAMP), " +
            "hour(TIMESTAMP '2020-06-01 12:00:00 UTC' AT TIME ZONE 'America/New_York'), hour(TIMESTAMP '2020-01-01 12:00:00 UTC' AT TIME ZONE 'America/New_York'), " +
            "CAST(TIMESTAMP '2020-06-01 12:00:00' AT TIME ZONE 'Asia/Kolkata' AS VARCHAR), TIMESTAMP '2020-06-01 12:00:00' AT TIME ZONE 'UTC', " +
            "TIMESTAMP '2020-06-01 12:00:00 UTC' AT TIME ZONE '+02:00' = TIMESTAMP '2020-06-01 12:00:00 UTC', date_trunc('day', TIMESTAMP '2020-06-01 22:00:00 UTC' AT TIME ZONE '+05:00')");
        Assert.Equal(Cell.Integer("14"), row[0]);
        Assert.Equal("ts:" + ScalarText.FormatTimestamp(Micros(2020, 6, 1, 8, 30), false), row[1]);
        Assert.Equal(Cell.Integer("8"), row[2]);
        Assert.Equal(Cell.Integer("7"), row[3]);
        Assert.StartsWith("str:2020-06-01 17:30:00", (string)row[4]!);
        Assert.EndsWith("Asia/Kolkata", (string)row[4]!);
        Assert.Equal(Cell.TimestampTz(Micros(2020, 6, 1, 12)), row[5]);
        Assert.Equal(Cell.Boolean(true), row[6]);
        Assert.Equal(Cell.TimestampTz(Micros(2020, 6, 1, 19)), row[7]);
    }

    [Fact]
    public async Task CurrentTimeFunctionsAreNow()
    {
        long before = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var row = await SingleRowAsync("SELECT now(), current_timestamp, current_date, to_unixtime(now())");
        long after = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var seconds = (double)row[3]!;
        Assert.InRange(seconds, (before / 1e6) - 1, (after / 1e6) + 1);
        Assert.Equal(Cell.Date(ScalarText.FormatDate((int)(after / ScalarText.MicrosPerDay))), row[2]);
        Assert.StartsWith("tstz:", (string)row[0]!);
        Assert.StartsWith("tstz:", (string)row[1]!);
    }

    [Fact]
    public async Task StringEdgeCasesFollowTrino()
    {
        var row = await SingleRowAsync(
            "SELECT split_part('a,b,c', ',', 4), split_part('abc', '', 2), replace('abc', '', '-'), lpad('ab', 5, 'xyz'), rpad('héllo', 3, '!'), " +
            "reverse('añb'), length('añb'), strpos('añbñ', 'ñ'), substr('añbc', 2, 2), trim('\t x \n'), regexp_extract('abc', 'x'), regexp_extract('a1b22', '([a-z])([0-9]+)', 2)");
        Assert.Null(row[0]);
        Assert.Equal(Cell.Text("b"), row[1]);
        Assert.Equal(Cell.Text("-a-b-c-"), row[2]);
        Assert.Equal(Cell.Text("xyzab"), row[3]);
        Assert.Equal(Cell.Text("hél"), row[4]);
        Assert.Equal(Cell.Text("bña"), row[5]);
        Assert.Equal(Cell.Integer("3"), row[6]);
        Assert.Equal(Cell.Integer("2"), row[7]);
        Assert.Equal(Cell.Text("ñb"), row[8]);
        Assert.Equal(Cell.Text("x"), row[9]);
        Assert.Null(row[10]);
        Assert.Equal(Cell.Text("1"), row[11]);
    }

    [Fact]
    public async Task ResultTypesFollowTrino()
    {
        var result = await fixture.RunAsync(
            "SELECT round(d), round(d, 1), ceil(d), floor(e), truncate(d), sign(d), round(a), power(a, 2), length(s), strpos(s, 'a'), " +
            "d + e, d * d, d / 3, d % 7, a / 2, greatest(a, b), if(flag, a, x), approx_percentile(a, 0.5), approx_distinct(s), stddev(a), count_if(flag) " +
            "FROM {t} GROUP BY d, e, a, s, b, flag, x");
        Assert.Equal(
            [
                "decimal(11,0)", "decimal(13,2)", "decimal(11,0)", "decimal(29,0)", "decimal(10,0)", "decimal(1,0)", "integer", "double", "bigint", "bigint",
                "decimal(38,10)", "decimal(24,4)", "decimal(12,2)", "decimal(12,2)", "integer", "bigint", "double", "bigint", "bigint", "double", "bigint",
            ],
            result.ColumnTypes);
    }

    [Fact]
    public async Task ApproxDistinctIsWithinItsErrorBound()
    {
        var exact = await SingleRowAsync("SELECT count(DISTINCT b), count(DISTINCT s), count(DISTINCT a) FROM {t}");
        var approximate = await SingleRowAsync("SELECT approx_distinct(b), approx_distinct(s), approx_distinct(a) FROM {t}");
        for (int c = 0; c < 3; c++)
        {
            double expected = double.Parse(((string)exact[c]!)[4..], System.Globalization.CultureInfo.InvariantCulture);
            double actual = double.Parse(((string)approximate[c]!)[4..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(actual, expected * 0.93, expected * 1.07);
        }

        var large = await SingleRowAsync("SELECT approx_distinct(t.id * 1000 + u.uid), approx_distinct(u.uid) FROM {t} t CROSS JOIN {u} u");
        double largeEstimate = double.Parse(((string)large[0]!)[4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(largeEstimate, 600_000 * 0.93, 600_000 * 1.07);
        Assert.Equal(Cell.Integer("200"), large[1]);
    }

    [Fact]
    public async Task ApproxPercentileIsTheNearestRankValue()
    {
        var row = await SingleRowAsync(
            "SELECT approx_percentile(v, 0.5), approx_percentile(v, 0), approx_percentile(v, 1), approx_percentile(v, 0.25), approx_percentile(CAST(v AS DOUBLE), 0.75) " +
            "FROM (VALUES 5, 1, 4, 2, 3, NULL) AS r(v)");
        Assert.Equal(Cell.Integer("3"), row[0]);
        Assert.Equal(Cell.Integer("1"), row[1]);
        Assert.Equal(Cell.Integer("5"), row[2]);
        Assert.Equal(Cell.Integer("2"), row[3]);
        Assert.Equal(4.0, row[4]);
    }

    [Fact]
    public async Task MinByAndMaxByKeepNullValuesAndSkipNullKeys()
    {
        var row = await SingleRowAsync(
            "SELECT min_by(v, k), max_by(v, k), min_by(v, k) FILTER (WHERE k > 1), max_by(v, k) FILTER (WHERE k < 3) " +
            "FROM (VALUES ('a', 2), (NULL, 1), ('c', 3), ('z', NULL)) AS r(v, k)");
        Assert.Null(row[0]);
        Assert.Equal(Cell.Text("c"), row[1]);
        Assert.Equal(Cell.Text("a"), row[2]);
        Assert.Equal(Cell.Text("a"), row[3]);
    }

    [Fact]
    public async Task DateFormatAndParseSpecifiers()
    {
        var row = await SingleRowAsync(
            "SELECT date_format(TIMESTAMP '2020-06-01 15:04:05.123456', '%T %r %f %v %c/%e %k %l %% %y'), date_parse('7:05 PM 03-Feb-2021', '%l:%i %p %d-%b-%Y'), " +
            "date_parse('2021-032', '%Y-%j'), date_parse('12:30 am', '%h:%i %p')");
        Assert.Equal(Cell.Text("15:04:05 03:04:05 PM 123456 23 6/1 15 3 % 20"), row[0]);
        Assert.Equal("ts:" + ScalarText.FormatTimestamp(Micros(2021, 2, 3, 19, 5), false), row[1]);
        Assert.Equal("ts:" + ScalarText.FormatTimestamp(Micros(2021, 2, 1, 0), false), row[2]);
        Assert.Equal("ts:" + ScalarText.FormatTimestamp(Micros(1970, 1, 1, 0, 30), false), row[3]);
    }

    [Fact]
    public async Task TryAndCoalesceTurnGuardedFailuresIntoValues()
    {
        var row = await SingleRowAsync("SELECT try(1 / 0), coalesce(1, 1 / 0), try(CAST('x' AS INTEGER)), try(2147483647 + 1), try(split_part('a', 'b', 0)), if(true, 1, 1 / 0)");
        Assert.Null(row[0]);
        Assert.Equal(Cell.Integer("1"), row[1]);
        Assert.Null(row[2]);
        Assert.Null(row[3]);
        Assert.Null(row[4]);
        Assert.Equal(Cell.Integer("1"), row[5]);
    }

    [Fact]
    public async Task Iso8601TextRoundTrips()
    {
        var row = await SingleRowAsync(
            "SELECT from_iso8601_timestamp('2020-05-06T07:08:09.5+02:00'), from_iso8601_date('2020-05-06'), to_iso8601(TIMESTAMP '2020-06-01 12:00:00 UTC' AT TIME ZONE '+02:00'), " +
            "to_iso8601(from_iso8601_timestamp('2020-01-01T00:00:00Z')), chr(241), codepoint('ñ'), levenshtein_distance('kitten', 'sitting'), concat_ws(',', 'a', NULL, 'b')");
        Assert.Equal(Cell.TimestampTz(Micros(2020, 5, 6, 5, 8) + 9_500_000), row[0]);
        Assert.Equal(Cell.Date("2020-05-06"), row[1]);
        Assert.Equal(Cell.Text("2020-06-01T14:00:00.000000+02:00"), row[2]);
        Assert.Equal(Cell.Text("2020-01-01T00:00:00.000000Z"), row[3]);
        Assert.Equal(Cell.Text("ñ"), row[4]);
        Assert.Equal(Cell.Integer("241"), row[5]);
        Assert.Equal(Cell.Integer("3"), row[6]);
        Assert.Equal(Cell.Text("a,b"), row[7]);
    }

    [Fact]
    public async Task NullArgumentsGiveNull()
    {
        var row = await SingleRowAsync(
            "SELECT substr(NULL, 1), round(NULL, 2), date_trunc('day', NULL), regexp_like('a', NULL), array_join(NULL, ','), NULL + INTERVAL '1' DAY, " +
            "greatest(NULL, 1), concat_ws(NULL, 'a'), date_diff('day', NULL, DATE '2020-01-01'), if(NULL, 1, 2)");
        for (int c = 0; c < 9; c++)
        {
            Assert.Null(row[c]);
        }

        Assert.Equal(Cell.Integer("2"), row[9]);
    }

    [Fact]
    public async Task WithTimezoneReadsTheWallClockInTheZone()
    {
        var row = await SingleRowAsync(
            "SELECT with_timezone(TIMESTAMP '2020-06-01 12:00:00', 'America/New_York') = TIMESTAMP '2020-06-01 16:00:00 UTC', " +
            "to_iso8601(with_timezone(TIMESTAMP '2020-01-15 12:00:00', 'America/New_York')), hour(at_timezone(TIMESTAMP '2020-06-01 12:00:00 UTC', '+05:30')), " +
            "current_timezone(), with_timezone(TIMESTAMP '2020-06-01 12:00:00', '-02:00')");
        Assert.Equal(Cell.Boolean(true), row[0]);
        Assert.Equal(Cell.Text("2020-01-15T12:00:00.000000-05:00"), row[1]);
        Assert.Equal(Cell.Integer("17"), row[2]);
        Assert.Equal(Cell.Text("UTC"), row[3]);
        Assert.Equal(Cell.TimestampTz(Micros(2020, 6, 1, 14)), row[4]);
    }

    private static long Micros(int year, int month, int day, int hour, int minute = 0) =>
        (new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
