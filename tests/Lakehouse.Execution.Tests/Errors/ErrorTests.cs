using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning;
using Lakehouse.Sql;

namespace Lakehouse.Execution.Tests.Errors;

/// <summary>Bad queries fail with a stable code and a one-line message that names the problem and, where known, its position.</summary>
[Collection(EngineCollection.Name)]
public sealed class ErrorTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("SELECT nope FROM {t}", PlanningException.ColumnNotFound, "line 1:8", "nope")]
    [InlineData("SELECT id FROM {t}\nWHERE t.missing > 1", PlanningException.ColumnNotFound, "line 2:7", "missing")]
    [InlineData("SELECT id FROM {t} a JOIN {t} b ON a.id = b.id", PlanningException.AmbiguousName, "line 1:8", "'id' is ambiguous")]
    [InlineData("SELECT 'a' + 1", PlanningException.TypeMismatch, "line 1:8", "varchar + integer")]
    [InlineData("SELECT id FROM {t} WHERE s > 3", PlanningException.TypeMismatch, "line 1:", "varchar")]
    [InlineData("SELECT id FROM {t} WHERE a", PlanningException.TypeMismatch, "line 1:", "must be boolean")]
    [InlineData("SELECT s, count(*) FROM {t} GROUP BY a", PlanningException.MustBeAggregateOrGroupBy, "line 1:8", "'s'")]
    [InlineData("SELECT a FROM {t} GROUP BY a HAVING sum(s) > 1", PlanningException.TypeMismatch, "line 1:", "sum")]
    [InlineData("SELECT id FROM {t} WHERE count(*) > 1", PlanningException.MustBeAggregateOrGroupBy, "line 1:", "WHERE")]
    [InlineData("SELECT * FROM nope_table('x')", PlanningException.TableFunctionNotFound, "line 1:15", "nope_table")]
    [InlineData("SELECT * FROM memory_table('no_such_table')", PlanningException.TableNotFound, null, "no_such_table")]
    [InlineData("SELECT * FROM plain_table", PlanningException.TableNotFound, "line 1:15", "plain_table")]
    [InlineData("SELECT frobnicate(1)", PlanningException.FunctionNotFound, "line 1:8", "frobnicate")]
    [InlineData("SELECT CAST(a AS DATE) FROM {t}", PlanningException.TypeMismatch, "line 1:8", "cannot cast integer to date")]
    [InlineData("SELECT a FROM {t}\nORDER BY 5", PlanningException.InvalidArgument, "line 2:10", "ORDER BY position 5")]
    [InlineData("SELECT a FROM {t} UNION SELECT a, b FROM {t}", PlanningException.TypeMismatch, "line 1:", "columns")]
    [InlineData("SELECT DATE '2024-13-45'", PlanningException.InvalidLiteral, "line 1:8", "2024-13-45")]
    [InlineData("SELECT id FROM {t} WHERE row_number() OVER (ORDER BY id) > 1", PlanningException.InvalidArgument, "line 1:", "WHERE cannot contain window functions")]
    [InlineData("SELECT a, b FROM {t} INTERSECT SELECT k FROM {u}", PlanningException.TypeMismatch, "line 1:", "INTERSECT inputs have 2 and 1 columns")]
    [InlineData("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", PlanningException.NotSupported, "line 1:", "WITH RECURSIVE")]
    public void PlanningErrors(string sql, string code, string? position, string detail)
    {
        // Malformed literals may be caught by the parser or the binder; the code is the same.
        var (actualCode, message) = CodeOf(Capture(() => fixture.Engine.Prepare(EngineFixture.ForEngine(sql))));
        AssertError(code, position, detail, actualCode, message);
    }

    [Theory]
    [InlineData("SELECT FROM WHERE", "line 1:8")]
    [InlineData("SELECT id FROM {t} WHERE", "line 1:")]
    [InlineData("SELECT (1 + 2 FROM {t}", "line 1:")]
    [InlineData("SELECT id\nFROM {t}\nORDER id", "line 3:7")]
    [InlineData("SELECT 'unterminated FROM {t}", "line 1:")]
    public void SyntaxErrors(string sql, string position)
    {
        var error = Assert.IsType<SqlParseException>(Capture(() => fixture.Engine.Prepare(EngineFixture.ForEngine(sql))));
        AssertError(SqlParseException.SyntaxError, position, string.Empty, error.Code, error.Message);
    }

    [Theory]
    [InlineData("SELECT a / (id - id) FROM {t}", ExecutionException.DivisionByZero)]
    [InlineData("SELECT b % (a - a) FROM {t} WHERE a IS NOT NULL", ExecutionException.DivisionByZero)]
    [InlineData("SELECT d / (a - a) FROM {t} WHERE a IS NOT NULL", ExecutionException.DivisionByZero)]
    [InlineData("SELECT 1 / 0", ExecutionException.DivisionByZero)]
    [InlineData("SELECT CAST(s AS INTEGER) FROM {t}", ExecutionException.InvalidCast)]
    [InlineData("SELECT CAST('abc' AS DATE)", ExecutionException.InvalidCast)]
    [InlineData("SELECT CAST(s AS DECIMAL(5, 1)) FROM {t}", ExecutionException.InvalidCast)]
    [InlineData("SELECT CAST(b AS INTEGER) FROM {t}", ExecutionException.NumericOverflow)]
    [InlineData("SELECT a + 2147483600 FROM {t}", ExecutionException.NumericOverflow)]
    [InlineData("SELECT sum(b * 9000000) FROM {t}", ExecutionException.NumericOverflow)]
    [InlineData("SELECT CAST(d * 1000000000 AS DECIMAL(12, 2)) FROM {t}", ExecutionException.NumericOverflow)]
    public async Task ExecutionErrors(string sql, string code)
    {
        var error = await CaptureAsync(async () =>
        {
            var prepared = fixture.Engine.Prepare(EngineFixture.ForEngine(sql));
            await foreach (var batch in prepared.ExecuteAsync(CancellationToken.None))
            {
                Assert.True(batch.Length >= 0);
            }
        });

        // Constant expressions may fail while planning (folding); either way the code is the execution code.
        var (actualCode, message) = CodeOf(error);
        AssertError(code, null, string.Empty, actualCode, message);
    }

    [Fact]
    public async Task TryCastTurnsBadValuesIntoNulls()
    {
        var result = await fixture.RunAsync("SELECT TRY_CAST('abc' AS INTEGER), TRY_CAST('2024-02-30' AS DATE), TRY_CAST('12' AS INTEGER)");
        var row = Assert.Single(result.Rows);
        Assert.Null(row[0]);
        Assert.Null(row[1]);
        Assert.Equal(Cell.Integer("12"), row[2]);
    }

    private static void AssertError(string expectedCode, string? position, string detail, string code, string message)
    {
        Assert.True(expectedCode == code, $"expected code {expectedCode}, got {code}: {message}");
        Assert.DoesNotContain('\n', message);
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (position is not null)
        {
            Assert.StartsWith(position, message);
        }

        Assert.Contains(detail, message, StringComparison.OrdinalIgnoreCase);
    }

    private static (string Code, string Message) CodeOf(Exception error) => error switch
    {
        ExecutionException execution => (execution.Code, execution.Message),
        PlanningException planning => (planning.Code, planning.Message),
        SqlParseException parse => (parse.Code, parse.Message),
        _ => throw new Xunit.Sdk.XunitException($"unexpected {error.GetType().Name}: {error}"),
    };

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
