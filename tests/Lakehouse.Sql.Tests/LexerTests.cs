using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class LexerTests
{
    private static SqlTokenKind[] Kinds(string sql) => SqlLexer.Tokenize(sql).Select(token => token.Kind).ToArray();

    [Fact]
    public void WordsNumbersAndSymbols()
    {
        List<SqlToken> tokens = SqlLexer.Tokenize("SELECT a1, 42, 1.5, .5, 1e3, 2.5E-2 FROM t");
        Assert.Equal(
            new[]
            {
                SqlTokenKind.Word, SqlTokenKind.Word, SqlTokenKind.Comma, SqlTokenKind.Integer, SqlTokenKind.Comma,
                SqlTokenKind.Decimal, SqlTokenKind.Comma, SqlTokenKind.Decimal, SqlTokenKind.Comma, SqlTokenKind.Double,
                SqlTokenKind.Comma, SqlTokenKind.Double, SqlTokenKind.Word, SqlTokenKind.Word, SqlTokenKind.End,
            },
            tokens.Select(token => token.Kind));
        Assert.Equal("2.5E-2", tokens[11].Text);
        Assert.Equal(".5", tokens[7].Text);
    }

    [Fact]
    public void Operators()
    {
        Assert.Equal(
            new[]
            {
                SqlTokenKind.Plus, SqlTokenKind.Minus, SqlTokenKind.Star, SqlTokenKind.Slash, SqlTokenKind.Percent,
                SqlTokenKind.Concat, SqlTokenKind.Equal, SqlTokenKind.NotEqual, SqlTokenKind.NotEqual, SqlTokenKind.LessThan,
                SqlTokenKind.LessThanOrEqual, SqlTokenKind.GreaterThan, SqlTokenKind.GreaterThanOrEqual, SqlTokenKind.Arrow,
                SqlTokenKind.LeftBracket, SqlTokenKind.RightBracket, SqlTokenKind.Parameter, SqlTokenKind.Semicolon, SqlTokenKind.End,
            },
            Kinds("+ - * / % || = <> != < <= > >= -> [ ] ? ;"));
    }

    [Fact]
    public void StringsAndQuotedIdentifiersResolveEscapes()
    {
        List<SqlToken> tokens = SqlLexer.Tokenize("'it''s' \"a \"\"b\"\"\" `c`");
        Assert.Equal(SqlTokenKind.String, tokens[0].Kind);
        Assert.Equal("it's", tokens[0].Text);
        Assert.Equal(SqlTokenKind.QuotedIdentifier, tokens[1].Kind);
        Assert.Equal("a \"b\"", tokens[1].Text);
        Assert.Equal(SqlTokenKind.QuotedIdentifier, tokens[2].Kind);
        Assert.Equal("c", tokens[2].Text);
    }

    [Fact]
    public void BinaryAndUnicodeLiterals()
    {
        List<SqlToken> tokens = SqlLexer.Tokenize("X'0a 0B' U&'\\0041'");
        Assert.Equal(SqlTokenKind.Binary, tokens[0].Kind);
        Assert.Equal("0A0B", tokens[0].Text);
        Assert.Equal(SqlTokenKind.UnicodeString, tokens[1].Kind);
        Assert.Equal("\\0041", tokens[1].Text);
    }

    [Fact]
    public void CommentsAreSkippedAndPositionsTracked()
    {
        List<SqlToken> tokens = SqlLexer.Tokenize("-- first line\nSELECT /* a\nmulti-line */ x");
        Assert.Equal(SqlTokenKind.Word, tokens[0].Kind);
        Assert.Equal((2, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal("x", tokens[1].Text);
        Assert.Equal((3, 15), (tokens[1].Line, tokens[1].Column));
        Assert.Equal(SqlTokenKind.End, tokens[2].Kind);
    }

    [Fact]
    public void NonAsciiNamesAreQuotedIdentifiers()
    {
        SqlToken token = SqlLexer.Tokenize("\"caf\u00e9\"")[0];
        Assert.Equal((SqlTokenKind.QuotedIdentifier, "caf\u00e9"), (token.Kind, token.Text));
    }

    [Fact]
    public void MinusMinusStartsACommentButSingleMinusIsAnOperator()
    {
        Assert.Equal(new[] { SqlTokenKind.Integer, SqlTokenKind.Minus, SqlTokenKind.Integer, SqlTokenKind.End }, Kinds("1 - 2 -- 3"));
    }

    [Theory]
    [InlineData("SELECT 'abc", "line 1:8: unterminated string literal")]
    [InlineData("SELECT\n  \"abc", "line 2:3: unterminated quoted identifier")]
    [InlineData("SELECT /* never closed", "line 1:8: unterminated comment")]
    [InlineData("SELECT #", "line 1:8: unexpected character '#'")]
    [InlineData("SELECT 12abc", "line 1:8: identifiers must not start with a digit; surround the identifier with double quotes")]
    [InlineData("SELECT \"\"", "line 1:8: zero-length delimited identifier")]
    [InlineData("SELECT caf\u00e9", "line 1:11: unexpected character '\u00e9'")]
    [InlineData("SELECT 1 ! 2", "line 1:10: unexpected character '!'")]
    [InlineData("SELECT a | b", "line 1:10: unexpected character '|'")]
    public void LexicalErrors(string sql, string message)
    {
        var error = Assert.Throws<SqlParseException>(() => SqlLexer.Tokenize(sql));
        Assert.Equal(message, error.Message);
        Assert.Equal(SqlParseException.SyntaxError, error.Code);
    }

    [Theory]
    [InlineData("X'0G'")]
    [InlineData("X'ABC'")]
    public void MalformedBinaryLiteralsAreInvalidLiterals(string sql)
    {
        var error = Assert.Throws<SqlParseException>(() => SqlLexer.Tokenize(sql));
        Assert.Equal(SqlParseException.InvalidLiteral, error.Code);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }
}
