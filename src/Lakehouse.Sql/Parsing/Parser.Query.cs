using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Parsing;

internal sealed partial class Parser
{
    private const int UnionLevel = 1;
    private const int IntersectLevel = 2;

    private Query ParseQuery()
    {
        Enter();
        try
        {
            SqlToken start = Current;
            With? with = Check("WITH") ? ParseWith() : null;
            QueryBody body = ParseSetOperations(ParseQueryPrimary(), UnionLevel);
            return ParseQueryTail(SpanOf(start), with, body);
        }
        finally
        {
            Exit();
        }
    }

    private With ParseWith()
    {
        SqlToken start = Advance();
        bool recursive = Accept("RECURSIVE");
        var queries = new List<CommonTableExpression>();
        do
        {
            SqlToken cteStart = Current;
            Identifier name = ParseIdentifier();
            IReadOnlyList<Identifier> columns = CheckSymbol(SqlTokenKind.LeftParen) ? ParseIdentifierList() : Array.Empty<Identifier>();
            Expect("AS");
            ExpectSymbol(SqlTokenKind.LeftParen);
            Query query = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            queries.Add(new CommonTableExpression(name, columns, query) { Span = SpanFrom(cteStart) });
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        return new With(recursive, queries) { Span = SpanFrom(start) };
    }

    /// <summary>Folds UNION/EXCEPT (weaker) and INTERSECT (stronger) operations, all left-associative.</summary>
    private QueryBody ParseSetOperations(QueryBody left, int minimumLevel)
    {
        while (true)
        {
            SetOperator setOperator;
            int level;
            if (Check("UNION"))
            {
                setOperator = SetOperator.Union;
                level = UnionLevel;
            }
            else if (Check("EXCEPT"))
            {
                setOperator = SetOperator.Except;
                level = UnionLevel;
            }
            else if (Check("INTERSECT"))
            {
                setOperator = SetOperator.Intersect;
                level = IntersectLevel;
            }
            else
            {
                return left;
            }

            if (level < minimumLevel)
            {
                return left;
            }

            Advance();
            bool all = false;
            if (Accept("ALL"))
            {
                all = true;
            }
            else
            {
                Accept("DISTINCT");
            }

            QueryBody right = ParseSetOperations(ParseQueryPrimary(), level + 1);
            left = new SetOperation(setOperator, all, left, right) { Span = SpanFrom(left.Span) };
        }
    }

    private QueryBody ParseQueryPrimary()
    {
        SqlToken start = Current;
        if (Check("SELECT"))
        {
            return ParseQuerySpecification();
        }

        if (Check("VALUES"))
        {
            Advance();
            var rows = new List<ValuesRow>();
            do
            {
                Expression row = ParseExpression();
                IReadOnlyList<Expression> values = IsParenthesizedRow(row) ? ((RowConstructor)row).Items : new[] { row };
                rows.Add(new ValuesRow(values) { Span = row.Span });
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            return new ValuesBody(rows) { Span = SpanFrom(start) };
        }

        if (Check("TABLE"))
        {
            Advance();
            QualifiedName name = ParseQualifiedName();
            return new TableBody(name) { Span = SpanFrom(start) };
        }

        if (CheckSymbol(SqlTokenKind.LeftParen))
        {
            Advance();
            Query query = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            return new TableSubqueryBody(query) { Span = SpanFrom(start) };
        }

        throw Error();
    }

    /// <summary>A row written as a bare parenthesized list <c>(a, b)</c> rather than <c>ROW(a, b)</c>.</summary>
    private bool IsParenthesizedRow(Expression expression) =>
        expression is RowConstructor && expression.Span.Start < sql.Length && sql[expression.Span.Start] == '(';

    private Query ParseQueryTail(SourceSpan start, With? with, QueryBody body)
    {
        IReadOnlyList<SortItem> orderBy = Array.Empty<SortItem>();
        if (Check("ORDER"))
        {
            Advance();
            Expect("BY");
            orderBy = ParseSortItems();
        }

        Expression? offset = null;
        Expression? limit = null;
        bool withTies = false;
        if (Accept("OFFSET"))
        {
            offset = ParseRowCount();
            if (!Accept("ROW"))
            {
                Accept("ROWS");
            }
        }

        if (Check("LIMIT"))
        {
            Advance();
            if (!Accept("ALL"))
            {
                limit = ParseRowCount();
            }
        }
        else if (Check("FETCH"))
        {
            SqlToken fetch = Advance();
            if (!Accept("FIRST"))
            {
                Expect("NEXT");
            }

            limit = Current.Kind is SqlTokenKind.Integer or SqlTokenKind.Parameter
                ? ParseRowCount()
                : new IntegerLiteral("1") { Span = SpanOf(fetch) };
            if (!Accept("ROW"))
            {
                Expect("ROWS");
            }

            if (Accept("WITH"))
            {
                Expect("TIES");
                withTies = true;
            }
            else
            {
                Expect("ONLY");
            }
        }

        if (offset is null && Accept("OFFSET"))
        {
            offset = ParseRowCount();
            if (!Accept("ROW"))
            {
                Accept("ROWS");
            }
        }

        return new Query(with, body, orderBy, offset, limit, withTies) { Span = SpanFrom(start) };
    }

    private Expression ParseRowCount()
    {
        SqlToken token = Current;
        if (token.Kind == SqlTokenKind.Integer)
        {
            Advance();
            return new IntegerLiteral(token.Text) { Span = SpanOf(token) };
        }

        if (token.Kind == SqlTokenKind.Parameter)
        {
            Advance();
            return new Parameter(parameterCount++) { Span = SpanOf(token) };
        }

        throw Error("an integer");
    }

    private List<SortItem> ParseSortItems()
    {
        var items = new List<SortItem>();
        do
        {
            Expression expression = ParseExpression();
            SortDirection direction = SortDirection.Ascending;
            if (Accept("DESC"))
            {
                direction = SortDirection.Descending;
            }
            else
            {
                Accept("ASC");
            }

            NullOrdering nulls = NullOrdering.Unspecified;
            if (Accept("NULLS"))
            {
                if (Accept("FIRST"))
                {
                    nulls = NullOrdering.First;
                }
                else
                {
                    Expect("LAST");
                    nulls = NullOrdering.Last;
                }
            }

            items.Add(new SortItem(expression, direction, nulls) { Span = SpanFrom(expression.Span) });
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        return items;
    }

    private QuerySpecification ParseQuerySpecification()
    {
        SqlToken start = Expect("SELECT");
        bool distinct = false;
        if (Accept("DISTINCT"))
        {
            distinct = true;
        }
        else
        {
            Accept("ALL");
        }

        var items = new List<SelectItem>();
        do
        {
            items.Add(ParseSelectItem());
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        Relation? from = Accept("FROM") ? ParseFromList() : null;
        Expression? where = Accept("WHERE") ? ParseExpression() : null;
        GroupBy? groupBy = Check("GROUP") ? ParseGroupBy() : null;
        Expression? having = Accept("HAVING") ? ParseExpression() : null;
        IReadOnlyList<WindowDefinition> windows = Array.Empty<WindowDefinition>();
        if (Check("WINDOW") && IsIdentifierToken(Peek(1)))
        {
            Advance();
            var definitions = new List<WindowDefinition>();
            do
            {
                SqlToken definitionStart = Current;
                Identifier name = ParseIdentifier();
                Expect("AS");
                ExpectSymbol(SqlTokenKind.LeftParen);
                WindowSpec spec = ParseWindowSpecBody(Current);
                ExpectSymbol(SqlTokenKind.RightParen);
                definitions.Add(new WindowDefinition(name, spec) { Span = SpanFrom(definitionStart) });
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            windows = definitions;
        }

        return new QuerySpecification(distinct, items, from, where, groupBy, having, windows) { Span = SpanFrom(start) };
    }

    private SelectItem ParseSelectItem()
    {
        SqlToken start = Current;
        if (AcceptSymbol(SqlTokenKind.Star))
        {
            return new AllColumns(null) { Span = SpanOf(start) };
        }

        if (IsQualifiedStar())
        {
            QualifiedName qualifier = ParseQualifiedName();
            ExpectSymbol(SqlTokenKind.Dot);
            ExpectSymbol(SqlTokenKind.Star);
            return new AllColumns(qualifier) { Span = SpanFrom(start) };
        }

        Expression expression = ParseExpression();
        Identifier? alias = ParseOptionalAlias();
        return new SelectExpression(expression, alias) { Span = SpanFrom(start) };
    }

    /// <summary>Looks ahead for <c>name.name.*</c>.</summary>
    private bool IsQualifiedStar()
    {
        int offset = 0;
        while (IsIdentifierToken(Peek(offset)))
        {
            if (Peek(offset + 1).Kind != SqlTokenKind.Dot)
            {
                return false;
            }

            if (Peek(offset + 2).Kind == SqlTokenKind.Star)
            {
                return true;
            }

            offset += 2;
        }

        return false;
    }

    private Identifier? ParseOptionalAlias()
    {
        if (Accept("AS"))
        {
            return ParseIdentifier();
        }

        return IsImplicitAlias(Current) ? ParseIdentifier() : null;
    }

    private GroupBy ParseGroupBy()
    {
        SqlToken start = Advance();
        Expect("BY");
        bool distinct = false;
        if (Accept("DISTINCT"))
        {
            distinct = true;
        }
        else
        {
            Accept("ALL");
        }

        var elements = new List<GroupingElement>();
        do
        {
            ParseGroupingElement(elements);
        }
        while (AcceptSymbol(SqlTokenKind.Comma));

        return new GroupBy(distinct, elements) { Span = SpanFrom(start) };
    }

    private void ParseGroupingElement(List<GroupingElement> elements)
    {
        SqlToken start = Current;
        if (IsWord("GROUPING") && IsWord(Peek(1), "SETS"))
        {
            Advance();
            Advance();
            ExpectSymbol(SqlTokenKind.LeftParen);
            var sets = new List<IReadOnlyList<Expression>>();
            do
            {
                sets.Add(ParseGroupingSet());
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            ExpectSymbol(SqlTokenKind.RightParen);
            elements.Add(new GroupingSets(sets) { Span = SpanFrom(start) });
            return;
        }

        if ((IsWord("ROLLUP") || IsWord("CUBE")) && Peek(1).Kind == SqlTokenKind.LeftParen)
        {
            bool rollup = IsWord("ROLLUP");
            Advance();
            ExpectSymbol(SqlTokenKind.LeftParen);
            var expressions = new List<Expression>();
            if (Current.Kind != SqlTokenKind.RightParen)
            {
                do
                {
                    expressions.Add(ParseExpression());
                }
                while (AcceptSymbol(SqlTokenKind.Comma));
            }

            ExpectSymbol(SqlTokenKind.RightParen);
            elements.Add(rollup
                ? new Rollup(expressions) { Span = SpanFrom(start) }
                : new Cube(expressions) { Span = SpanFrom(start) });
            return;
        }

        if (Current.Kind == SqlTokenKind.LeftParen && Peek(1).Kind == SqlTokenKind.RightParen)
        {
            Advance();
            Advance();
            elements.Add(new GroupingSets(new[] { Array.Empty<Expression>() }) { Span = SpanFrom(start) });
            return;
        }

        Expression expression = ParseExpression();
        if (IsParenthesizedRow(expression))
        {
            // (a, b) as a grouping element groups by both columns.
            foreach (Expression item in ((RowConstructor)expression).Items)
            {
                elements.Add(new SimpleGroupBy(item) { Span = item.Span });
            }

            return;
        }

        elements.Add(new SimpleGroupBy(expression) { Span = SpanFrom(start) });
    }

    private IReadOnlyList<Expression> ParseGroupingSet()
    {
        if (Current.Kind == SqlTokenKind.LeftParen && Peek(1).Kind == SqlTokenKind.RightParen)
        {
            Advance();
            Advance();
            return Array.Empty<Expression>();
        }

        Expression expression = ParseExpression();
        return IsParenthesizedRow(expression) ? ((RowConstructor)expression).Items : new[] { expression };
    }

    // ---- Relations ------------------------------------------------------------------------------------------------

    private Relation ParseFromList()
    {
        Relation left = ParseRelation();
        while (AcceptSymbol(SqlTokenKind.Comma))
        {
            Relation right = ParseRelation();
            left = new Join(JoinKind.Cross, left, right, null) { Span = SpanFrom(left.Span) };
        }

        return left;
    }

    private Relation ParseRelation() => ParseJoinTail(ParseAliasedRelation());

    private Relation ParseJoinTail(Relation left)
    {
        Enter();
        try
        {
            while (true)
            {
                if (Check("CROSS"))
                {
                    Advance();
                    Expect("JOIN");
                    Relation right = ParseAliasedRelation();
                    left = new Join(JoinKind.Cross, left, right, null) { Span = SpanFrom(left.Span) };
                    continue;
                }

                if (Check("NATURAL"))
                {
                    SqlToken natural = Advance();
                    JoinKind naturalKind = TryParseJoinKind() ?? throw Error();
                    Relation right = ParseAliasedRelation();
                    left = new Join(naturalKind, left, right, new NaturalJoin { Span = SpanOf(natural) }) { Span = SpanFrom(left.Span) };
                    continue;
                }

                JoinKind? kind = TryParseJoinKind();
                if (kind is null)
                {
                    return left;
                }

                Relation joined = ParseAliasedRelation();
                if (!IsWord("ON") && !IsWord("USING") && IsJoinStart())
                {
                    // a JOIN b JOIN c ON x ON y: the right side is itself a join.
                    joined = ParseJoinTail(joined);
                }

                JoinCriteria criteria = ParseJoinCriteria();
                left = new Join(kind.Value, left, joined, criteria) { Span = SpanFrom(left.Span) };
            }
        }
        finally
        {
            Exit();
        }
    }

    private bool IsJoinStart() =>
        IsWord("JOIN") || IsWord("INNER") || IsWord("LEFT") || IsWord("RIGHT") || IsWord("FULL") || IsWord("CROSS") || IsWord("NATURAL");

    private JoinKind? TryParseJoinKind()
    {
        if (Accept("JOIN"))
        {
            return JoinKind.Inner;
        }

        JoinKind kind;
        if (Accept("INNER"))
        {
            kind = JoinKind.Inner;
        }
        else if (Accept("LEFT"))
        {
            kind = JoinKind.Left;
            Accept("OUTER");
        }
        else if (Accept("RIGHT"))
        {
            kind = JoinKind.Right;
            Accept("OUTER");
        }
        else if (Accept("FULL"))
        {
            kind = JoinKind.Full;
            Accept("OUTER");
        }
        else
        {
            return null;
        }

        Expect("JOIN");
        return kind;
    }

    private JoinCriteria ParseJoinCriteria()
    {
        SqlToken start = Current;
        if (Accept("ON"))
        {
            Expression condition = ParseExpression();
            return new JoinOn(condition) { Span = SpanFrom(start) };
        }

        if (Check("USING"))
        {
            Advance();
            List<Identifier> columns = ParseIdentifierList();
            return new JoinUsing(columns) { Span = SpanFrom(start) };
        }

        throw Error();
    }

    private Relation ParseAliasedRelation()
    {
        SqlToken start = Current;
        if (CheckSymbol(SqlTokenKind.LeftParen))
        {
            (Query? query, Relation? relation) = ParseParenthesizedFromItem();
            if (query is not null)
            {
                return ParseSubqueryAlias(start, query);
            }

            return ParseParenthesizedRelationAlias(start, relation!);
        }

        if (IsWord("LATERAL") && Peek(1).Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            Advance();
            Query query = ParseQuery();
            ExpectSymbol(SqlTokenKind.RightParen);
            Identifier? alias = ParseOptionalAlias();
            IReadOnlyList<Identifier> columns = alias is not null && CheckSymbol(SqlTokenKind.LeftParen) ? ParseIdentifierList() : Array.Empty<Identifier>();
            return new LateralRelation(query, alias, columns) { Span = SpanFrom(start) };
        }

        if (IsWord("UNNEST"))
        {
            Advance();
            ExpectSymbol(SqlTokenKind.LeftParen);
            var arguments = new List<Expression>();
            do
            {
                arguments.Add(ParseExpression());
            }
            while (AcceptSymbol(SqlTokenKind.Comma));

            ExpectSymbol(SqlTokenKind.RightParen);
            bool withOrdinality = false;
            if (IsWord("WITH") && IsWord(Peek(1), "ORDINALITY"))
            {
                Advance();
                Advance();
                withOrdinality = true;
            }

            Identifier? alias = ParseOptionalAlias();
            IReadOnlyList<Identifier> columns = alias is not null && CheckSymbol(SqlTokenKind.LeftParen) ? ParseIdentifierList() : Array.Empty<Identifier>();
            return new UnnestRelation(arguments, withOrdinality, alias, columns) { Span = SpanFrom(start) };
        }

        if (!IsIdentifierToken(Current))
        {
            Note("a table name", quoted: false);
            throw Error();
        }

        QualifiedName name = ParseQualifiedName();
        List<Expression>? functionArguments = null;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            functionArguments = new List<Expression>();
            if (Current.Kind != SqlTokenKind.RightParen)
            {
                do
                {
                    functionArguments.Add(ParseExpression());
                }
                while (AcceptSymbol(SqlTokenKind.Comma));
            }

            ExpectSymbol(SqlTokenKind.RightParen);
        }

        TimeTravelClause? timeTravel = Check("FOR") ? ParseTimeTravel() : null;
        Identifier? tableAlias = ParseOptionalAlias();
        IReadOnlyList<Identifier> columnAliases = tableAlias is not null && CheckSymbol(SqlTokenKind.LeftParen)
            ? ParseIdentifierList()
            : Array.Empty<Identifier>();
        if (timeTravel is null && Check("FOR"))
        {
            timeTravel = ParseTimeTravel();
        }

        if (functionArguments is not null)
        {
            return new TableFunctionCall(name, functionArguments, timeTravel, tableAlias, columnAliases) { Span = SpanFrom(start) };
        }

        return new TableRef(name, timeTravel, tableAlias, columnAliases) { Span = SpanFrom(start) };
    }

    /// <summary>
    /// An alias after a parenthesized relation such as <c>(t) x</c> renames that relation; the outer name wins over an
    /// inner one. A join tree has no single name to replace, so aliasing one is an error.
    /// </summary>
    private Relation ParseParenthesizedRelationAlias(SqlToken start, Relation relation)
    {
        SqlToken aliasStart = Current;
        Identifier? alias = ParseOptionalAlias();
        if (alias is null)
        {
            return relation;
        }

        IReadOnlyList<Identifier> columns = CheckSymbol(SqlTokenKind.LeftParen) ? ParseIdentifierList() : Array.Empty<Identifier>();
        SourceSpan span = SpanFrom(start);
        return relation switch
        {
            TableRef table => table with { Alias = alias, ColumnAliases = columns.Count > 0 ? columns : table.ColumnAliases, Span = span },
            TableFunctionCall function => function with { Alias = alias, ColumnAliases = columns.Count > 0 ? columns : function.ColumnAliases, Span = span },
            SubqueryRelation subquery => subquery with { Alias = alias, ColumnAliases = columns.Count > 0 ? columns : subquery.ColumnAliases, Span = span },
            LateralRelation lateral => lateral with { Alias = alias, ColumnAliases = columns.Count > 0 ? columns : lateral.ColumnAliases, Span = span },
            UnnestRelation unnest => unnest with { Alias = alias, ColumnAliases = columns.Count > 0 ? columns : unnest.ColumnAliases, Span = span },
            _ => throw ErrorAt(SqlParseException.SyntaxError, "a parenthesized join cannot have an alias; alias the tables inside it or use a subquery", aliasStart),
        };
    }

    private TimeTravelClause ParseTimeTravel()
    {
        SqlToken start = Expect("FOR");
        TimeTravelKind kind;
        if (Accept("VERSION") || Accept("SYSTEM_VERSION"))
        {
            kind = TimeTravelKind.Version;
        }
        else if (Accept("TIMESTAMP") || Accept("SYSTEM_TIME"))
        {
            kind = TimeTravelKind.Timestamp;
        }
        else
        {
            throw Error();
        }

        Expect("AS");
        Expect("OF");
        Expression value = ParseExpression(ConcatLevel);
        return new TimeTravelClause(kind, value) { Span = SpanFrom(start) };
    }

    private SubqueryRelation ParseSubqueryAlias(SqlToken start, Query query)
    {
        Identifier? alias = ParseOptionalAlias();
        IReadOnlyList<Identifier> columns = alias is not null && CheckSymbol(SqlTokenKind.LeftParen) ? ParseIdentifierList() : Array.Empty<Identifier>();
        return new SubqueryRelation(query, alias, columns) { Span = SpanFrom(start) };
    }

    /// <summary>
    /// Parses <c>( ... )</c> in FROM, which holds either a query (returned as Query) or a relation such as a join tree.
    /// Nested parentheses are resolved without backtracking: an inner parenthesized query followed by a set operator
    /// or ORDER BY / LIMIT continues as a query, otherwise it is a subquery relation.
    /// </summary>
    private (Query? Query, Relation? Relation) ParseParenthesizedFromItem()
    {
        Enter();
        try
        {
            ExpectSymbol(SqlTokenKind.LeftParen);
            if (IsQueryStart(Current))
            {
                Query query = ParseQuery();
                ExpectSymbol(SqlTokenKind.RightParen);
                return (query, null);
            }

            if (Current.Kind == SqlTokenKind.LeftParen)
            {
                SqlToken innerStart = Current;
                (Query? innerQuery, Relation? innerRelation) = ParseParenthesizedFromItem();
                if (innerQuery is not null)
                {
                    if (IsQueryContinuation())
                    {
                        QueryBody body = new TableSubqueryBody(innerQuery) { Span = SpanFrom(innerStart) };
                        body = ParseSetOperations(body, UnionLevel);
                        Query query = ParseQueryTail(SpanOf(innerStart), null, body);
                        ExpectSymbol(SqlTokenKind.RightParen);
                        return (query, null);
                    }

                    if (AcceptSymbol(SqlTokenKind.RightParen))
                    {
                        return (innerQuery, null);
                    }

                    Relation subquery = ParseSubqueryAlias(innerStart, innerQuery);
                    Relation joined = ParseJoinTail(subquery);
                    ExpectSymbol(SqlTokenKind.RightParen);
                    return (null, joined);
                }

                Relation relation = ParseJoinTail(ParseParenthesizedRelationAlias(innerStart, innerRelation!));
                ExpectSymbol(SqlTokenKind.RightParen);
                return (null, relation);
            }

            Relation inner = ParseRelation();
            ExpectSymbol(SqlTokenKind.RightParen);
            return (null, inner);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>True when the current token can continue a query after a parenthesized query term.</summary>
    private bool IsQueryContinuation() =>
        IsWord("UNION") || IsWord("INTERSECT") || IsWord("EXCEPT") || IsWord("ORDER")
        || IsWord("LIMIT") || IsWord("OFFSET") || IsWord("FETCH");
}
