using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;

namespace Lakehouse.Execution.Tests.Functions;

/// <summary>Bad function calls and failing arithmetic give a stable code and a one-line message naming the problem.</summary>
[Collection(EngineCollection.Name)]
public sealed class FunctionErrorTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("SELECT substr(s, 'x') FROM {t}", PlanningException.TypeMismatch, "substr")]
    [InlineData("SELECT lower(a) FROM {t}", PlanningException.TypeMismatch, "varchar")]
    [InlineData("SELECT round(s) FROM {t}", PlanningException.TypeMismatch, "round")]
    [InlineData("SELECT round(x, 1.5) FROM {t}", PlanningException.TypeMismatch, "integer")]
    [InlineData("SELECT replace(s) FROM {t}", PlanningException.InvalidArgument, "replace expects 2 to 3")]
    [InlineData("SELECT regexp_like(s, '[a-') FROM {t}", PlanningException.InvalidArgument, "[a-")]
    [InlineData("SELECT regexp_like(s, s) FROM {t}", PlanningException.NotSupported, "constant pattern")]
    [InlineData("SELECT date_trunc('fortnight', dt) FROM {t}", PlanningException.InvalidArgument, "fortnight")]
    [InlineData("SELECT date_trunc('hour', dt) FROM {t}", PlanningException.InvalidArgument, "hour")]
    [InlineData("SELECT date_add('day', x, dt) FROM {t}", PlanningException.TypeMismatch, "integer")]
    [InlineData("SELECT year(s) FROM {t}", PlanningException.TypeMismatch, "YEAR")]
    [InlineData("SELECT EXTRACT(HOUR FROM dt) FROM {t}", PlanningException.TypeMismatch, "HOUR")]
    [InlineData("SELECT ts AT TIME ZONE 'Mars/Olympus' FROM {t}", PlanningException.InvalidArgument, "Mars/Olympus")]
    [InlineData("SELECT INTERVAL '1:2' DAY", PlanningException.InvalidLiteral, "1:2")]
    [InlineData("SELECT INTERVAL '1' MONTH TO DAY", PlanningException.InvalidLiteral, "MONTH")]
    [InlineData("SELECT dt + INTERVAL '1' DAY * x FROM {t}", PlanningException.TypeMismatch, "interval")]
    [InlineData("SELECT dt - dt FROM {t}", PlanningException.TypeMismatch, "date - date")]
    [InlineData("SELECT if(a, 1, 2) FROM {t}", PlanningException.TypeMismatch, "boolean")]
    [InlineData("SELECT greatest(a, s) FROM {t}", PlanningException.TypeMismatch, "greatest")]
    [InlineData("SELECT bool_and(a) FROM {t}", PlanningException.TypeMismatch, "bool_and")]
    [InlineData("SELECT stddev(s) FROM {t}", PlanningException.TypeMismatch, "stddev")]
    [InlineData("SELECT approx_percentile(x, 1.5) FROM {t}", PlanningException.InvalidArgument, "between 0 and 1")]
    [InlineData("SELECT approx_percentile(x, a) FROM {t}", PlanningException.InvalidArgument, "constant")]
    [InlineData("SELECT min_by(a) FROM {t}", PlanningException.InvalidArgument, "min_by expects 2")]
    [InlineData("SELECT sum(a) FILTER (WHERE count(*) > 1) FROM {t}", PlanningException.MustBeAggregateOrGroupBy, "FILTER")]
    [InlineData("SELECT count_if(a) FROM {t}", PlanningException.TypeMismatch, "boolean")]
    [InlineData("SELECT id FROM {t} WHERE dt > '2020-01-01'", PlanningException.TypeMismatch, "date > varchar")]
    [InlineData("SELECT try(1, 2)", PlanningException.InvalidArgument, "try expects 1")]
    [InlineData("SELECT cardinality(a) FROM {t}", PlanningException.TypeMismatch, "an array")]
    [InlineData("SELECT lpad(s, 3) FROM {t}", PlanningException.InvalidArgument, "lpad expects 3")]
    [InlineData("SELECT split_part(s, ',') FROM {t}", PlanningException.InvalidArgument, "split_part expects 3")]
    [InlineData("SELECT substr(s) FROM {t}", PlanningException.InvalidArgument, "substr expects 2 to 3")]
    [InlineData("SELECT chr()", PlanningException.InvalidArgument, "chr expects 1")]
    [InlineData("SELECT with_timezone(current_timestamp, 'UTC')", PlanningException.TypeMismatch, "without time zone")]
    [InlineData("SELECT with_timezone(ts, 'Nowhere/Else') FROM {t}", PlanningException.InvalidArgument, "Nowhere/Else")]
    [InlineData("SELECT sum(a ORDER BY id) FROM {t}", PlanningException.NotSupported, "ORDER BY")]
    [InlineData("SELECT array_agg(DISTINCT a ORDER BY a) FROM {t}", PlanningException.NotSupported, "DISTINCT and ORDER BY")]
    [InlineData("SELECT date_format(s, '%Y') FROM {t}", PlanningException.TypeMismatch, "date_format")]
    public void PlanningErrors(string sql, string code, string detail)
    {
        var error = Assert.IsType<PlanningException>(Capture(() => fixture.Engine.Prepare(EngineFixture.ForEngine(sql))));
        AssertError(code, detail, error.Code, error.Message);
    }

    [Theory]
    [InlineData("SELECT a + 2147483647 FROM {t} WHERE a > 0", ExecutionException.NumericOverflow, "integer")]
    [InlineData("SELECT b * b FROM {t}", ExecutionException.NumericOverflow, "bigint")]
    [InlineData("SELECT -CAST(-9223372036854775807 - 1 AS BIGINT) + a FROM {t}", ExecutionException.NumericOverflow, "bigint")]
    [InlineData("SELECT abs(CAST(a - 2147483647 - 1 AS INTEGER) - a) FROM {t} WHERE a = 0", ExecutionException.NumericOverflow, "integer")]
    [InlineData("SELECT round(2147483647 + (a - a), -1) FROM {t}", ExecutionException.NumericOverflow, "round")]
    [InlineData("SELECT a / (a - a) FROM {t}", ExecutionException.DivisionByZero, "")]
    [InlineData("SELECT mod(b, a - a) FROM {t}", ExecutionException.DivisionByZero, "")]
    [InlineData("SELECT CAST(s AS INTEGER) FROM {t} WHERE s = 'alpha'", ExecutionException.InvalidCast, "alpha")]
    [InlineData("SELECT CAST(s AS DATE) FROM {t} WHERE s = 'beta'", ExecutionException.InvalidCast, "beta")]
    [InlineData("SELECT split_part(s, 'a', id - id) FROM {t}", ExecutionException.InvalidArgument, "split_part")]
    [InlineData("SELECT lpad(s, 100, substr(s, 1, 0)) FROM {t} WHERE s IS NOT NULL", ExecutionException.InvalidArgument, "padding")]
    [InlineData("SELECT rpad(s, a - 200, 'x') FROM {t} WHERE a IS NOT NULL AND s IS NOT NULL", ExecutionException.InvalidArgument, "rpad")]
    [InlineData("SELECT regexp_extract(s, '(a)', 2) FROM {t}", ExecutionException.InvalidArgument, "group")]
    [InlineData("SELECT date_add('year', 9000, dt) FROM {t}", ExecutionException.NumericOverflow, "")]
    [InlineData("SELECT date_parse(s, '%Y-%m-%d') FROM {t} WHERE s = 'alpha'", ExecutionException.InvalidArgument, "alpha")]
    [InlineData("SELECT date_format(ts, '%Q') FROM {t}", ExecutionException.InvalidArgument, "%Q")]
    [InlineData("SELECT date_parse(s, '%W %Y') FROM {t}", ExecutionException.InvalidArgument, "%W")]
    [InlineData("SELECT chr(a + 1114112) FROM {t}", ExecutionException.InvalidArgument, "code point")]
    [InlineData("SELECT codepoint(s) FROM {t} WHERE s = 'alpha'", ExecutionException.InvalidArgument, "alpha")]
    [InlineData("SELECT from_iso8601_date(s) FROM {t} WHERE s = 'beta'", ExecutionException.InvalidArgument, "beta")]
    [InlineData("SELECT lpad(s, 100000000, 'x') FROM {t}", ExecutionException.InvalidArgument, "limit")]
    [InlineData("SELECT year(date_add('day', 3000000, dt)) FROM {t}", ExecutionException.NumericOverflow, "9999")]
    public async Task ExecutionErrors(string sql, string code, string detail)
    {
        var error = await CaptureAsync(async () =>
        {
            var prepared = fixture.Engine.Prepare(EngineFixture.ForEngine(sql));
            await foreach (var batch in prepared.ExecuteAsync(CancellationToken.None))
            {
                Assert.True(batch.Length >= 0);
            }
        });
        var (actualCode, message) = error switch
        {
            ExecutionException execution => (execution.Code, execution.Message),
            PlanningException planning => (planning.Code, planning.Message),
            _ => throw new Xunit.Sdk.XunitException($"unexpected {error.GetType().Name}: {error}"),
        };
        AssertError(code, detail, actualCode, message);
    }

    [Fact]
    public async Task TryCastAndGuardedExpressionsDoNotFail()
    {
        var result = await fixture.RunAsync(
            "SELECT TRY_CAST(s AS INTEGER), if(a = 0, -1, 100 / a), CASE WHEN a IS NULL OR a = 0 THEN 0 WHEN 1000 / a > 50 THEN 1 ELSE 2 END FROM {t}");
        Assert.Equal(3000, result.Rows.Count);
    }

    private static void AssertError(string expectedCode, string detail, string code, string message)
    {
        Assert.True(expectedCode == code, $"expected code {expectedCode}, got {code}: {message}");
        Assert.DoesNotContain('\n', message);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Contains(detail, message, StringComparison.OrdinalIgnoreCase);
    }

    private static Exception Capture(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("the query did not fail");
    }

    private static async Task<Exception> CaptureAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("the query did not fail");
    }
}
