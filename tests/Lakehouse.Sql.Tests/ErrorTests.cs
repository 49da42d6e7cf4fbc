using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("SELECT a, FROM t", "line 1:11: mismatched input 'FROM'. Expecting: '*', an expression")]
    [InlineData("SELECT * FROM t WHERE", "line 1:22: unexpected end of input. Expecting: an expression")]
    [InlineData("SELECT a FORM t", "line 1:15: mismatched input 't'. Expecting: ',', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'ORDER', 'OFFSET', 'LIMIT', 'FETCH', ';', <EOF>")]
    [InlineData("SELEC 1", "line 1:1: mismatched input 'SELEC'. Expecting: 'SELECT', 'WITH', 'VALUES', 'TABLE', '(', 'EXPLAIN', 'CREATE', 'INSERT', 'DELETE', 'DROP', 'SHOW', 'DESCRIBE', 'DESC', 'SET', 'RESET', 'USE'")]
    [InlineData("SELECT * FROM t ORDER a", "line 1:23: mismatched input 'a'. Expecting: 'BY'")]
    [InlineData("SELECT (1 + 2", "line 1:14: unexpected end of input. Expecting: ',', ')'")]
    [InlineData("SELECT a FROM t JOIN u", "line 1:23: unexpected end of input. Expecting: 'FOR', 'AS', 'ON', 'USING'")]
    [InlineData("SELECT CASE a END", "line 1:15: mismatched input 'END'. Expecting: 'WHEN'")]
    [InlineData("SELECT CAST(a varchar)", "line 1:15: mismatched input 'varchar'. Expecting: 'AS'")]
    [InlineData("SELECT a FROM t LIMIT x", "line 1:23: mismatched input 'x'. Expecting: 'ALL', an integer")]
    [InlineData("SELECT INTERVAL '1' WEEK", "line 1:21: mismatched input 'WEEK'. Expecting: 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'")]
    [InlineData("SELECT a\nFROM t\nWHERE a = = 1", "line 3:11: mismatched input '='. Expecting: an expression")]
    [InlineData("SELECT a = b = c", "line 1:14: mismatched input '='. Expecting: 'AS', ',', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'ORDER', 'OFFSET', 'LIMIT', 'FETCH', ';', <EOF>")]
    [InlineData("SELECT 1 SELECT 2", "line 1:10: mismatched input 'SELECT'. Expecting: 'AS', ',', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'ORDER', 'OFFSET', 'LIMIT', 'FETCH', ';', <EOF>")]
    [InlineData("SELECT * FROM iceberg_scan('p') FOR SNAPSHOT AS OF 1", "line 1:37: mismatched input 'SNAPSHOT'. Expecting: 'VERSION', 'SYSTEM_VERSION', 'TIMESTAMP', 'SYSTEM_TIME'")]
    [InlineData("CREATE TABLE t (a bigint", "line 1:25: unexpected end of input. Expecting: '(', 'NOT', 'PRIMARY', 'NULL', 'UNIQUE', 'COMMENT', ',', ')'")]
    [InlineData("SELECT * FROM select", "line 1:15: mismatched input 'select'. Expecting: '(', a table name")]
    [InlineData("SELECT a FROM t WHERE a IS 5", "line 1:28: mismatched input '5'. Expecting: 'NOT', 'NULL', 'DISTINCT'")]
    [InlineData("SELECT INTERVAL 3 DAY", "line 1:17: interval value must be a string literal, e.g. INTERVAL '3' DAY")]
    [InlineData("", "line 1:1: unexpected end of input. Expecting: 'SELECT', 'WITH', 'VALUES', 'TABLE', '(', 'EXPLAIN', 'CREATE', 'INSERT', 'DELETE', 'DROP', 'SHOW', 'DESCRIBE', 'DESC', 'SET', 'RESET', 'USE'")]
    public void SyntaxErrorsNameThePositionAndExpectations(string sql, string message)
    {
        SqlParseException error = TestSql.ParseError(sql);
        Assert.Equal(message, error.Message);
        Assert.Equal(SqlParseException.SyntaxError, error.Code);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ErrorCarriesLineColumnAndOffset()
    {
        SqlParseException error = TestSql.ParseError("SELECT a\n  FROM t\n WHERE )");
        Assert.Equal((3, 8), (error.Line, error.Column));
        Assert.Equal("SELECT a\n  FROM t\n WHERE ".Length, error.Position);
        Assert.Equal("mismatched input ')'. Expecting: an expression", error.Detail);
    }

    [Fact]
    public void LongOrMultiLineTokensAreShownOnOneLine()
    {
        SqlParseException error = TestSql.ParseError("SELECT 1 'first line\nsecond line of a rather long string literal'");
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("...", error.Message);
    }

    [Fact]
    public void ReservedWordsAreRejectedAsIdentifiers()
    {
        Assert.Equal("line 1:8: mismatched input 'from'. Expecting: 'DISTINCT', 'ALL', '*', an expression", TestSql.ParseError("SELECT from FROM t").Message);
        Assert.Equal("line 1:15: mismatched input 'group'. Expecting: '(', a table name", TestSql.ParseError("SELECT 1 FROM group").Message);
        Assert.IsType<Ast.QueryStatement>(SqlParser.Parse("SELECT \"from\" FROM \"group\""));
    }

    [Fact]
    public void ParseExpressionRejectsTrailingInput()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("a + b c"));
        Assert.Equal("line 1:7: mismatched input 'c'. Expecting: <EOF>", error.Message);
    }

    [Fact]
    public void ParseRejectsASecondStatement()
    {
        Assert.Equal(
            "line 1:11: mismatched input 'SELECT'. Expecting: <EOF>",
            TestSql.ParseError("SELECT 1; SELECT 2").Message);
        Assert.Equal(2, SqlParser.ParseScript("SELECT 1; SELECT 2").Count);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotACrash()
    {
        string deepExpression = "SELECT " + new string('(', 5000) + "1" + new string(')', 5000);
        SqlParseException expressionError = TestSql.ParseError(deepExpression);
        Assert.Contains("too deeply nested", expressionError.Message);

        string deepQuery = string.Concat(Enumerable.Repeat("SELECT * FROM (", 2000)) + "SELECT 1" + new string(')', 2000);
        Assert.Contains("too deeply nested", TestSql.ParseError(deepQuery).Message);

        string deepNot = "SELECT " + string.Concat(Enumerable.Repeat("NOT ", 5000)) + "a";
        Assert.Contains("too deeply nested", TestSql.ParseError(deepNot).Message);

        string deepMinus = "SELECT " + string.Concat(Enumerable.Repeat("- ", 5000)) + "a";
        Assert.Contains("too deeply nested", TestSql.ParseError(deepMinus).Message);

        string deepType = "SELECT CAST(a AS " + string.Concat(Enumerable.Repeat("array(", 2000)) + "int" + new string(')', 2001);
        Assert.Contains("too deeply nested", TestSql.ParseError(deepType).Message);

        string deepFrom = "SELECT * FROM " + new string('(', 3000) + "t" + new string(')', 3000);
        Assert.Contains("too deeply nested", TestSql.ParseError(deepFrom).Message);
    }

    [Fact]
    public void ModeratelyNestedInputStillParses()
    {
        string nested = "SELECT " + new string('(', 200) + "1" + new string(')', 200);
        Assert.IsType<Ast.QueryStatement>(SqlParser.Parse(nested));
        string longChain = "SELECT " + string.Join(" + ", Enumerable.Range(0, 5000));
        Assert.IsType<Ast.QueryStatement>(SqlParser.Parse(longChain));
    }
}
