using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Parsing;

/// <summary>
/// Parses Trino-dialect SQL into syntax trees. Every failure is a <see cref="SqlParseException"/> with a one-line message.
/// </summary>
public static class SqlParser
{
    /// <summary>Parses exactly one statement; a trailing <c>;</c> is allowed.</summary>
    public static Statement Parse(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return new Parser(sql).ParseSingleStatement();
    }

    /// <summary>Parses <c>;</c>-separated statements; empty statements are skipped.</summary>
    public static IReadOnlyList<Statement> ParseScript(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return new Parser(sql).ParseStatements();
    }

    /// <summary>Parses one standalone expression, e.g. <c>a + 1 &gt; b</c>.</summary>
    public static Expression ParseExpression(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return new Parser(sql).ParseStandaloneExpression();
    }

    /// <summary>Parses a type such as <c>decimal(38, 2)</c> or <c>row(a bigint, b array(varchar))</c>.</summary>
    public static DataTypeSyntax ParseType(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return new Parser(sql).ParseStandaloneType();
    }
}
