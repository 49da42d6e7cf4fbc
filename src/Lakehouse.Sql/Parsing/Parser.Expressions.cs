using System.Globalization;
using System.Text;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Parsing;

internal sealed partial class Parser
{
    // Binding strengths, weakest first (the same scale the formatter uses).
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int PredicateLevel = 4;
    private const int ConcatLevel = 5;
    private const int AdditiveLevel = 6;
    private const int MultiplicativeLevel = 7;
    private const int UnaryLevel = 8;
    private const int AtTimeZoneLevel = 9;
    private const int PrimaryLevel = 10;

    private const string AnExpression = "an expression";

    /// <summary>Parses an expression made of operators binding at least as strongly as <paramref name="minimumLevel"/>.</summary>
    private Expression ParseExpression(int minimumLevel = 0)
    {
        Enter();
        try
        {
            Expression left = ParsePrefix(minimumLevel);
            return ParseInfix(left, minimumLevel);
        }
        finally
        {
            Exit();
        }
    }

    private Expression ParsePrefix(int minimumLevel)
    {
        SqlToken start = Current;
        if (minimumLevel <= NotLevel && IsWord("NOT"))
        {
            Advance();
            Expression operand = ParseExpression(NotLevel);
            return new UnaryExpression(UnaryOperator.Not, operand) { Span = SpanFrom(start) };
        }

        if (minimumLevel <= UnaryLevel && (start.Kind == SqlTokenKind.Minus || start.Kind == SqlTokenKind.Plus))
        {
            Advance();
            Expression operand = ParseExpression(UnaryLevel);
            UnaryOperator unaryOperator = start.Kind == SqlTokenKind.Minus ? UnaryOperator.Minus : UnaryOperator.Plus;
            return new UnaryExpression(unaryOperator, operand) { Span = SpanFrom(start) };
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expression ParseInfix(Expression left, int minimumLevel)
    {
        bool predicateApplied = false;
        while (true)
        {
            SqlToken token = Current;
            BinaryOperator? comparison = ComparisonOperator(token.Kind);
            if (comparison is not null)
            {
                if (minimumLevel > PredicateLevel || predicateApplied)
                {
                    return left;
                }

                Advance();
                left = ParseComparisonRight(left, comparison.Value);
                predicateApplied = true;
                continue;
            }

            switch (token.Kind)
            {
                case SqlTokenKind.Concat:
                    if (minimumLevel > ConcatLevel)
                    {
                        return left;
                    }

                    Advance();
                    left = Binary(BinaryOperator.Concat, left, ParseExpression(ConcatLevel + 1));
                    continue;
                case SqlTokenKind.Plus:
                case SqlTokenKind.Minus:
                    if (minimumLevel > AdditiveLevel)
                    {
                        return left;
                    }

                    Advance();
                    left = Binary(
                        token.Kind == SqlTokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract,
                        left,
                        ParseExpression(AdditiveLevel + 1));
                    continue;
                case SqlTokenKind.Star:
                case SqlTokenKind.Slash:
                case SqlTokenKind.Percent:
                    if (minimumLevel > MultiplicativeLevel)
                    {
                        return left;
                    }

                    Advance();
                    BinaryOperator multiplicative = token.Kind switch
                    {
                        SqlTokenKind.Star => BinaryOperator.Multiply,
                        SqlTokenKind.Slash => BinaryOperator.Divide,
                        _ => BinaryOperator.Modulo,
                    };
                    left = Binary(multiplicative, left, ParseExpression(MultiplicativeLevel + 1));
                    continue;
                case SqlTokenKind.Word:
                    break;
                default:
                    return left;
            }

            if (IsWord("OR"))
            {
                if (minimumLevel > OrLevel)
                {
                    return left;
                }

                Advance();
                left = Binary(BinaryOperator.Or, left, ParseExpression(OrLevel + 1));
                continue;
            }

            if (IsWord("AND"))
            {
                if (minimumLevel > AndLevel)
                {
                    return left;
                }

                Advance();
                left = Binary(BinaryOperator.And, left, ParseExpression(AndLevel + 1));
                continue;
            }

            if (IsWord("AT") && IsWord(Peek(1), "TIME") && IsWord(Peek(2), "ZONE"))
            {
                if (minimumLevel > AtTimeZoneLevel)
                {
                    return left;
                }

                Advance();
                Advance();
                Advance();
                Expression zone = ParseExpression(PrimaryLevel);
                left = new AtTimeZoneExpression(left, zone) { Span = SpanFrom(left.Span) };
                continue;
            }

            bool negated = IsWord("NOT") && (IsWord(Peek(1), "BETWEEN") || IsWord(Peek(1), "IN") || IsWord(Peek(1), "LIKE"));
            bool isPredicate = negated || IsWord("IS") || IsWord("BETWEEN") || IsWord("IN") || IsWord("LIKE");
            if (!isPredicate || minimumLevel > PredicateLevel || predicateApplied)
            {
                return left;
            }

            if (negated)
            {
                Advance();
            }

            left = ParsePredicate(left, negated);
            predicateApplied = true;
        }
    }

    private BinaryExpression Binary(BinaryOperator binaryOperator, Expression left, Expression right) =>
        new(binaryOperator, left, right) { Span = SpanFrom(left.Span) };

    private static BinaryOperator? ComparisonOperator(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.Equal => BinaryOperator.Equal,
        SqlTokenKind.NotEqual => BinaryOperator.NotEqual,
        SqlTokenKind.LessThan => BinaryOperator.LessThan,
        SqlTokenKind.LessThanOrEqual => BinaryOperator.LessThanOrEqual,
        SqlTokenKind.GreaterThan => BinaryOperator.GreaterThan,
        SqlTokenKind.GreaterThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        _ => null,
    };

    private Expression ParseComparisonRight(Expression left, BinaryOperator comparison)
    {
        Quantifier? quantifier = IsWord("ALL") ? Quantifier.All : IsWord("ANY") ? Quantifier.Any : IsWord("SOME") ? Quantifier.Some : null;
        if (quantifier is not null && Peek(1).Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            Advance();
            Query subquery = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            return new QuantifiedComparison(comparison, quantifier.Value, left, subquery) { Span = SpanFrom(left.Span) };
        }

        return Binary(comparison, left, ParseExpression(ConcatLevel));
    }

    private Expression ParsePredicate(Expression left, bool negated)
    {
        if (IsWord("IS"))
        {
            Advance();
            bool isNegated = Accept("NOT");
            if (Accept("NULL"))
            {
                return new IsNullExpression(left, isNegated) { Span = SpanFrom(left.Span) };
            }

            if (Accept("DISTINCT"))
            {
                Expect("FROM");
                Expression right = ParseExpression(ConcatLevel);
                return new IsDistinctFromExpression(left, right, isNegated) { Span = SpanFrom(left.Span) };
            }

            throw Error();
        }

        if (IsWord("BETWEEN"))
        {
            Advance();
            Expression low = ParseExpression(ConcatLevel);
            Expect("AND");
            Expression high = ParseExpression(ConcatLevel);
            return new BetweenExpression(left, low, high, negated) { Span = SpanFrom(left.Span) };
        }

        if (IsWord("LIKE"))
        {
            Advance();
            Expression pattern = ParseExpression(ConcatLevel);
            Expression? escape = Accept("ESCAPE") ? ParseExpression(ConcatLevel) : null;
            return new LikeExpression(left, pattern, escape, negated) { Span = SpanFrom(left.Span) };
        }

        Advance();
        ExpectSymbol(SqlTokenKind.LeftParen);
        if (IsQueryStart(Current))
        {
            Query subquery = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            return new InSubqueryExpression(left, subquery, negated) { Span = SpanFrom(left.Span) };
        }

        var values = new List<Expression>();
        do
        {
            values.Add(ParseExpression());
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        if (values.Count == 1 && values[0] is ScalarSubquery scalar && IsQueryContinuation())
        {
            Query continued = ContinueQuery(scalar);
            ExpectSymbol(SqlTokenKind.RightParen);
            return new InSubqueryExpression(left, continued, negated) { Span = SpanFrom(left.Span) };
        }

        ExpectSymbol(SqlTokenKind.RightParen);
        return new InListExpression(left, values, negated) { Span = SpanFrom(left.Span) };
    }

    /// <summary>Continues <c>(query) UNION ...</c> or <c>(query) ORDER BY ...</c> after a parenthesized query term.</summary>
    private Query ContinueQuery(ScalarSubquery first)
    {
        QueryBody body = new TableSubqueryBody(first.Query) { Span = first.Span };
        body = ParseSetOperations(body, UnionLevel);
        return ParseQueryTail(first.Span, null, body);
    }

    /// <summary>Subscripts <c>[i]</c>, field dereferences <c>.name</c> and <c>::type</c> casts, binding tightest.</summary>
    private Expression ParsePostfix(Expression expression)
    {
        while (true)
        {
            if (Current.Kind == SqlTokenKind.DoubleColon)
            {
                // x::type is CAST(x AS type), accepted for queries written for PostgreSQL and DuckDB.
                Advance();
                DataTypeSyntax type = ParseType();
                expression = new CastExpression(expression, type, false) { Span = SpanFrom(expression.Span) };
            }
            else if (Current.Kind == SqlTokenKind.LeftBracket)
            {
                Advance();
                Expression subscript = ParseExpression();
                ExpectSymbol(SqlTokenKind.RightBracket);
                expression = new SubscriptExpression(expression, subscript) { Span = SpanFrom(expression.Span) };
            }
            else if (Current.Kind == SqlTokenKind.Dot && IsIdentifierToken(Peek(1)))
            {
                Advance();
                Identifier field = ParseIdentifier();
                if (expression is ColumnRef column)
                {
                    // (a).b names the same thing as a.b, which is a plain dotted name.
                    var parts = new List<Identifier>(column.Name.Parts) { field };
                    QualifiedName name = new(parts) { Span = SpanFrom(column.Name.Span) };
                    expression = new ColumnRef(name) { Span = SpanFrom(expression.Span) };
                }
                else
                {
                    expression = new DereferenceExpression(expression, field) { Span = SpanFrom(expression.Span) };
                }
            }
            else
            {
                return expression;
            }
        }
    }

    private Expression ParsePrimary()
    {
        SqlToken token = Current;
        switch (token.Kind)
        {
            case SqlTokenKind.Integer:
                Advance();
                return new IntegerLiteral(token.Text) { Span = SpanOf(token) };
            case SqlTokenKind.Decimal:
                Advance();
                return new DecimalLiteral(token.Text) { Span = SpanOf(token) };
            case SqlTokenKind.Double:
                Advance();
                return new DoubleLiteral(token.Text) { Span = SpanOf(token) };
            case SqlTokenKind.String:
                Advance();
                return new StringLiteral(token.Text) { Span = SpanOf(token) };
            case SqlTokenKind.UnicodeString:
                return ParseUnicodeString();
            case SqlTokenKind.Binary:
                Advance();
                return new BinaryLiteral(token.Text) { Span = SpanOf(token) };
            case SqlTokenKind.Parameter:
                Advance();
                return new Parameter(parameterCount++) { Span = SpanOf(token) };
            case SqlTokenKind.LeftParen:
                return ParseParenthesizedExpression();
            case SqlTokenKind.QuotedIdentifier:
                return Peek(1).Kind == SqlTokenKind.Arrow ? ParseLambda() : ParseNameOrCall();
            case SqlTokenKind.Word:
                return ParseWordPrimary();
            default:
                throw Error(AnExpression);
        }
    }

    private Expression ParseWordPrimary()
    {
        SqlToken token = Current;
        SqlToken next = Peek(1);
        bool call = next.Kind == SqlTokenKind.LeftParen;
        string word = token.Text.ToUpperInvariant();
        switch (word)
        {
            case "TRUE":
            case "FALSE":
                Advance();
                return new BooleanLiteral(word == "TRUE") { Span = SpanOf(token) };
            case "NULL":
                Advance();
                return new NullLiteral { Span = SpanOf(token) };
            case "CASE":
                return ParseCase();
            case "CAST":
            case "TRY_CAST":
                if (call || word == "CAST")
                {
                    return ParseCast(word == "TRY_CAST");
                }

                break;
            case "EXISTS":
            {
                Advance();
                ExpectSymbol(SqlTokenKind.LeftParen);
                Query subquery = ParseQuery();
                ExpectSymbol(SqlTokenKind.RightParen);
                return new ExistsExpression(subquery) { Span = SpanFrom(token) };
            }

            case "EXTRACT":
                return ParseExtract();
            case "INTERVAL":
                if (next.Kind == SqlTokenKind.String
                    || ((next.Kind == SqlTokenKind.Minus || next.Kind == SqlTokenKind.Plus) && Peek(2).Kind == SqlTokenKind.String))
                {
                    return ParseInterval();
                }

                if (next.Kind is SqlTokenKind.Integer or SqlTokenKind.Decimal)
                {
                    throw ErrorAt(
                        SqlParseException.SyntaxError,
                        $"interval value must be a string literal, e.g. INTERVAL '{next.Text}' DAY",
                        next);
                }

                break;
            case "ARRAY":
                if (next.Kind == SqlTokenKind.LeftBracket)
                {
                    Advance();
                    Advance();
                    var items = new List<Expression>();
                    if (Current.Kind != SqlTokenKind.RightBracket)
                    {
                        do
                        {
                            items.Add(ParseExpression());
                        }
                        while (AcceptSymbol(SqlTokenKind.Comma));
                    }

                    ExpectSymbol(SqlTokenKind.RightBracket);
                    return new ArrayConstructor(items) { Span = SpanFrom(token) };
                }

                break;
            case "ROW":
                if (call)
                {
                    Advance();
                    Advance();
                    var items = new List<Expression>();
                    do
                    {
                        items.Add(ParseExpression());
                    }
                    while (AcceptSymbol(SqlTokenKind.Comma));

                    ExpectSymbol(SqlTokenKind.RightParen);
                    return new RowConstructor(items) { Span = SpanFrom(token) };
                }

                break;
            case "CURRENT_DATE":
                Advance();
                return new CurrentTimeExpression(CurrentTimeFunction.CurrentDate, null) { Span = SpanOf(token) };
            case "CURRENT_TIME":
                return ParseCurrentTime(CurrentTimeFunction.CurrentTime);
            case "CURRENT_TIMESTAMP":
                return ParseCurrentTime(CurrentTimeFunction.CurrentTimestamp);
            case "LOCALTIME":
                return ParseCurrentTime(CurrentTimeFunction.LocalTime);
            case "LOCALTIMESTAMP":
                return ParseCurrentTime(CurrentTimeFunction.LocalTimestamp);
            case "TRIM":
                if (call)
                {
                    return ParseTrim();
                }

                break;
            case "SUBSTRING":
                if (call)
                {
                    return ParseSubstring();
                }

                break;
            case "POSITION":
                if (call)
                {
                    return ParsePosition();
                }

                break;
            case "GROUPING":
                if (call)
                {
                    QualifiedName groupingName = new(new[] { new Identifier(token.Text, false) { Span = SpanOf(token) } }) { Span = SpanOf(token) };
                    Advance();
                    return ParseCallRest(groupingName, token, null);
                }

                break;
            case "DOUBLE":
                if (IsWord(next, "PRECISION") && Peek(2).Kind == SqlTokenKind.String)
                {
                    Advance();
                    Advance();
                    return TypedLiteral(token, DataTypeSyntax.Simple("double"));
                }

                break;
            case "TIME":
            case "TIMESTAMP":
                if (IsWord(next, "WITH") && IsWord(Peek(2), "TIME") && IsWord(Peek(3), "ZONE") && Peek(4).Kind == SqlTokenKind.String)
                {
                    Advance();
                    Advance();
                    Advance();
                    Advance();
                    return TypedLiteral(token, DataTypeSyntax.Simple(word.ToLowerInvariant() + " with time zone"));
                }

                break;
        }

        if (Keywords.IsReserved(token.Text))
        {
            throw Error(AnExpression);
        }

        if (next.Kind == SqlTokenKind.String)
        {
            Advance();
            return TypedLiteral(token, DataTypeSyntax.Simple(CanonicalTypeName(token.Text)));
        }

        if (next.Kind == SqlTokenKind.Arrow)
        {
            return ParseLambda();
        }

        return ParseNameOrCall();
    }

    /// <summary>Builds a typed literal from the string at the current token; the type words have been consumed.</summary>
    private TypedLiteral TypedLiteral(SqlToken start, DataTypeSyntax type)
    {
        type = type with { Span = SpanFrom(start) };
        SqlToken literal = Advance();
        string value = literal.Text;
        if (type.Name == "date" && !IsValidDate(value))
        {
            throw ErrorAt(SqlParseException.InvalidLiteral, $"invalid date literal '{ShownValue(value)}'", start);
        }

        if (type.Name == "decimal" && !IsValidDecimal(value))
        {
            throw ErrorAt(SqlParseException.InvalidLiteral, $"invalid decimal literal '{ShownValue(value)}'", start);
        }

        return new TypedLiteral(type, value) { Span = SpanFrom(start) };
    }

    private static string ShownValue(string value)
    {
        string shown = value.Length > 40 ? value[..40] + "..." : value;
        return shown.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    /// <summary>Accepts <c>[+-]YYYY-M-D</c> (year of at least four digits) naming a real calendar day.</summary>
    private static bool IsValidDate(string text)
    {
        ReadOnlySpan<char> value = text.AsSpan().Trim();
        int position = 0;
        bool negative = false;
        if (position < value.Length && (value[position] == '+' || value[position] == '-'))
        {
            negative = value[position] == '-';
            position++;
        }

        if (!ReadDigits(value, ref position, 4, 9, out long year)
            || !Skip(value, ref position, '-')
            || !ReadDigits(value, ref position, 1, 2, out long month)
            || !Skip(value, ref position, '-')
            || !ReadDigits(value, ref position, 1, 2, out long day)
            || position != value.Length)
        {
            return false;
        }

        if (month < 1 || month > 12 || day < 1)
        {
            return false;
        }

        long signedYear = negative ? -year : year;
        bool leap = signedYear % 4 == 0 && (signedYear % 100 != 0 || signedYear % 400 == 0);
        int[] monthDays = { 31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        return day <= monthDays[month - 1];
    }

    private static bool Skip(ReadOnlySpan<char> value, ref int position, char expected)
    {
        if (position < value.Length && value[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    private static bool ReadDigits(ReadOnlySpan<char> value, ref int position, int minimum, int maximum, out long number)
    {
        number = 0;
        int start = position;
        while (position < value.Length && char.IsAsciiDigit(value[position]) && position - start < maximum)
        {
            number = (number * 10) + (value[position] - '0');
            position++;
        }

        return position - start >= minimum;
    }

    /// <summary>Accepts <c>[+-]digits[.digits]</c> or <c>[+-].digits</c>, surrounding spaces allowed.</summary>
    private static bool IsValidDecimal(string text)
    {
        ReadOnlySpan<char> value = text.AsSpan().Trim();
        int position = 0;
        if (position < value.Length && (value[position] == '+' || value[position] == '-'))
        {
            position++;
        }

        int digits = 0;
        while (position < value.Length && char.IsAsciiDigit(value[position]))
        {
            position++;
            digits++;
        }

        if (position < value.Length && value[position] == '.')
        {
            position++;
            while (position < value.Length && char.IsAsciiDigit(value[position]))
            {
                position++;
                digits++;
            }
        }

        return digits > 0 && position == value.Length;
    }

    private Expression ParseUnicodeString()
    {
        SqlToken token = Advance();
        char escape = '\\';
        if (IsWord("UESCAPE"))
        {
            Advance();
            SqlToken escapeToken = Current;
            string escapeText = ParseStringValue();
            if (escapeText.Length != 1 || char.IsAsciiHexDigit(escapeText[0]) || escapeText[0] is '+' or '\'' or '"' || char.IsWhiteSpace(escapeText[0]))
            {
                throw ErrorAt(SqlParseException.InvalidLiteral, "invalid Unicode escape character in UESCAPE", escapeToken);
            }

            escape = escapeText[0];
        }

        string text = token.Text;
        var value = new StringBuilder(text.Length);
        for (int position = 0; position < text.Length; position++)
        {
            char character = text[position];
            if (character != escape)
            {
                value.Append(character);
                continue;
            }

            if (position + 1 < text.Length && text[position + 1] == escape)
            {
                value.Append(escape);
                position++;
                continue;
            }

            int digits = 4;
            int digitsStart = position + 1;
            if (digitsStart < text.Length && text[digitsStart] == '+')
            {
                digits = 6;
                digitsStart++;
            }

            if (digitsStart + digits > text.Length
                || !int.TryParse(text.AsSpan(digitsStart, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int codePoint)
                || codePoint > 0x10FFFF
                || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                throw ErrorAt(SqlParseException.InvalidLiteral, "invalid Unicode escape in string literal", token);
            }

            value.Append(char.ConvertFromUtf32(codePoint));
            position = digitsStart + digits - 1;
        }

        return new StringLiteral(value.ToString()) { Span = SpanFrom(token) };
    }

    private Expression ParseParenthesizedExpression()
    {
        SqlToken start = Current;
        if (IsLambdaParameterList())
        {
            return ParseLambda();
        }

        Advance();
        if (IsQueryStart(Current))
        {
            Query query = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            return new ScalarSubquery(query) { Span = SpanFrom(start) };
        }

        Expression first = ParseExpression();
        if (AcceptSymbol(SqlTokenKind.Comma))
        {
            var items = new List<Expression> { first };
            do
            {
                items.Add(ParseExpression());
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            ExpectSymbol(SqlTokenKind.RightParen);
            return new RowConstructor(items) { Span = SpanFrom(start) };
        }

        if (first is ScalarSubquery scalar && IsQueryContinuation())
        {
            Query continued = ContinueQuery(scalar);
            ExpectSymbol(SqlTokenKind.RightParen);
            return new ScalarSubquery(continued) { Span = SpanFrom(start) };
        }

        ExpectSymbol(SqlTokenKind.RightParen);
        return first;
    }

    /// <summary>Looks ahead for <c>(a, b) -&gt;</c>.</summary>
    private bool IsLambdaParameterList()
    {
        int offset = 1;
        if (Peek(offset).Kind == SqlTokenKind.RightParen)
        {
            return Peek(offset + 1).Kind == SqlTokenKind.Arrow;
        }

        while (IsIdentifierToken(Peek(offset)))
        {
            SqlTokenKind after = Peek(offset + 1).Kind;
            if (after == SqlTokenKind.RightParen)
            {
                return Peek(offset + 2).Kind == SqlTokenKind.Arrow;
            }

            if (after != SqlTokenKind.Comma)
            {
                return false;
            }

            offset += 2;
        }

        return false;
    }

    private LambdaExpression ParseLambda()
    {
        SqlToken start = Current;
        var parameters = new List<Identifier>();
        if (AcceptSymbol(SqlTokenKind.LeftParen))
        {
            if (Current.Kind != SqlTokenKind.RightParen)
            {
                do
                {
                    parameters.Add(ParseIdentifier());
                }
                while (AcceptSymbol(SqlTokenKind.Comma));
            }

            ExpectSymbol(SqlTokenKind.RightParen);
        }
        else
        {
            parameters.Add(ParseIdentifier());
        }

        ExpectSymbol(SqlTokenKind.Arrow);
        Expression body = ParseExpression();
        return new LambdaExpression(parameters, body) { Span = SpanFrom(start) };
    }

    private Expression ParseNameOrCall()
    {
        SqlToken start = Current;
        QualifiedName name = ParseQualifiedName();
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            return ParseCallRest(name, start, null);
        }

        return new ColumnRef(name) { Span = SpanFrom(start) };
    }

    /// <summary>
    /// Parses a call's argument list from its opening parenthesis, then FILTER, null treatment and OVER.
    /// <paramref name="firstArgument"/> is an argument already parsed by a special form that turned out to be a plain call.
    /// </summary>
    private FunctionCall ParseCallRest(QualifiedName name, SqlToken start, Expression? firstArgument)
    {
        if (firstArgument is null)
        {
            ExpectSymbol(SqlTokenKind.LeftParen);
        }

        bool distinct = false;
        bool star = false;
        var arguments = new List<Expression>();
        IReadOnlyList<SortItem> orderBy = Array.Empty<SortItem>();
        if (firstArgument is not null)
        {
            arguments.Add(firstArgument);
            while (AcceptSymbol(SqlTokenKind.Comma))
            {
                arguments.Add(ParseExpression());
            }
        }
        else if (AcceptSymbol(SqlTokenKind.Star))
        {
            star = true;
        }
        else if (Current.Kind != SqlTokenKind.RightParen)
        {
            if (Accept("DISTINCT"))
            {
                distinct = true;
            }
            else
            {
                Accept("ALL");
            }

            do
            {
                arguments.Add(ParseExpression());
            }
            while (AcceptSymbol(SqlTokenKind.Comma));
        }

        if (!star && Check("ORDER"))
        {
            Advance();
            Expect("BY");
            orderBy = ParseSortItems();
        }

        ExpectSymbol(SqlTokenKind.RightParen);

        Expression? filter = null;
        if (IsWord("FILTER") && Peek(1).Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            Advance();
            Expect("WHERE");
            filter = ParseExpression();
            ExpectSymbol(SqlTokenKind.RightParen);
        }

        NullTreatment nullTreatment = NullTreatment.Unspecified;
        if ((IsWord("IGNORE") || IsWord("RESPECT")) && IsWord(Peek(1), "NULLS"))
        {
            nullTreatment = IsWord("IGNORE") ? NullTreatment.IgnoreNulls : NullTreatment.RespectNulls;
            Advance();
            Advance();
            if (!IsWord("OVER"))
            {
                Note("OVER");
                throw Error();
            }
        }

        WindowSpec? over = null;
        if (IsWord("OVER") && (Peek(1).Kind == SqlTokenKind.LeftParen || IsIdentifierToken(Peek(1))))
        {
            Advance();
            SqlToken windowStart = Current;
            if (AcceptSymbol(SqlTokenKind.LeftParen))
            {
                over = ParseWindowSpecBody(windowStart);
                ExpectSymbol(SqlTokenKind.RightParen);
                over = over with { Span = SpanFrom(windowStart) };
            }
            else
            {
                Identifier windowName = ParseIdentifier();
                over = new WindowSpec(windowName, Array.Empty<Expression>(), Array.Empty<SortItem>(), null) { Span = SpanFrom(windowStart) };
            }
        }

        return new FunctionCall(name, arguments, distinct, star, filter, orderBy, over, nullTreatment) { Span = SpanFrom(start) };
    }

    /// <summary>Parses the inside of a window's parentheses: <c>[name] [PARTITION BY ...] [ORDER BY ...] [frame]</c>.</summary>
    private WindowSpec ParseWindowSpecBody(SqlToken start)
    {
        Identifier? existing = null;
        if (IsIdentifierToken(Current))
        {
            SqlToken after = Peek(1);
            if (after.Kind == SqlTokenKind.RightParen || IsWord(after, "PARTITION") || IsWord(after, "ORDER")
                || IsWord(after, "ROWS") || IsWord(after, "RANGE") || IsWord(after, "GROUPS"))
            {
                existing = ParseIdentifier();
            }
        }

        IReadOnlyList<Expression> partitionBy = Array.Empty<Expression>();
        if (Check("PARTITION"))
        {
            Advance();
            Expect("BY");
            var partitions = new List<Expression>();
            do
            {
                partitions.Add(ParseExpression());
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            partitionBy = partitions;
        }

        IReadOnlyList<SortItem> orderBy = Array.Empty<SortItem>();
        if (Check("ORDER"))
        {
            Advance();
            Expect("BY");
            orderBy = ParseSortItems();
        }

        WindowFrame? frame = null;
        SqlToken frameStart = Current;
        FrameUnit? unit = Check("ROWS") ? FrameUnit.Rows : Check("RANGE") ? FrameUnit.Range : Check("GROUPS") ? FrameUnit.Groups : null;
        if (unit is not null)
        {
            Advance();
            if (Accept("BETWEEN"))
            {
                FrameBound low = ParseFrameBound();
                Expect("AND");
                FrameBound high = ParseFrameBound();
                frame = new WindowFrame(unit.Value, low, high) { Span = SpanFrom(frameStart) };
            }
            else
            {
                FrameBound bound = ParseFrameBound();
                frame = new WindowFrame(unit.Value, bound, null) { Span = SpanFrom(frameStart) };
            }
        }

        return new WindowSpec(existing, partitionBy, orderBy, frame) { Span = SpanFrom(start) };
    }

    private FrameBound ParseFrameBound()
    {
        SqlToken start = Current;
        if (IsWord("UNBOUNDED") && (IsWord(Peek(1), "PRECEDING") || IsWord(Peek(1), "FOLLOWING")))
        {
            Advance();
            bool preceding = Advance().Text.Equals("PRECEDING", StringComparison.OrdinalIgnoreCase);
            return new FrameBound(preceding ? FrameBoundKind.UnboundedPreceding : FrameBoundKind.UnboundedFollowing, null) { Span = SpanFrom(start) };
        }

        if (IsWord("CURRENT") && IsWord(Peek(1), "ROW"))
        {
            Advance();
            Advance();
            return new FrameBound(FrameBoundKind.CurrentRow, null) { Span = SpanFrom(start) };
        }

        Expression offset = ParseExpression(ConcatLevel);
        if (Accept("PRECEDING"))
        {
            return new FrameBound(FrameBoundKind.Preceding, offset) { Span = SpanFrom(start) };
        }

        Expect("FOLLOWING");
        return new FrameBound(FrameBoundKind.Following, offset) { Span = SpanFrom(start) };
    }

    private CaseExpression ParseCase()
    {
        SqlToken start = Advance();
        Expression? operand = IsWord("WHEN") ? null : ParseExpression();
        var whens = new List<WhenClause>();
        while (Check("WHEN"))
        {
            SqlToken whenStart = Advance();
            Expression condition = ParseExpression();
            Expect("THEN");
            Expression result = ParseExpression();
            whens.Add(new WhenClause(condition, result) { Span = SpanFrom(whenStart) });
        }

        if (whens.Count == 0)
        {
            throw Error();
        }

        Expression? elseResult = Accept("ELSE") ? ParseExpression() : null;
        Expect("END");
        return new CaseExpression(operand, whens, elseResult) { Span = SpanFrom(start) };
    }

    private CastExpression ParseCast(bool isTry)
    {
        SqlToken start = Advance();
        ExpectSymbol(SqlTokenKind.LeftParen);
        Expression operand = ParseExpression();
        Expect("AS");
        DataTypeSyntax type = ParseType();
        ExpectSymbol(SqlTokenKind.RightParen);
        return new CastExpression(operand, type, isTry) { Span = SpanFrom(start) };
    }

    private ExtractExpression ParseExtract()
    {
        SqlToken start = Advance();
        ExpectSymbol(SqlTokenKind.LeftParen);
        Identifier field = ParseIdentifier();
        Expect("FROM");
        Expression operand = ParseExpression();
        ExpectSymbol(SqlTokenKind.RightParen);
        return new ExtractExpression(field.Text.ToUpperInvariant(), operand) { Span = SpanFrom(start) };
    }

    private IntervalLiteral ParseInterval()
    {
        SqlToken start = Advance();
        IntervalSign sign = IntervalSign.Positive;
        if (Current.Kind == SqlTokenKind.Minus)
        {
            Advance();
            sign = IntervalSign.Negative;
        }
        else if (Current.Kind == SqlTokenKind.Plus)
        {
            Advance();
        }

        string value = ParseStringValue();
        IntervalField from = ParseIntervalField();
        IntervalField? to = null;
        if (Accept("TO"))
        {
            to = ParseIntervalField();
        }

        return new IntervalLiteral(sign, value, from, to) { Span = SpanFrom(start) };
    }

    private IntervalField ParseIntervalField()
    {
        // Non-short-circuit: every field is recorded for the error message.
        if (Check("YEAR") | Check("MONTH") | Check("DAY") | Check("HOUR") | Check("MINUTE") | Check("SECOND"))
        {
            string word = Advance().Text.ToUpperInvariant();
            return word switch
            {
                "YEAR" => IntervalField.Year,
                "MONTH" => IntervalField.Month,
                "DAY" => IntervalField.Day,
                "HOUR" => IntervalField.Hour,
                "MINUTE" => IntervalField.Minute,
                _ => IntervalField.Second,
            };
        }

        throw Error();
    }

    private CurrentTimeExpression ParseCurrentTime(CurrentTimeFunction function)
    {
        SqlToken start = Advance();
        int? precision = null;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            SqlToken digits = Current;
            if (digits.Kind != SqlTokenKind.Integer)
            {
                throw Error("an integer");
            }

            Advance();
            if (!int.TryParse(digits.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                throw ErrorAt(SqlParseException.InvalidLiteral, $"precision '{digits.Text}' is out of range", digits);
            }

            precision = value;
            ExpectSymbol(SqlTokenKind.RightParen);
        }

        return new CurrentTimeExpression(function, precision) { Span = SpanFrom(start) };
    }

    private TrimExpression ParseTrim()
    {
        SqlToken start = Advance();
        ExpectSymbol(SqlTokenKind.LeftParen);
        TrimSpecification specification = TrimSpecification.Both;
        bool explicitSpecification = false;
        if ((IsWord("BOTH") || IsWord("LEADING") || IsWord("TRAILING"))
            && Peek(1).Kind != SqlTokenKind.RightParen && Peek(1).Kind != SqlTokenKind.Comma)
        {
            specification = Advance().Text.ToUpperInvariant() switch
            {
                "LEADING" => TrimSpecification.Leading,
                "TRAILING" => TrimSpecification.Trailing,
                _ => TrimSpecification.Both,
            };
            explicitSpecification = true;
        }

        Expression? characters = null;
        Expression source;
        if (Accept("FROM"))
        {
            source = ParseExpression();
        }
        else
        {
            Expression first = ParseExpression();
            if (Accept("FROM"))
            {
                characters = first;
                source = ParseExpression();
            }
            else if (!explicitSpecification && AcceptSymbol(SqlTokenKind.Comma))
            {
                source = first;
                characters = ParseExpression();
            }
            else if (explicitSpecification)
            {
                Note("FROM");
                throw Error();
            }
            else
            {
                source = first;
            }
        }

        ExpectSymbol(SqlTokenKind.RightParen);
        return new TrimExpression(specification, characters, source) { Span = SpanFrom(start) };
    }

    private FunctionCall ParseSubstring()
    {
        SqlToken start = Current;
        QualifiedName name = ParseQualifiedName();
        ExpectSymbol(SqlTokenKind.LeftParen);
        if (Current.Kind == SqlTokenKind.RightParen)
        {
            throw Error(AnExpression);
        }

        Expression text = ParseExpression();
        if (!Accept("FROM"))
        {
            return ParseCallRest(name, start, text);
        }

        var arguments = new List<Expression> { text, ParseExpression() };
        if (Accept("FOR"))
        {
            arguments.Add(ParseExpression());
        }

        ExpectSymbol(SqlTokenKind.RightParen);
        return new FunctionCall(name, arguments, false, false, null, Array.Empty<SortItem>(), null, NullTreatment.Unspecified) { Span = SpanFrom(start) };
    }

    private FunctionCall ParsePosition()
    {
        SqlToken start = Current;
        QualifiedName name = ParseQualifiedName();
        ExpectSymbol(SqlTokenKind.LeftParen);
        if (Current.Kind == SqlTokenKind.RightParen)
        {
            throw Error(AnExpression);
        }

        // The needle stops before IN, which would otherwise read as an IN predicate.
        Expression needle = ParseExpression(ConcatLevel);
        if (!Accept("IN"))
        {
            return ParseCallRest(name, start, ParseInfix(needle, 0));
        }

        Expression haystack = ParseExpression();
        ExpectSymbol(SqlTokenKind.RightParen);
        QualifiedName strpos = new(new[] { new Identifier("strpos", false) { Span = name.Span } }) { Span = name.Span };
        return new FunctionCall(strpos, new[] { haystack, needle }, false, false, null, Array.Empty<SortItem>(), null, NullTreatment.Unspecified) { Span = SpanFrom(start) };
    }
}
