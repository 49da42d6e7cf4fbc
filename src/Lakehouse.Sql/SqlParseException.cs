namespace Lakehouse.Sql;

/// <summary>
/// A SQL text that cannot be tokenized or parsed. <see cref="Code"/> is stable: <see cref="SyntaxError"/> for grammar
/// and token errors, <see cref="InvalidLiteral"/> for malformed literals. The message is one line, e.g.
/// <c>line 1:15: mismatched input 'FROM'. Expecting: an expression</c>.
/// </summary>
public sealed class SqlParseException : Exception
{
    public const string SyntaxError = "SYNTAX_ERROR";
    public const string InvalidLiteral = "INVALID_LITERAL";

    public SqlParseException(string code, string detail, int line, int column, int position)
        : base($"line {line}:{column}: {detail}")
    {
        Code = code;
        Detail = detail;
        Line = line;
        Column = column;
        Position = position;
    }

    public string Code { get; }

    /// <summary>The message without its position prefix.</summary>
    public string Detail { get; }

    /// <summary>One-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>One-based column of the offending text.</summary>
    public int Column { get; }

    /// <summary>Zero-based character offset of the offending text.</summary>
    public int Position { get; }
}
