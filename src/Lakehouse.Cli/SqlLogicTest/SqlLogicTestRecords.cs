namespace Lakehouse.Cli.SqlLogicTest;

/// <summary>How a query's result rows are ordered before they are compared.</summary>
public enum SortMode
{
    /// <summary>As the engine returned them.</summary>
    NoSort,

    /// <summary>Rows sorted (the query has no ORDER BY, so its order is not specified).</summary>
    RowSort,

    /// <summary>Every value sorted on its own, ignoring rows.</summary>
    ValueSort,
}

/// <summary>One record of a sqllogictest file, with the one-based line where it starts.</summary>
public abstract record SqlLogicTestRecord(int Line);

/// <summary><c>statement ok</c> or <c>statement error [pattern]</c>.</summary>
/// <param name="ExpectedError">Null for <c>statement ok</c>; otherwise a fragment or regular expression of the message (empty: any error).</param>
public sealed record StatementRecord(int Line, string Sql, string? ExpectedError) : SqlLogicTestRecord(Line);

/// <summary><c>query &lt;types&gt; [sort mode] [label]</c>, the SQL, <c>----</c> and the expected result lines.</summary>
/// <param name="ColumnTypes">One letter per result column (I, R, T, ...).</param>
/// <param name="ExpectedError">Set for <c>query error [pattern]</c>, which expects the query to fail.</param>
public sealed record QueryRecord(
    int Line,
    string Sql,
    string ColumnTypes,
    SortMode SortMode,
    string? Label,
    IReadOnlyList<string> ExpectedLines,
    string? ExpectedError) : SqlLogicTestRecord(Line);

/// <summary><c>hash-threshold N</c>: results with more than N values are compared by their MD5 hash.</summary>
public sealed record HashThresholdRecord(int Line, int Threshold) : SqlLogicTestRecord(Line);

/// <summary><c>halt</c>: the rest of the file is not run.</summary>
public sealed record HaltRecord(int Line) : SqlLogicTestRecord(Line);

/// <summary>A record the parser could not read; it counts as a failed record.</summary>
public sealed record InvalidRecord(int Line, string Message) : SqlLogicTestRecord(Line);

/// <summary>Bad sqllogictest input, with the file and line where it was found.</summary>
public sealed class SqlLogicTestException(string message) : Exception(message)
{
    public const string ParseCode = "SLT_PARSE";

    public string Code => ParseCode;
}
