using System.Globalization;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Parsing;

internal sealed partial class Parser
{
    /// <summary>Maps type-name synonyms onto the canonical lower-case names <see cref="DataTypeSyntax"/> documents.</summary>
    private static string CanonicalTypeName(string written)
    {
        string name = written.ToLowerInvariant();
        return name switch
        {
            "int" => "integer",
            "numeric" or "dec" => "decimal",
            _ => name,
        };
    }

    private DataTypeSyntax ParseType()
    {
        Enter();
        try
        {
            SqlToken start = Current;
            if (start.Kind == SqlTokenKind.QuotedIdentifier)
            {
                Advance();
                return WithParameters(start, start.Text.ToLowerInvariant());
            }

            if (start.Kind != SqlTokenKind.Word || Keywords.IsReserved(start.Text))
            {
                throw Error("a type");
            }

            string word = start.Text.ToUpperInvariant();
            SqlToken next = Peek(1);
            switch (word)
            {
                case "ROW" when next.Kind == SqlTokenKind.LeftParen:
                {
                    Advance();
                    Advance();
                    var fields = new List<DataTypeField>();
                    do
                    {
                        SqlToken fieldStart = Current;
                        Identifier? name = null;
                        if (IsIdentifierToken(Current) && IsFieldTypeStart())
                        {
                            name = ParseIdentifier();
                        }

                        DataTypeSyntax fieldType = ParseType();
                        fields.Add(new DataTypeField(name, fieldType) { Span = SpanFrom(fieldStart) });
                    }
                    while (AcceptSymbol(SqlTokenKind.Comma));

                    ExpectSymbol(SqlTokenKind.RightParen);
                    return new DataTypeSyntax("row", Array.Empty<long>(), fields) { Span = SpanFrom(start) };
                }

                case "ARRAY" when next.Kind is SqlTokenKind.LeftParen or SqlTokenKind.LessThan:
                {
                    Advance();
                    SqlTokenKind close = Advance().Kind == SqlTokenKind.LeftParen ? SqlTokenKind.RightParen : SqlTokenKind.GreaterThan;
                    DataTypeField element = ParseUnnamedField();
                    ExpectSymbol(close);
                    return new DataTypeSyntax("array", Array.Empty<long>(), new[] { element }) { Span = SpanFrom(start) };
                }

                case "MAP" when next.Kind is SqlTokenKind.LeftParen or SqlTokenKind.LessThan:
                {
                    Advance();
                    SqlTokenKind close = Advance().Kind == SqlTokenKind.LeftParen ? SqlTokenKind.RightParen : SqlTokenKind.GreaterThan;
                    DataTypeField key = ParseUnnamedField();
                    ExpectSymbol(SqlTokenKind.Comma);
                    DataTypeField value = ParseUnnamedField();
                    ExpectSymbol(close);
                    return new DataTypeSyntax("map", Array.Empty<long>(), new[] { key, value }) { Span = SpanFrom(start) };
                }

                case "INTERVAL":
                    Advance();
                    if (Accept("YEAR"))
                    {
                        Expect("TO");
                        Expect("MONTH");
                        return new DataTypeSyntax("interval year to month", Array.Empty<long>(), Array.Empty<DataTypeField>()) { Span = SpanFrom(start) };
                    }

                    Expect("DAY");
                    Expect("TO");
                    Expect("SECOND");
                    return new DataTypeSyntax("interval day to second", Array.Empty<long>(), Array.Empty<DataTypeField>()) { Span = SpanFrom(start) };
                case "TIME":
                case "TIMESTAMP":
                {
                    Advance();
                    IReadOnlyList<long> parameters = CheckSymbol(SqlTokenKind.LeftParen) ? ParseTypeParameters() : Array.Empty<long>();
                    string name = word.ToLowerInvariant();
                    if (IsWord("WITH") && IsWord(Peek(1), "TIME") && IsWord(Peek(2), "ZONE"))
                    {
                        Advance();
                        Advance();
                        Advance();
                        name += " with time zone";
                    }
                    else if (Accept("WITHOUT"))
                    {
                        Expect("TIME");
                        Expect("ZONE");
                    }

                    return new DataTypeSyntax(name, parameters, Array.Empty<DataTypeField>()) { Span = SpanFrom(start) };
                }

                case "DOUBLE":
                    Advance();
                    Accept("PRECISION");
                    return new DataTypeSyntax("double", Array.Empty<long>(), Array.Empty<DataTypeField>()) { Span = SpanFrom(start) };
            }

            Advance();
            return WithParameters(start, CanonicalTypeName(start.Text));
        }
        finally
        {
            Exit();
        }
    }

    private DataTypeSyntax WithParameters(SqlToken start, string name)
    {
        IReadOnlyList<long> parameters = CheckSymbol(SqlTokenKind.LeftParen) ? ParseTypeParameters() : Array.Empty<long>();
        return new DataTypeSyntax(name, parameters, Array.Empty<DataTypeField>()) { Span = SpanFrom(start) };
    }

    private DataTypeField ParseUnnamedField()
    {
        SqlToken start = Current;
        DataTypeSyntax type = ParseType();
        return new DataTypeField(null, type) { Span = SpanFrom(start) };
    }

    /// <summary>True when the identifier at the current token names a row field, i.e. a type follows it.</summary>
    private bool IsFieldTypeStart()
    {
        SqlToken after = Peek(1);
        if (after.Kind == SqlTokenKind.QuotedIdentifier)
        {
            return true;
        }

        if (after.Kind != SqlTokenKind.Word || Keywords.IsReserved(after.Text))
        {
            return false;
        }

        // Multi-word type names: the second word is part of the type, not a field type.
        return !(IsWord("DOUBLE") && IsWord(after, "PRECISION"))
            && !(IsWord("INTERVAL") && (IsWord(after, "YEAR") || IsWord(after, "DAY")))
            && !((IsWord("TIMESTAMP") || IsWord("TIME")) && IsWord(after, "WITHOUT"));
    }

    private List<long> ParseTypeParameters()
    {
        ExpectSymbol(SqlTokenKind.LeftParen);
        var parameters = new List<long>();
        do
        {
            SqlToken token = Current;
            if (token.Kind != SqlTokenKind.Integer)
            {
                throw Error("an integer");
            }

            Advance();
            if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw ErrorAt(SqlParseException.InvalidLiteral, $"type parameter '{token.Text}' is out of range", token);
            }

            parameters.Add(value);
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        ExpectSymbol(SqlTokenKind.RightParen);
        return parameters;
    }
}
