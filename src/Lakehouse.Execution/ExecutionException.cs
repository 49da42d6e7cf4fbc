namespace Lakehouse.Execution;

/// <summary>
/// A query that failed while running, with a stable <see cref="Code"/> such as NUMERIC_OVERFLOW,
/// DIVISION_BY_ZERO, INVALID_CAST, INVALID_FRAGMENT, WORKER_FAILED.
/// </summary>
public sealed class ExecutionException : Exception
{
    public const string NumericOverflow = "NUMERIC_OVERFLOW";
    public const string DivisionByZero = "DIVISION_BY_ZERO";
    public const string InvalidCast = "INVALID_CAST";
    public const string InvalidFragment = "INVALID_FRAGMENT";
    public const string WorkerFailed = "WORKER_FAILED";
    public const string NotSupported = "NOT_SUPPORTED";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string SubqueryMultipleRows = "SUBQUERY_MULTIPLE_ROWS";
    public const string MemoryLimitExceeded = "MEMORY_LIMIT_EXCEEDED";
    public const string SpillFailed = "SPILL_FAILED";

    public ExecutionException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public string Code { get; }
}
