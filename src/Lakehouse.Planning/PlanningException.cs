namespace Lakehouse.Planning;

/// <summary>
/// A query that cannot be planned, with a stable <see cref="Code"/> such as COLUMN_NOT_FOUND,
/// TABLE_FUNCTION_NOT_FOUND, TYPE_MISMATCH, AMBIGUOUS_NAME, INVALID_LITERAL, NOT_SUPPORTED.
/// </summary>
public sealed class PlanningException : Exception
{
    public const string ColumnNotFound = "COLUMN_NOT_FOUND";
    public const string TableNotFound = "TABLE_NOT_FOUND";
    public const string TableFunctionNotFound = "TABLE_FUNCTION_NOT_FOUND";
    public const string TypeMismatch = "TYPE_MISMATCH";
    public const string AmbiguousName = "AMBIGUOUS_NAME";
    public const string InvalidLiteral = "INVALID_LITERAL";
    public const string NotSupported = "NOT_SUPPORTED";
    public const string FunctionNotFound = "FUNCTION_NOT_FOUND";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string MustBeAggregateOrGroupBy = "EXPRESSION_NOT_AGGREGATE";

    public PlanningException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public string Code { get; }
}
