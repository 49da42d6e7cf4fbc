using System.Runtime.CompilerServices;
using System.Text;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Parsing;

/// <summary>
/// Recursive-descent parser over a token list. Keyword and symbol checks made at the current token are remembered, so
/// that a failure there can list what would have been accepted.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxNesting = 500;

    private readonly string sql;
    private readonly List<SqlToken> tokens;
    private readonly List<(string Text, bool Quoted)> expectedAtIndex = new();
    private int index;
    private int nesting;
    private int parameterCount;
    private int expectedIndex = -1;

    public Parser(string sql)
    {
        this.sql = sql;
        tokens = SqlLexer.Tokenize(sql);
    }

    private SqlToken Current => tokens[index];

    private SqlToken Peek(int offset) => tokens[Math.Min(index + offset, tokens.Count - 1)];

    private int PreviousEnd => index == 0 ? 0 : tokens[index - 1].End;

    // ---- Entry points -------------------------------------------------------------------------------------------

    public Statement ParseSingleStatement()
    {
        Statement statement = ParseStatement();
        AcceptSymbol(SqlTokenKind.Semicolon);
        ExpectEnd();
        return statement;
    }

    public IReadOnlyList<Statement> ParseStatements()
    {
        var statements = new List<Statement>();
        while (true)
        {
            while (AcceptSymbol(SqlTokenKind.Semicolon))
            {
            }

            if (Current.Kind == SqlTokenKind.End)
            {
                return statements;
            }

            statements.Add(ParseStatement());
            if (!AcceptSymbol(SqlTokenKind.Semicolon))
            {
                ExpectEnd();
            }
        }
    }

    public Expression ParseStandaloneExpression()
    {
        Expression expression = ParseExpression();
        ExpectEnd();
        return expression;
    }

    public DataTypeSyntax ParseStandaloneType()
    {
        DataTypeSyntax type = ParseType();
        ExpectEnd();
        return type;
    }

    private void ExpectEnd()
    {
        if (Current.Kind != SqlTokenKind.End)
        {
            Note("<EOF>", quoted: false);
            throw Error();
        }
    }

    // ---- Token helpers ------------------------------------------------------------------------------------------

    private SqlToken Advance()
    {
        SqlToken token = tokens[index];
        if (token.Kind != SqlTokenKind.End)
        {
            index++;
        }

        return token;
    }

    /// <summary>Records a keyword or symbol (shown quoted) as acceptable at the current token.</summary>
    private void Note(string expectation) => Note(expectation, quoted: true);

    /// <summary>Records something acceptable at the current token; descriptions such as "a table name" are not quoted.</summary>
    private void Note(string expectation, bool quoted)
    {
        if (expectedIndex != index)
        {
            expectedIndex = index;
            expectedAtIndex.Clear();
        }

        if (!expectedAtIndex.Contains((expectation, quoted)))
        {
            expectedAtIndex.Add((expectation, quoted));
        }
    }

    private static bool IsWord(SqlToken token, string keyword) =>
        token.Kind == SqlTokenKind.Word && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Tests the current token for a keyword without recording it as an expectation.</summary>
    private bool IsWord(string keyword) => IsWord(Current, keyword);

    /// <summary>Tests the current token for a keyword and records it as an expectation for error messages.</summary>
    private bool Check(string keyword)
    {
        Note(keyword);
        return IsWord(Current, keyword);
    }

    private bool CheckSymbol(SqlTokenKind kind)
    {
        Note(SymbolText(kind));
        return Current.Kind == kind;
    }

    private bool Accept(string keyword)
    {
        if (Check(keyword))
        {
            index++;
            return true;
        }

        return false;
    }

    private bool AcceptSymbol(SqlTokenKind kind)
    {
        if (CheckSymbol(kind))
        {
            Advance();
            return true;
        }

        return false;
    }

    private SqlToken Expect(string keyword)
    {
        if (!Check(keyword))
        {
            throw Error();
        }

        return Advance();
    }

    private SqlToken ExpectSymbol(SqlTokenKind kind)
    {
        if (!CheckSymbol(kind))
        {
            throw Error();
        }

        return Advance();
    }

    private static string SymbolText(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.Plus => "+",
        SqlTokenKind.Minus => "-",
        SqlTokenKind.Star => "*",
        SqlTokenKind.Slash => "/",
        SqlTokenKind.Percent => "%",
        SqlTokenKind.Concat => "||",
        SqlTokenKind.Equal => "=",
        SqlTokenKind.NotEqual => "<>",
        SqlTokenKind.LessThan => "<",
        SqlTokenKind.LessThanOrEqual => "<=",
        SqlTokenKind.GreaterThan => ">",
        SqlTokenKind.GreaterThanOrEqual => ">=",
        SqlTokenKind.LeftParen => "(",
        SqlTokenKind.RightParen => ")",
        SqlTokenKind.LeftBracket => "[",
        SqlTokenKind.RightBracket => "]",
        SqlTokenKind.Comma => ",",
        SqlTokenKind.Dot => ".",
        SqlTokenKind.Semicolon => ";",
        SqlTokenKind.Arrow => "->",
        SqlTokenKind.Parameter => "?",
        _ => kind.ToString(),
    };

    private static bool IsIdentifierToken(SqlToken token) =>
        token.Kind == SqlTokenKind.QuotedIdentifier || (token.Kind == SqlTokenKind.Word && !Keywords.IsReserved(token.Text));

    private static bool IsImplicitAlias(SqlToken token) =>
        token.Kind == SqlTokenKind.QuotedIdentifier || (token.Kind == SqlTokenKind.Word && Keywords.CanBeImplicitAlias(token.Text));

    private static bool IsQueryStart(SqlToken token) =>
        IsWord(token, "SELECT") || IsWord(token, "WITH") || IsWord(token, "VALUES") || IsWord(token, "TABLE");

    // ---- Spans and errors ---------------------------------------------------------------------------------------

    private SourceSpan SpanFrom(SqlToken start) => new(start.Start, start.Line, start.Column, Math.Max(0, PreviousEnd - start.Start));

    private SourceSpan SpanFrom(SourceSpan start) => new(start.Start, start.Line, start.Column, Math.Max(0, PreviousEnd - start.Start));

    private static SourceSpan SpanOf(SqlToken token) => new(token.Start, token.Line, token.Column, token.Length);

    /// <summary>A syntax error at the current token listing the recorded expectations, plus <paramref name="description"/>.</summary>
    private SqlParseException Error(string? description = null)
    {
        SqlToken token = Current;
        var expecting = new StringBuilder();
        if (expectedIndex == index)
        {
            foreach ((string text, bool quoted) in expectedAtIndex)
            {
                AppendExpectation(expecting, quoted ? "'" + text + "'" : text);
            }
        }

        if (description is not null)
        {
            AppendExpectation(expecting, description);
        }

        string found = token.Kind == SqlTokenKind.End ? "unexpected end of input" : $"mismatched input '{Shown(token)}'";
        string detail = expecting.Length > 0 ? $"{found}. Expecting: {expecting}" : found;
        return new SqlParseException(SqlParseException.SyntaxError, detail, token.Line, token.Column, token.Start);
    }

    private static void AppendExpectation(StringBuilder expecting, string text)
    {
        if (expecting.Length > 0)
        {
            expecting.Append(", ");
        }

        expecting.Append(text);
    }

    private string Shown(SqlToken token)
    {
        const int MaxShown = 40;
        string text = sql.Substring(token.Start, Math.Min(token.Length, MaxShown));
        if (token.Length > MaxShown)
        {
            text += "...";
        }

        return text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    private SqlParseException ErrorAt(string code, string detail, SqlToken token) =>
        new(code, detail, token.Line, token.Column, token.Start);

    private void Enter()
    {
        if (++nesting > MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            nesting = 0;
            throw ErrorAt(SqlParseException.SyntaxError, $"statement is too deeply nested (more than {MaxNesting} levels)", Current);
        }
    }

    private void Exit() => nesting--;

    // ---- Names ----------------------------------------------------------------------------------------------------

    private Identifier ParseIdentifier()
    {
        SqlToken token = Current;
        if (token.Kind == SqlTokenKind.QuotedIdentifier)
        {
            Advance();
            return new Identifier(token.Text, true) { Span = SpanOf(token) };
        }

        if (token.Kind == SqlTokenKind.Word && !Keywords.IsReserved(token.Text))
        {
            Advance();
            return new Identifier(token.Text, false) { Span = SpanOf(token) };
        }

        throw Error("an identifier");
    }

    private QualifiedName ParseQualifiedName()
    {
        SqlToken start = Current;
        var parts = new List<Identifier> { ParseIdentifier() };
        while (Current.Kind == SqlTokenKind.Dot && IsIdentifierToken(Peek(1)))
        {
            Advance();
            parts.Add(ParseIdentifier());
        }

        return new QualifiedName(parts) { Span = SpanFrom(start) };
    }

    private List<Identifier> ParseIdentifierList()
    {
        ExpectSymbol(SqlTokenKind.LeftParen);
        var identifiers = new List<Identifier>();
        do
        {
            identifiers.Add(ParseIdentifier());
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        ExpectSymbol(SqlTokenKind.RightParen);
        return identifiers;
    }

    private string ParseStringValue()
    {
        if (Current.Kind != SqlTokenKind.String)
        {
            throw Error("a string");
        }

        return Advance().Text;
    }

    // ---- Statements -----------------------------------------------------------------------------------------------

    private Statement ParseStatement()
    {
        SqlToken start = Current;

        // Non-short-circuit: every alternative is recorded for the error message.
        if (Check("SELECT") | Check("WITH") | Check("VALUES") | Check("TABLE") | CheckSymbol(SqlTokenKind.LeftParen))
        {
            Query query = ParseQuery();
            return new QueryStatement(query) { Span = SpanFrom(start) };
        }

        if (Check("EXPLAIN"))
        {
            return ParseExplain();
        }

        if (Check("CREATE"))
        {
            return ParseCreateTable();
        }

        if (Check("INSERT"))
        {
            Advance();
            Expect("INTO");
            QualifiedName target = ParseQualifiedName();
            IReadOnlyList<Identifier> columns = Array.Empty<Identifier>();
            if (Current.Kind == SqlTokenKind.LeftParen && !IsQueryStart(Peek(1)) && Peek(1).Kind != SqlTokenKind.LeftParen)
            {
                columns = ParseIdentifierList();
            }

            Query query = ParseQuery();
            return new InsertStatement(target, columns, query) { Span = SpanFrom(start) };
        }

        if (Check("DELETE"))
        {
            Advance();
            Expect("FROM");
            QualifiedName target = ParseQualifiedName();
            Expression? where = Accept("WHERE") ? ParseExpression() : null;
            return new DeleteStatement(target, where) { Span = SpanFrom(start) };
        }

        if (Check("DROP"))
        {
            Advance();
            Expect("TABLE");
            bool ifExists = false;
            if (Accept("IF"))
            {
                Expect("EXISTS");
                ifExists = true;
            }

            QualifiedName name = ParseQualifiedName();
            return new DropTableStatement(name, ifExists) { Span = SpanFrom(start) };
        }

        if (Check("SHOW"))
        {
            return ParseShow();
        }

        if (Check("DESCRIBE") || (Check("DESC") && IsIdentifierToken(Peek(1))))
        {
            Advance();
            QualifiedName table = ParseQualifiedName();
            return new ShowColumnsStatement(table) { Span = SpanFrom(start) };
        }

        if (Check("SET"))
        {
            Advance();
            Accept("SESSION");
            QualifiedName name = ParseQualifiedName();
            if (!Accept("TO"))
            {
                ExpectSymbol(SqlTokenKind.Equal);
            }

            Expression value = ParseExpression();
            return new SetSessionStatement(name, value) { Span = SpanFrom(start) };
        }

        if (Check("RESET"))
        {
            Advance();
            Accept("SESSION");
            QualifiedName name = ParseQualifiedName();
            return new ResetSessionStatement(name) { Span = SpanFrom(start) };
        }

        if (Check("USE"))
        {
            Advance();
            Identifier first = ParseIdentifier();
            if (AcceptSymbol(SqlTokenKind.Dot))
            {
                Identifier schema = ParseIdentifier();
                return new UseStatement(first, schema) { Span = SpanFrom(start) };
            }

            return new UseStatement(null, first) { Span = SpanFrom(start) };
        }

        throw Error();
    }

    private ExplainStatement ParseExplain()
    {
        Enter();
        try
        {
            SqlToken start = Advance();
            bool analyze = Accept("ANALYZE");
            bool verbose = analyze && Accept("VERBOSE");
            string? format = null;
            string? type = null;
            if (Current.Kind == SqlTokenKind.LeftParen
                && (IsWord(Peek(1), "FORMAT") || IsWord(Peek(1), "TYPE"))
                && Peek(2).Kind == SqlTokenKind.Word)
            {
                Advance();
                do
                {
                    if (Accept("FORMAT"))
                    {
                        format = ParseIdentifier().Text.ToUpperInvariant();
                    }
                    else if (Accept("TYPE"))
                    {
                        type = ParseIdentifier().Text.ToUpperInvariant();
                    }
                    else
                    {
                        throw Error();
                    }
                }
                while (AcceptSymbol(SqlTokenKind.Comma));

                ExpectSymbol(SqlTokenKind.RightParen);
            }

            Statement inner = ParseStatement();
            return new ExplainStatement(inner, analyze, verbose, format, type) { Span = SpanFrom(start) };
        }
        finally
        {
            Exit();
        }
    }

    private Statement ParseCreateTable()
    {
        SqlToken start = Advance();
        Expect("TABLE");
        bool ifNotExists = false;
        if (Accept("IF"))
        {
            Expect("NOT");
            Expect("EXISTS");
            ifNotExists = true;
        }

        QualifiedName name = ParseQualifiedName();
        List<ColumnDefinition>? columns = null;
        IReadOnlyList<Identifier> columnAliases = Array.Empty<Identifier>();
        if (CheckSymbol(SqlTokenKind.LeftParen))
        {
            if (IsIdentifierToken(Peek(1)) && (Peek(2).Kind == SqlTokenKind.Comma || Peek(2).Kind == SqlTokenKind.RightParen))
            {
                columnAliases = ParseIdentifierList();
            }
            else
            {
                Advance();
                columns = new List<ColumnDefinition>();
                do
                {
                    // Table constraints (PRIMARY KEY (...), UNIQUE (...)) are accepted for portability and not enforced.
                    if (Check("PRIMARY") || Check("UNIQUE"))
                    {
                        if (Accept("PRIMARY"))
                        {
                            Expect("KEY");
                        }
                        else
                        {
                            Expect("UNIQUE");
                        }

                        ParseIdentifierList();
                        continue;
                    }

                    columns.Add(ParseColumnDefinition());
                }
                while (AcceptSymbol(SqlTokenKind.Comma));

                ExpectSymbol(SqlTokenKind.RightParen);
            }
        }

        string? comment = Accept("COMMENT") ? ParseStringValue() : null;
        IReadOnlyList<Property> properties = Check("WITH") ? ParseProperties() : Array.Empty<Property>();
        if (columns is not null)
        {
            return new CreateTableStatement(name, columns, ifNotExists, comment, properties) { Span = SpanFrom(start) };
        }

        Expect("AS");
        Query query = ParseQuery();
        bool withData = true;
        if (Accept("WITH"))
        {
            withData = !Accept("NO");
            Expect("DATA");
        }

        return new CreateTableAsStatement(name, columnAliases, query, ifNotExists, comment, properties, withData) { Span = SpanFrom(start) };
    }

    private ColumnDefinition ParseColumnDefinition()
    {
        SqlToken start = Current;
        Identifier name = ParseIdentifier();
        DataTypeSyntax type = ParseType();
        bool nullable = true;
        while (true)
        {
            if (Accept("NOT"))
            {
                Expect("NULL");
                nullable = false;
            }
            else if (Accept("PRIMARY"))
            {
                // Column constraints are accepted for portability; a primary key column is NOT NULL, uniqueness is not enforced.
                Expect("KEY");
                nullable = false;
            }
            else if (!Accept("NULL") && !Accept("UNIQUE"))
            {
                break;
            }
        }

        string? comment = Accept("COMMENT") ? ParseStringValue() : null;
        return new ColumnDefinition(name, type, nullable, comment) { Span = SpanFrom(start) };
    }

    private List<Property> ParseProperties()
    {
        Expect("WITH");
        ExpectSymbol(SqlTokenKind.LeftParen);
        var properties = new List<Property>();
        do
        {
            SqlToken start = Current;
            Identifier name = ParseIdentifier();
            ExpectSymbol(SqlTokenKind.Equal);
            Expression value = ParseExpression();
            properties.Add(new Property(name, value) { Span = SpanFrom(start) });
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        ExpectSymbol(SqlTokenKind.RightParen);
        return properties;
    }

    private Statement ParseShow()
    {
        SqlToken start = Advance();
        if (Accept("TABLES"))
        {
            QualifiedName? schema = null;
            if (Accept("FROM") || Accept("IN"))
            {
                schema = ParseQualifiedName();
            }

            string? pattern = Accept("LIKE") ? ParseStringValue() : null;
            return new ShowTablesStatement(schema, pattern) { Span = SpanFrom(start) };
        }

        if (Accept("SCHEMAS"))
        {
            Identifier? catalog = null;
            if (Accept("FROM") || Accept("IN"))
            {
                catalog = ParseIdentifier();
            }

            string? pattern = Accept("LIKE") ? ParseStringValue() : null;
            return new ShowSchemasStatement(catalog, pattern) { Span = SpanFrom(start) };
        }

        if (Accept("CATALOGS"))
        {
            string? pattern = Accept("LIKE") ? ParseStringValue() : null;
            return new ShowCatalogsStatement(pattern) { Span = SpanFrom(start) };
        }

        if (Accept("COLUMNS"))
        {
            if (!Accept("FROM"))
            {
                Expect("IN");
            }

            QualifiedName table = ParseQualifiedName();
            return new ShowColumnsStatement(table) { Span = SpanFrom(start) };
        }

        if (Accept("CREATE"))
        {
            Expect("TABLE");
            QualifiedName table = ParseQualifiedName();
            return new ShowCreateTableStatement(table) { Span = SpanFrom(start) };
        }

        throw Error();
    }
}
