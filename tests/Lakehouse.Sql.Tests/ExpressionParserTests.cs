using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class ExpressionParserTests
{
    private static string Tree(string sql) => TreeText.Of(SqlParser.ParseExpression(sql));

    [Theory]
    [InlineData("a OR b AND c", "(OR a (AND b c))")]
    [InlineData("a AND b OR c", "(OR (AND a b) c)")]
    [InlineData("NOT a AND b", "(AND (Not a) b)")]
    [InlineData("NOT a = b", "(Not (= a b))")]
    [InlineData("NOT NOT a", "(Not (Not a))")]
    [InlineData("a = b AND c <> d", "(AND (= a b) (<> c d))")]
    [InlineData("a + b * c", "(+ a (* b c))")]
    [InlineData("a * b + c", "(+ (* a b) c)")]
    [InlineData("a - b - c", "(- (- a b) c)")]
    [InlineData("a / b % c * d", "(* (% (/ a b) c) d)")]
    [InlineData("a || b + c", "(|| a (+ b c))")]
    [InlineData("a || b = c || d", "(= (|| a b) (|| c d))")]
    [InlineData("-a * b", "(* (Minus a) b)")]
    [InlineData("- -a", "(Minus (Minus a))")]
    [InlineData("+a", "(Plus a)")]
    [InlineData("a + b < c * d", "(< (+ a b) (* c d))")]
    [InlineData("a != b", "(<> a b)")]
    [InlineData("a <= b OR a >= c", "(OR (<= a b) (>= a c))")]
    [InlineData("(a OR b) AND c", "(AND (OR a b) c)")]
    [InlineData("a BETWEEN b + 1 AND c AND d", "(AND (between a (+ b 1) c) d)")]
    [InlineData("a NOT BETWEEN 1 AND 2", "(notbetween a 1 2)")]
    [InlineData("a IS NULL OR b IS NOT NULL", "(OR (isnull a) (isnotnull b))")]
    [InlineData("a + 1 IS NULL", "(isnull (+ a 1))")]
    [InlineData("a IS DISTINCT FROM b + 1", "(distinct a (+ b 1))")]
    [InlineData("a IS NOT DISTINCT FROM b", "(notdistinct a b)")]
    [InlineData("a IN (1, 2, 3)", "(in a [1 2 3])")]
    [InlineData("a NOT IN ('x')", "(notin a ['x'])")]
    [InlineData("name LIKE 'a%' ESCAPE '\\'", "(like name 'a%' '\\')")]
    [InlineData("name NOT LIKE 'a' || 'b'", "(notlike name (|| 'a' 'b'))")]
    [InlineData("NOT a LIKE 'x'", "(Not (like a 'x'))")]
    [InlineData("ts AT TIME ZONE 'UTC'", "(at ts 'UTC')")]
    [InlineData("-ts AT TIME ZONE 'UTC'", "(Minus (at ts 'UTC'))")]
    [InlineData("a + ts AT TIME ZONE 'UTC'", "(+ a (at ts 'UTC'))")]
    [InlineData("arr[1].f", "(deref (subscript arr 1) f)")]
    [InlineData("-arr[1]", "(Minus (subscript arr 1))")]
    [InlineData("t.col", "t.col")]
    [InlineData("cat.sch.t.col", "cat.sch.t.col")]
    [InlineData("\"Mixed Case\".x", "Mixed Case.x")]
    [InlineData("(a).b", "a.b")]
    [InlineData("f(x).y.z", "(deref (deref f(x) y) z)")]
    [InlineData("-9223372036854775808", "(Minus 9223372036854775808)")]
    public void PrecedenceAndAssociativity(string sql, string expected)
    {
        Assert.Equal(expected, Tree(sql));
    }

    [Fact]
    public void IntegerDecimalAndDoubleLiteralsKeepTheirText()
    {
        Assert.Equal("123", Assert.IsType<IntegerLiteral>(TestSql.Expression("123")).Text);
        Assert.Equal("99999999999999999999", Assert.IsType<IntegerLiteral>(TestSql.Expression("99999999999999999999")).Text);
        Assert.Equal("3.14159265358979323846264", Assert.IsType<DecimalLiteral>(TestSql.Expression("3.14159265358979323846264")).Text);
        Assert.Equal("1.5", Assert.IsType<DecimalLiteral>(TestSql.Expression("1.5")).Text);
        Assert.Equal(1000d, Assert.IsType<DoubleLiteral>(TestSql.Expression("1e3")).Value);
        Assert.True(Assert.IsType<IntegerLiteral>(TestSql.Expression("9223372036854775807")).TryGetInt64(out long maximum));
        Assert.Equal(long.MaxValue, maximum);
    }

    [Fact]
    public void StringBooleanNullBinaryAndParameterLiterals()
    {
        Assert.Equal("it's", Assert.IsType<StringLiteral>(TestSql.Expression("'it''s'")).Value);
        Assert.True(Assert.IsType<BooleanLiteral>(TestSql.Expression("TRUE")).Value);
        Assert.False(Assert.IsType<BooleanLiteral>(TestSql.Expression("false")).Value);
        Assert.IsType<NullLiteral>(TestSql.Expression("null"));
        Assert.Equal(new byte[] { 1, 2, 0xAB }, Assert.IsType<BinaryLiteral>(TestSql.Expression("X'0102ab'")).ToBytes());
        var row = Assert.IsType<RowConstructor>(TestSql.Expression("(?, ?)"));
        Assert.Equal(new[] { 0, 1 }, row.Items.Select(item => Assert.IsType<Parameter>(item).Index));
    }

    [Theory]
    [InlineData("U&'\\0041\\+01F600'", "A\U0001F600")]
    [InlineData("U&'#0041##' UESCAPE '#'", "A#")]
    [InlineData("U&'plain'", "plain")]
    public void UnicodeStrings(string sql, string expected)
    {
        Assert.Equal(expected, Assert.IsType<StringLiteral>(TestSql.Expression(sql)).Value);
    }

    [Theory]
    [InlineData("DATE '2020-01-01'", "date", "2020-01-01")]
    [InlineData("date '1998-12-01'", "date", "1998-12-01")]
    [InlineData("TIME '12:34:56'", "time", "12:34:56")]
    [InlineData("TIMESTAMP '2023-05-15 14:30:45+00:00'", "timestamp", "2023-05-15 14:30:45+00:00")]
    [InlineData("TIMESTAMP WITH TIME ZONE '2023-05-15 14:30:45 UTC'", "timestamp with time zone", "2023-05-15 14:30:45 UTC")]
    [InlineData("DECIMAL '1.50'", "decimal", "1.50")]
    [InlineData("NUMERIC '-2'", "decimal", "-2")]
    [InlineData("UUID '1571effb-facd-42a3-90e9-0af522e9b6c2'", "uuid", "1571effb-facd-42a3-90e9-0af522e9b6c2")]
    [InlineData("REAL '1.5'", "real", "1.5")]
    [InlineData("DOUBLE '1e3'", "double", "1e3")]
    [InlineData("DOUBLE PRECISION '2'", "double", "2")]
    [InlineData("BIGINT '7'", "bigint", "7")]
    [InlineData("INT '7'", "integer", "7")]
    public void TypedLiterals(string sql, string type, string value)
    {
        var literal = Assert.IsType<TypedLiteral>(TestSql.Expression(sql));
        Assert.Equal(type, literal.Type.Name);
        Assert.Equal(value, literal.Value);
        Assert.Equal(sql.Length, literal.Span.Length);
    }

    [Theory]
    [InlineData("DATE 'x'")]
    [InlineData("DATE '2021-02-29'")]
    [InlineData("DATE '2020-13-01'")]
    [InlineData("DECIMAL 'abc'")]
    [InlineData("DECIMAL '1.2.3'")]
    public void MalformedTypedLiteralsAreInvalidLiterals(string sql)
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression(sql));
        Assert.Equal(SqlParseException.InvalidLiteral, error.Code);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void LeapDayIsAValidDate()
    {
        Assert.Equal("2020-02-29", Assert.IsType<TypedLiteral>(TestSql.Expression("DATE '2020-02-29'")).Value);
    }

    [Theory]
    [InlineData("INTERVAL '3' DAY", IntervalSign.Positive, "3", IntervalField.Day, null)]
    [InlineData("INTERVAL '1-2' YEAR TO MONTH", IntervalSign.Positive, "1-2", IntervalField.Year, IntervalField.Month)]
    [InlineData("INTERVAL - '90' DAY", IntervalSign.Negative, "90", IntervalField.Day, null)]
    [InlineData("interval '1 02:03:04' day to second", IntervalSign.Positive, "1 02:03:04", IntervalField.Day, IntervalField.Second)]
    public void IntervalLiterals(string sql, IntervalSign sign, string value, IntervalField from, IntervalField? to)
    {
        var interval = Assert.IsType<IntervalLiteral>(TestSql.Expression(sql));
        Assert.Equal((sign, value, from, to), (interval.Sign, interval.Value, interval.From, interval.To));
    }

    [Fact]
    public void DateMinusInterval()
    {
        var subtract = Assert.IsType<BinaryExpression>(TestSql.Expression("date '1998-12-01' - interval '90' day"));
        Assert.Equal(BinaryOperator.Subtract, subtract.Operator);
        Assert.IsType<TypedLiteral>(subtract.Left);
        Assert.IsType<IntervalLiteral>(subtract.Right);
    }

    [Fact]
    public void NonReservedWordsAreIdentifiers()
    {
        foreach (string word in new[] { "year", "date", "timestamp", "value", "data", "count", "first", "last", "position", "format", "version", "key", "filter", "interval", "array", "row", "time" })
        {
            var column = Assert.IsType<ColumnRef>(TestSql.Expression(word));
            Assert.Equal(word, column.Name.Value);
        }
    }

    [Fact]
    public void SearchedAndSimpleCase()
    {
        var searched = Assert.IsType<CaseExpression>(TestSql.Expression("CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END"));
        Assert.Null(searched.Operand);
        Assert.Equal(2, searched.WhenClauses.Count);
        Assert.IsType<BinaryExpression>(searched.WhenClauses[0].Condition);
        Assert.Equal("z", Assert.IsType<StringLiteral>(searched.Else).Value);

        var simple = Assert.IsType<CaseExpression>(TestSql.Expression("case status when 1 then 'one' end"));
        Assert.Equal("status", Assert.IsType<ColumnRef>(simple.Operand).Name.Value);
        Assert.Single(simple.WhenClauses);
        Assert.Null(simple.Else);
    }

    [Theory]
    [InlineData("CAST(x AS varchar(10))", false, "varchar", new long[] { 10 })]
    [InlineData("TRY_CAST(x AS DECIMAL(38, 2))", true, "decimal", new long[] { 38, 2 })]
    [InlineData("cast(x as timestamp(6) with time zone)", false, "timestamp with time zone", new long[] { 6 })]
    [InlineData("CAST(x AS timestamp without time zone)", false, "timestamp", new long[0])]
    [InlineData("CAST(x AS INT)", false, "integer", new long[0])]
    [InlineData("CAST(x AS double precision)", false, "double", new long[0])]
    [InlineData("CAST(x AS interval day to second)", false, "interval day to second", new long[0])]
    [InlineData("CAST(\"uuid\" AS VARCHAR)", false, "varchar", new long[0])]
    public void Casts(string sql, bool isTry, string typeName, long[] parameters)
    {
        var cast = Assert.IsType<CastExpression>(TestSql.Expression(sql));
        Assert.Equal(isTry, cast.IsTry);
        Assert.Equal(typeName, cast.TargetType.Name);
        Assert.Equal(parameters, cast.TargetType.Parameters);
    }

    [Fact]
    public void CompositeTypes()
    {
        DataTypeSyntax type = SqlParser.ParseType("row(a bigint, b array(varchar(3)), map(varchar, row(double precision, \"x\" date)))");
        Assert.Equal("row", type.Name);
        Assert.Equal(3, type.Fields.Count);
        Assert.Equal("a", type.Fields[0].Name!.Value);
        Assert.Equal("bigint", type.Fields[0].Type.Name);
        Assert.Equal("array", type.Fields[1].Type.Name);
        Assert.Equal(new long[] { 3 }, type.Fields[1].Type.Fields[0].Type.Parameters);
        Assert.Null(type.Fields[2].Name);
        DataTypeSyntax map = type.Fields[2].Type;
        Assert.Equal("map", map.Name);
        Assert.Equal("varchar", map.Fields[0].Type.Name);
        DataTypeSyntax inner = map.Fields[1].Type;
        Assert.Null(inner.Fields[0].Name);
        Assert.Equal("double", inner.Fields[0].Type.Name);
        Assert.True(inner.Fields[1].Name!.Quoted);
        Assert.Equal("date", inner.Fields[1].Type.Name);
        Assert.Equal("array", SqlParser.ParseType("array<bigint>").Name);
    }

    [Fact]
    public void Extract()
    {
        var extract = Assert.IsType<ExtractExpression>(TestSql.Expression("extract(year from o_orderdate)"));
        Assert.Equal("YEAR", extract.Field);
        Assert.Equal("o_orderdate", Assert.IsType<ColumnRef>(extract.Operand).Name.Value);
    }

    [Fact]
    public void FunctionCalls()
    {
        var countStar = Assert.IsType<FunctionCall>(TestSql.Expression("count(*)"));
        Assert.True(countStar.IsStar);
        Assert.Empty(countStar.Arguments);

        var distinct = Assert.IsType<FunctionCall>(TestSql.Expression("count(DISTINCT a) FILTER (WHERE a > 0)"));
        Assert.True(distinct.Distinct);
        Assert.IsType<BinaryExpression>(distinct.Filter);

        var ordered = Assert.IsType<FunctionCall>(TestSql.Expression("array_agg(x ORDER BY y DESC NULLS LAST)"));
        Assert.Single(ordered.OrderBy);
        Assert.True(ordered.OrderBy[0].Descending);
        Assert.Equal(NullOrdering.Last, ordered.OrderBy[0].NullOrdering);

        var qualified = Assert.IsType<FunctionCall>(TestSql.Expression("system.fn(1, 'a')"));
        Assert.Equal("system.fn", qualified.Name.Value);
        Assert.Equal(2, qualified.Arguments.Count);

        var empty = Assert.IsType<FunctionCall>(TestSql.Expression("now()"));
        Assert.Empty(empty.Arguments);
        Assert.False(empty.IsStar);

        var coalesce = Assert.IsType<FunctionCall>(TestSql.Expression("coalesce(a, if(b, 1, 2), nullif(c, 0))"));
        Assert.Equal(3, coalesce.Arguments.Count);
    }

    [Fact]
    public void WindowFunctions()
    {
        var call = Assert.IsType<FunctionCall>(TestSql.Expression(
            "sum(x) OVER (PARTITION BY a, b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"));
        WindowSpec over = Assert.IsType<WindowSpec>(call.Over);
        Assert.Null(over.ExistingWindowName);
        Assert.Equal(2, over.PartitionBy.Count);
        Assert.Single(over.OrderBy);
        WindowFrame frame = Assert.IsType<WindowFrame>(over.Frame);
        Assert.Equal(FrameUnit.Rows, frame.Unit);
        Assert.Equal(FrameBoundKind.UnboundedPreceding, frame.Start.Kind);
        Assert.Equal(FrameBoundKind.CurrentRow, frame.End!.Kind);

        var range = Assert.IsType<FunctionCall>(TestSql.Expression(
            "avg(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND 2 FOLLOWING)"));
        WindowFrame rangeFrame = range.Over!.Frame!;
        Assert.Equal(FrameUnit.Range, rangeFrame.Unit);
        Assert.Equal(FrameBoundKind.Preceding, rangeFrame.Start.Kind);
        Assert.IsType<IntervalLiteral>(rangeFrame.Start.Offset);
        Assert.Equal(FrameBoundKind.Following, rangeFrame.End!.Kind);

        var shortFrame = Assert.IsType<FunctionCall>(TestSql.Expression("count(*) OVER (ROWS 3 PRECEDING)"));
        Assert.Null(shortFrame.Over!.Frame!.End);
        Assert.Equal(FrameBoundKind.Preceding, shortFrame.Over.Frame.Start.Kind);

        var named = Assert.IsType<FunctionCall>(TestSql.Expression("rank() OVER w"));
        Assert.Equal("w", named.Over!.ExistingWindowName!.Value);

        var refined = Assert.IsType<FunctionCall>(TestSql.Expression("lag(x) IGNORE NULLS OVER (w ORDER BY y)"));
        Assert.Equal(NullTreatment.IgnoreNulls, refined.NullTreatment);
        Assert.Equal("w", refined.Over!.ExistingWindowName!.Value);
        Assert.Single(refined.Over.OrderBy);

        var unbounded = Assert.IsType<FunctionCall>(TestSql.Expression("first_value(x) OVER (GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"));
        Assert.Equal(FrameUnit.Groups, unbounded.Over!.Frame!.Unit);
        Assert.Equal(FrameBoundKind.UnboundedFollowing, unbounded.Over.Frame.End!.Kind);
    }

    [Fact]
    public void Subqueries()
    {
        var exists = Assert.IsType<ExistsExpression>(TestSql.Expression("EXISTS (SELECT 1 FROM t WHERE t.a = b)"));
        Assert.IsType<QuerySpecification>(exists.Subquery.Body);

        var notExists = Assert.IsType<UnaryExpression>(TestSql.Expression("NOT EXISTS (SELECT 1)"));
        Assert.IsType<ExistsExpression>(notExists.Operand);

        var scalar = Assert.IsType<BinaryExpression>(TestSql.Expression("a > (SELECT avg(b) FROM t)"));
        Assert.IsType<ScalarSubquery>(scalar.Right);

        var inSubquery = Assert.IsType<InSubqueryExpression>(TestSql.Expression("a NOT IN (SELECT b FROM t)"));
        Assert.True(inSubquery.Negated);

        var union = Assert.IsType<InSubqueryExpression>(TestSql.Expression("a IN ((SELECT 1) UNION (SELECT 2))"));
        Assert.IsType<SetOperation>(union.Subquery.Body);

        var scalarUnion = Assert.IsType<ScalarSubquery>(TestSql.Expression("((SELECT 1) UNION ALL (SELECT 2) LIMIT 1)"));
        Assert.IsType<SetOperation>(scalarUnion.Query.Body);
        Assert.NotNull(scalarUnion.Query.Limit);

        var quantified = Assert.IsType<QuantifiedComparison>(TestSql.Expression("a >= ALL (SELECT b FROM t)"));
        Assert.Equal((BinaryOperator.GreaterThanOrEqual, Quantifier.All), (quantified.Operator, quantified.Quantifier));
        Assert.Equal(Quantifier.Any, Assert.IsType<QuantifiedComparison>(TestSql.Expression("a = ANY (SELECT b FROM t)")).Quantifier);
        Assert.Equal(Quantifier.Some, Assert.IsType<QuantifiedComparison>(TestSql.Expression("a <> SOME (SELECT b FROM t)")).Quantifier);
    }

    [Fact]
    public void SpecialForms()
    {
        var substring = Assert.IsType<FunctionCall>(TestSql.Expression("substring(c_phone from 1 for 2)"));
        Assert.Equal("substring", substring.Name.Value);
        Assert.Equal(3, substring.Arguments.Count);
        Assert.Equal(2, Assert.IsType<FunctionCall>(TestSql.Expression("substring(s, 2)")).Arguments.Count);

        var position = Assert.IsType<FunctionCall>(TestSql.Expression("position('a' IN name)"));
        Assert.Equal("strpos", position.Name.Value);
        Assert.Equal("name", Assert.IsType<ColumnRef>(position.Arguments[0]).Name.Value);
        Assert.Equal("a", Assert.IsType<StringLiteral>(position.Arguments[1]).Value);

        var trim = Assert.IsType<TrimExpression>(TestSql.Expression("trim(LEADING 'x' FROM s)"));
        Assert.Equal(TrimSpecification.Leading, trim.Specification);
        Assert.IsType<StringLiteral>(trim.Characters);
        var plainTrim = Assert.IsType<TrimExpression>(TestSql.Expression("TRIM(s)"));
        Assert.Equal(TrimSpecification.Both, plainTrim.Specification);
        Assert.Null(plainTrim.Characters);
        Assert.Equal(TrimSpecification.Trailing, Assert.IsType<TrimExpression>(TestSql.Expression("trim(trailing from s)")).Specification);

        Assert.Equal(CurrentTimeFunction.CurrentDate, Assert.IsType<CurrentTimeExpression>(TestSql.Expression("CURRENT_DATE")).Function);
        var timestamp = Assert.IsType<CurrentTimeExpression>(TestSql.Expression("current_timestamp(3)"));
        Assert.Equal((CurrentTimeFunction.CurrentTimestamp, (int?)3), (timestamp.Function, timestamp.Precision));
        Assert.Equal(CurrentTimeFunction.LocalTimestamp, Assert.IsType<CurrentTimeExpression>(TestSql.Expression("LOCALTIMESTAMP")).Function);

        Assert.Equal(3, Assert.IsType<ArrayConstructor>(TestSql.Expression("ARRAY[1, 2, 3]")).Items.Count);
        Assert.Empty(Assert.IsType<ArrayConstructor>(TestSql.Expression("ARRAY[]")).Items);
        Assert.Equal(2, Assert.IsType<RowConstructor>(TestSql.Expression("ROW(1, 'a')")).Items.Count);
        Assert.Single(Assert.IsType<RowConstructor>(TestSql.Expression("row(1)")).Items);
        Assert.Equal(2, Assert.IsType<FunctionCall>(TestSql.Expression("grouping(a, b)")).Arguments.Count);
    }

    [Fact]
    public void Lambdas()
    {
        var call = Assert.IsType<FunctionCall>(TestSql.Expression("transform(xs, x -> x + 1)"));
        var lambda = Assert.IsType<LambdaExpression>(call.Arguments[1]);
        Assert.Equal("x", Assert.Single(lambda.Parameters).Value);
        Assert.IsType<BinaryExpression>(lambda.Body);

        var reduce = Assert.IsType<FunctionCall>(TestSql.Expression("reduce(xs, 0, (s, x) -> s + x, s -> s)"));
        Assert.Equal(2, Assert.IsType<LambdaExpression>(reduce.Arguments[2]).Parameters.Count);
    }

    [Fact]
    public void SpansCoverTheWrittenText()
    {
        const string sql = "a + foo(b, 'c') * 2";
        var add = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression(sql));
        Assert.Equal(new Ast.SourceSpan(0, 1, 1, sql.Length), add.Span);
        var multiply = Assert.IsType<BinaryExpression>(add.Right);
        Assert.Equal("foo(b, 'c') * 2", sql.Substring(multiply.Span.Start, multiply.Span.Length));
        var call = Assert.IsType<FunctionCall>(multiply.Left);
        Assert.Equal("foo(b, 'c')", sql.Substring(call.Span.Start, call.Span.Length));
        Assert.Equal(5, call.Span.Column);
        Assert.Equal("'c'", sql.Substring(call.Arguments[1].Span.Start, call.Arguments[1].Span.Length));
        Assert.Equal("foo", sql.Substring(call.Name.Span.Start, call.Name.Span.Length));
    }

    [Theory]
    [InlineData("a OR b AND NOT c")]
    [InlineData("(a + b) * c - -d")]
    [InlineData("a - (b - c)")]
    [InlineData("- (-a)")]
    [InlineData("x IN (1, 2) AND y NOT BETWEEN 1 AND 2 OR z IS NOT DISTINCT FROM w")]
    [InlineData("CASE WHEN a THEN b END || 'x'")]
    [InlineData("(a = b) = c")]
    [InlineData("ts AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris'")]
    [InlineData("(a AT TIME ZONE 'UTC').hour")]
    [InlineData("m['k'][1].f.g")]
    [InlineData("sum(x) FILTER (WHERE y > 1) OVER (PARTITION BY z ORDER BY w DESC NULLS FIRST RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)")]
    [InlineData("TIMESTAMP '2020-01-01 00:00:00' + INTERVAL - '1' HOUR")]
    [InlineData("X'AB' || U&'\\0041'")]
    [InlineData("TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00 UTC' = DOUBLE PRECISION '1'")]
    [InlineData("CAST(ROW(1, 'a') AS row(x integer, \"Y\" varchar(3)))[1]")]
    [InlineData("EXISTS (SELECT 1) AND NOT EXISTS (VALUES 1) AND a = ANY (SELECT b FROM t)")]
    [InlineData("CURRENT_TIMESTAMP(3) AT TIME ZONE INTERVAL '1' HOUR")]
    [InlineData("transform(a, (x, y) -> x * y)")]
    [InlineData("trim(BOTH 'x' FROM s) = trim(s)")]
    public void ExpressionsRoundTrip(string expression)
    {
        TestSql.AssertRoundTrip("SELECT " + expression);
    }
}
