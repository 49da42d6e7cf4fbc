using System.Text;

namespace Lakehouse.Sql.Parsing;

public enum SqlTokenKind
{
    /// <summary>An unquoted word: a keyword or an identifier; <see cref="SqlToken.Text"/> is as written.</summary>
    Word,

    /// <summary>A "double quoted" or `backquoted` identifier; <see cref="SqlToken.Text"/> has the escapes resolved.</summary>
    QuotedIdentifier,

    /// <summary>A '...' literal; <see cref="SqlToken.Text"/> has '' escapes resolved.</summary>
    String,

    /// <summary>A U&amp;'...' literal; <see cref="SqlToken.Text"/> has '' resolved but Unicode escapes still in place.</summary>
    UnicodeString,

    /// <summary>An X'...' literal; <see cref="SqlToken.Text"/> holds the upper-cased hex digits.</summary>
    Binary,
    Integer,
    Decimal,
    Double,
    Parameter,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Concat,
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Semicolon,
    Arrow,

    /// <summary><c>::</c>, the PostgreSQL/DuckDB cast operator.</summary>
    DoubleColon,
    End,
}

/// <summary>A token: its kind, decoded text, zero-based offset and length in the source, one-based line and column.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Start, int Length, int Line, int Column)
{
    public int End => Start + Length;
}

/// <summary>Splits SQL text into tokens, skipping whitespace and <c>--</c> / <c>/* */</c> comments.</summary>
public static class SqlLexer
{
    /// <summary>Tokenizes <paramref name="sql"/>; the last token is always <see cref="SqlTokenKind.End"/>.</summary>
    public static List<SqlToken> Tokenize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>(Math.Max(16, sql.Length / 4));
        ReadOnlySpan<char> text = sql.AsSpan();
        int position = 0;
        int line = 1;
        int lineStart = 0;
        var builder = new StringBuilder();

        while (true)
        {
            // Whitespace and comments.
            while (position < text.Length)
            {
                char current = text[position];
                if (current == '\n')
                {
                    position++;
                    line++;
                    lineStart = position;
                }
                else if (char.IsWhiteSpace(current))
                {
                    position++;
                }
                else if (current == '-' && Next(text, position) == '-')
                {
                    while (position < text.Length && text[position] != '\n')
                    {
                        position++;
                    }
                }
                else if (current == '/' && Next(text, position) == '*')
                {
                    int commentStart = position;
                    int commentLine = line;
                    int commentColumn = position - lineStart + 1;
                    position += 2;
                    bool closed = false;
                    while (position < text.Length)
                    {
                        if (text[position] == '*' && Next(text, position) == '/')
                        {
                            position += 2;
                            closed = true;
                            break;
                        }

                        if (text[position] == '\n')
                        {
                            line++;
                            lineStart = position + 1;
                        }

                        position++;
                    }

                    if (!closed)
                    {
                        throw new SqlParseException(SqlParseException.SyntaxError, "unterminated comment", commentLine, commentColumn, commentStart);
                    }
                }
                else
                {
                    break;
                }
            }

            int start = position;
            int column = start - lineStart + 1;
            int startLine = line;
            if (position >= text.Length)
            {
                tokens.Add(new SqlToken(SqlTokenKind.End, string.Empty, start, 0, line, column));
                return tokens;
            }

            char first = text[position];
            SqlTokenKind kind;
            string value;

            if ((first == 'x' || first == 'X') && Next(text, position) == '\'')
            {
                position++;
                string body = ReadQuoted(text, ref position, '\'', ref line, ref lineStart, builder, startLine, column, start, "unterminated binary literal");
                value = HexDigits(body, startLine, column, start);
                kind = SqlTokenKind.Binary;
            }
            else if ((first == 'u' || first == 'U') && Next(text, position) == '&' && position + 2 < text.Length && text[position + 2] == '\'')
            {
                position += 2;
                value = ReadQuoted(text, ref position, '\'', ref line, ref lineStart, builder, startLine, column, start, "unterminated string literal");
                kind = SqlTokenKind.UnicodeString;
            }
            else if (char.IsAsciiLetter(first) || first == '_')
            {
                position++;
                while (position < text.Length && IsWordPart(text[position]))
                {
                    position++;
                }

                value = text[start..position].ToString();
                kind = SqlTokenKind.Word;
            }
            else if (char.IsAsciiDigit(first) || (first == '.' && char.IsAsciiDigit(Next(text, position))))
            {
                kind = ReadNumber(text, ref position);
                if (position < text.Length && (char.IsAsciiLetter(text[position]) || text[position] == '_'))
                {
                    throw new SqlParseException(
                        SqlParseException.SyntaxError,
                        "identifiers must not start with a digit; surround the identifier with double quotes",
                        startLine,
                        column,
                        start);
                }

                value = text[start..position].ToString();
            }
            else
            {
                switch (first)
                {
                    case '\'':
                        value = ReadQuoted(text, ref position, '\'', ref line, ref lineStart, builder, startLine, column, start, "unterminated string literal");
                        kind = SqlTokenKind.String;
                        break;
                    case '"':
                        value = ReadQuoted(text, ref position, '"', ref line, ref lineStart, builder, startLine, column, start, "unterminated quoted identifier");
                        kind = SqlTokenKind.QuotedIdentifier;
                        RequireNonEmptyIdentifier(value, startLine, column, start);
                        break;
                    case '`':
                        value = ReadQuoted(text, ref position, '`', ref line, ref lineStart, builder, startLine, column, start, "unterminated quoted identifier");
                        kind = SqlTokenKind.QuotedIdentifier;
                        RequireNonEmptyIdentifier(value, startLine, column, start);
                        break;
                    default:
                        kind = ReadSymbol(text, ref position, startLine, column);
                        value = text[start..position].ToString();
                        break;
                }
            }

            tokens.Add(new SqlToken(kind, value, start, position - start, startLine, column));
        }
    }

    private static char Next(ReadOnlySpan<char> text, int position) =>
        position + 1 < text.Length ? text[position + 1] : '\0';

    // Unquoted identifiers are ASCII, as in Trino; anything else must be written as a quoted identifier.
    private static bool IsWordPart(char character) => char.IsAsciiLetterOrDigit(character) || character == '_';

    private static void RequireNonEmptyIdentifier(string value, int line, int column, int start)
    {
        if (value.Length == 0)
        {
            throw new SqlParseException(SqlParseException.SyntaxError, "zero-length delimited identifier", line, column, start);
        }
    }

    /// <summary>Reads a literal delimited by <paramref name="quote"/> (doubled inside to escape), starting at the opening quote.</summary>
    private static string ReadQuoted(
        ReadOnlySpan<char> text,
        ref int position,
        char quote,
        ref int line,
        ref int lineStart,
        StringBuilder builder,
        int startLine,
        int startColumn,
        int start,
        string unterminatedMessage)
    {
        builder.Clear();
        position++;
        while (position < text.Length)
        {
            char current = text[position];
            if (current == quote)
            {
                if (Next(text, position) == quote)
                {
                    builder.Append(quote);
                    position += 2;
                    continue;
                }

                position++;
                return builder.ToString();
            }

            if (current == '\n')
            {
                line++;
                lineStart = position + 1;
            }

            builder.Append(current);
            position++;
        }

        throw new SqlParseException(SqlParseException.SyntaxError, unterminatedMessage, startLine, startColumn, start);
    }

    private static string HexDigits(string body, int line, int column, int start)
    {
        var digits = new StringBuilder(body.Length);
        foreach (char character in body)
        {
            if (char.IsWhiteSpace(character))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(character))
            {
                throw new SqlParseException(
                    SqlParseException.InvalidLiteral,
                    $"binary literal can only contain hexadecimal digits, found '{character}'",
                    line,
                    column,
                    start);
            }

            digits.Append(char.ToUpperInvariant(character));
        }

        if (digits.Length % 2 != 0)
        {
            throw new SqlParseException(SqlParseException.InvalidLiteral, "binary literal must contain an even number of hexadecimal digits", line, column, start);
        }

        return digits.ToString();
    }

    private static SqlTokenKind ReadNumber(ReadOnlySpan<char> text, ref int position)
    {
        SqlTokenKind kind = SqlTokenKind.Integer;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (position < text.Length && text[position] == '.')
        {
            kind = SqlTokenKind.Decimal;
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
        }

        if (position < text.Length && (text[position] == 'e' || text[position] == 'E'))
        {
            int exponentDigits = position + 1;
            if (exponentDigits < text.Length && (text[exponentDigits] == '+' || text[exponentDigits] == '-'))
            {
                exponentDigits++;
            }

            if (exponentDigits < text.Length && char.IsAsciiDigit(text[exponentDigits]))
            {
                position = exponentDigits;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    position++;
                }

                kind = SqlTokenKind.Double;
            }
        }

        return kind;
    }

    private static SqlTokenKind ReadSymbol(ReadOnlySpan<char> text, ref int position, int line, int column)
    {
        char current = text[position];
        char next = Next(text, position);
        position++;
        switch (current)
        {
            case '+': return SqlTokenKind.Plus;
            case '-':
                if (next == '>')
                {
                    position++;
                    return SqlTokenKind.Arrow;
                }

                return SqlTokenKind.Minus;
            case '*': return SqlTokenKind.Star;
            case '/': return SqlTokenKind.Slash;
            case '%': return SqlTokenKind.Percent;
            case '(': return SqlTokenKind.LeftParen;
            case ')': return SqlTokenKind.RightParen;
            case '[': return SqlTokenKind.LeftBracket;
            case ']': return SqlTokenKind.RightBracket;
            case ',': return SqlTokenKind.Comma;
            case '.': return SqlTokenKind.Dot;
            case ';': return SqlTokenKind.Semicolon;
            case '?': return SqlTokenKind.Parameter;
            case '=': return SqlTokenKind.Equal;
            case ':':
                if (next == ':')
                {
                    position++;
                    return SqlTokenKind.DoubleColon;
                }

                break;
            case '|':
                if (next == '|')
                {
                    position++;
                    return SqlTokenKind.Concat;
                }

                break;
            case '!':
                if (next == '=')
                {
                    position++;
                    return SqlTokenKind.NotEqual;
                }

                break;
            case '<':
                if (next == '=')
                {
                    position++;
                    return SqlTokenKind.LessThanOrEqual;
                }

                if (next == '>')
                {
                    position++;
                    return SqlTokenKind.NotEqual;
                }

                return SqlTokenKind.LessThan;
            case '>':
                if (next == '=')
                {
                    position++;
                    return SqlTokenKind.GreaterThanOrEqual;
                }

                return SqlTokenKind.GreaterThan;
        }

        string shown = char.IsControl(current) ? $"\\u{(int)current:X4}" : current.ToString();
        throw new SqlParseException(SqlParseException.SyntaxError, $"unexpected character '{shown}'", line, column, position - 1);
    }
}
