using System.Globalization;
using System.Text;
using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql;

/// <summary>
/// Prints syntax trees back as canonical single-line SQL: upper-case keywords, minimal parentheses.
/// Parsing the output yields a tree equal to the input under <see cref="SyntaxComparer"/>.
/// </summary>
public static class SqlFormatter
{
    public static string Format(Node node) => Format(node, normalizeIdentifiers: false);

    /// <summary>Formats with unquoted identifiers lower-cased, giving one text per case-insensitively equal tree.</summary>
    public static string FormatNormalized(Node node) => Format(node, normalizeIdentifiers: true);

    private static string Format(Node node, bool normalizeIdentifiers)
    {
        var writer = new Writer(normalizeIdentifiers);
        writer.Node(node);
        return writer.ToString();
    }

    // Binding strength of expression forms; an operand weaker than its position requires is parenthesized.
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

    internal static int BinaryLevel(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => OrLevel,
        BinaryOperator.And => AndLevel,
        BinaryOperator.Concat => ConcatLevel,
        BinaryOperator.Add or BinaryOperator.Subtract => AdditiveLevel,
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => MultiplicativeLevel,
        _ => PredicateLevel,
    };

    public static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Concat => "||",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.LessThan => "<",
        BinaryOperator.LessThanOrEqual => "<=",
        BinaryOperator.GreaterThan => ">",
        BinaryOperator.GreaterThanOrEqual => ">=",
        BinaryOperator.And => "AND",
        BinaryOperator.Or => "OR",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operator"),
    };

    private static int Level(Expression expression) => expression switch
    {
        BinaryExpression binary => BinaryLevel(binary.Operator),
        UnaryExpression { Operator: UnaryOperator.Not } => NotLevel,
        UnaryExpression => UnaryLevel,
        IsNullExpression or IsDistinctFromExpression or BetweenExpression or InListExpression or InSubqueryExpression
            or LikeExpression or QuantifiedComparison => PredicateLevel,
        AtTimeZoneExpression => AtTimeZoneLevel,
        LambdaExpression => 0,
        _ => PrimaryLevel,
    };

    public static string QuoteString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private sealed class Writer(bool normalizeIdentifiers)
    {
        private readonly StringBuilder text = new();

        public override string ToString() => text.ToString();

        private Writer Append(string value)
        {
            text.Append(value);
            return this;
        }

        private void List<T>(IReadOnlyList<T> items, Action<T> write, string separator = ", ")
        {
            for (int index = 0; index < items.Count; index++)
            {
                if (index > 0)
                {
                    text.Append(separator);
                }

                write(items[index]);
            }
        }

        public void Node(Node node)
        {
            switch (node)
            {
                case Statement statement: Statement(statement); break;
                case Query query: Query(query); break;
                case QueryBody body: Body(body, parenthesizeSetOperation: false); break;
                case Relation relation: Relation(relation); break;
                case Expression expression: Expression(expression, 0); break;
                case Identifier identifier: Identifier(identifier); break;
                case QualifiedName name: Name(name); break;
                case DataTypeSyntax type: Type(type); break;
                case DataTypeField field: Field(field); break;
                case SortItem item: Sort(item); break;
                case SelectItem item: Select(item); break;
                case WindowSpec spec: Window(spec); break;
                case WindowFrame frame: Frame(frame); break;
                case FrameBound bound: Bound(bound); break;
                case GroupBy groupBy: Group(groupBy); break;
                case GroupingElement element: Grouping(element); break;
                case With withClause: WithClause(withClause); break;
                case CommonTableExpression cte: Cte(cte); break;
                case WhenClause whenClause: When(whenClause); break;
                case TimeTravelClause timeTravel: TimeTravel(timeTravel); break;
                case JoinCriteria criteria: Criteria(criteria); break;
                case WindowDefinition definition: Definition(definition); break;
                case ValuesRow row: Row(row); break;
                case Property property: PropertyEntry(property); break;
                case ColumnDefinition column: Column(column); break;
                default: throw new ArgumentException($"cannot format node of type {node.GetType().Name}", nameof(node));
            }
        }

        private void Identifier(Identifier identifier)
        {
            if (identifier.Quoted || !Keywords.IsPlainIdentifier(identifier.Text))
            {
                text.Append('"').Append(identifier.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(normalizeIdentifiers ? identifier.Text.ToLowerInvariant() : identifier.Text);
            }
        }

        private void Name(QualifiedName name) => List(name.Parts, Identifier, ".");

        private void Aliases(Identifier? alias, IReadOnlyList<Identifier> columns)
        {
            if (alias is not null)
            {
                Append(" AS ");
                Identifier(alias);
            }

            if (columns.Count > 0)
            {
                Append(" (");
                List(columns, Identifier);
                Append(")");
            }
        }

        private void Properties(IReadOnlyList<Property> properties)
        {
            if (properties.Count > 0)
            {
                Append(" WITH (");
                List(properties, PropertyEntry);
                Append(")");
            }
        }

        private void PropertyEntry(Property property)
        {
            Identifier(property.Name);
            Append(" = ");
            Expression(property.Value, 0);
        }

        private void Column(ColumnDefinition column)
        {
            Identifier(column.Name);
            Append(" ");
            Type(column.Type);
            if (!column.Nullable)
            {
                Append(" NOT NULL");
            }

            if (column.Comment is not null)
            {
                Append(" COMMENT ").Append(QuoteString(column.Comment));
            }
        }

        private void Statement(Statement statement)
        {
            switch (statement)
            {
                case QueryStatement query:
                    Query(query.Query);
                    break;
                case ExplainStatement explain:
                    Append("EXPLAIN ");
                    if (explain.Analyze)
                    {
                        Append(explain.Verbose ? "ANALYZE VERBOSE " : "ANALYZE ");
                    }

                    if (explain.Format is not null || explain.Type is not null)
                    {
                        Append("(");
                        if (explain.Format is not null)
                        {
                            Append("FORMAT ").Append(explain.Format);
                        }

                        if (explain.Type is not null)
                        {
                            Append(explain.Format is not null ? ", TYPE " : "TYPE ").Append(explain.Type);
                        }

                        Append(") ");
                    }

                    Statement(explain.Statement);
                    break;
                case CreateTableStatement create:
                    Append(create.IfNotExists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
                    Name(create.Name);
                    Append(" (");
                    List(create.Columns, Column);
                    Append(")");
                    if (create.Comment is not null)
                    {
                        Append(" COMMENT ").Append(QuoteString(create.Comment));
                    }

                    Properties(create.Properties);
                    break;
                case CreateTableAsStatement createAs:
                    Append(createAs.IfNotExists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
                    Name(createAs.Name);
                    if (createAs.ColumnAliases.Count > 0)
                    {
                        Append(" (");
                        List(createAs.ColumnAliases, Identifier);
                        Append(")");
                    }

                    if (createAs.Comment is not null)
                    {
                        Append(" COMMENT ").Append(QuoteString(createAs.Comment));
                    }

                    Properties(createAs.Properties);
                    Append(" AS ");
                    Query(createAs.Query);
                    if (!createAs.WithData)
                    {
                        Append(" WITH NO DATA");
                    }

                    break;
                case InsertStatement insert:
                    Append("INSERT INTO ");
                    Name(insert.Target);
                    if (insert.Columns.Count > 0)
                    {
                        Append(" (");
                        List(insert.Columns, Identifier);
                        Append(")");
                    }

                    Append(" ");
                    Query(insert.Query);
                    break;
                case DeleteStatement delete:
                    Append("DELETE FROM ");
                    Name(delete.Target);
                    if (delete.Where is not null)
                    {
                        Append(" WHERE ");
                        Expression(delete.Where, 0);
                    }

                    break;
                case DropTableStatement drop:
                    Append(drop.IfExists ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
                    Name(drop.Name);
                    break;
                case ShowTablesStatement showTables:
                    Append("SHOW TABLES");
                    if (showTables.Schema is not null)
                    {
                        Append(" FROM ");
                        Name(showTables.Schema);
                    }

                    Like(showTables.LikePattern);
                    break;
                case ShowSchemasStatement showSchemas:
                    Append("SHOW SCHEMAS");
                    if (showSchemas.Catalog is not null)
                    {
                        Append(" FROM ");
                        Identifier(showSchemas.Catalog);
                    }

                    Like(showSchemas.LikePattern);
                    break;
                case ShowCatalogsStatement showCatalogs:
                    Append("SHOW CATALOGS");
                    Like(showCatalogs.LikePattern);
                    break;
                case ShowColumnsStatement showColumns:
                    Append("SHOW COLUMNS FROM ");
                    Name(showColumns.Table);
                    break;
                case ShowCreateTableStatement showCreate:
                    Append("SHOW CREATE TABLE ");
                    Name(showCreate.Table);
                    break;
                case SetSessionStatement setSession:
                    Append("SET SESSION ");
                    Name(setSession.Name);
                    Append(" = ");
                    Expression(setSession.Value, 0);
                    break;
                case ResetSessionStatement resetSession:
                    Append("RESET SESSION ");
                    Name(resetSession.Name);
                    break;
                case UseStatement use:
                    Append("USE ");
                    if (use.Catalog is not null)
                    {
                        Identifier(use.Catalog);
                        Append(".");
                    }

                    Identifier(use.Schema);
                    break;
                default:
                    throw new ArgumentException($"cannot format statement of type {statement.GetType().Name}", nameof(statement));
            }
        }

        private void Like(string? pattern)
        {
            if (pattern is not null)
            {
                Append(" LIKE ").Append(QuoteString(pattern));
            }
        }

        private void WithClause(With with)
        {
            Append(with.Recursive ? "WITH RECURSIVE " : "WITH ");
            List(with.Queries, Cte);
        }

        private void Cte(CommonTableExpression cte)
        {
            Identifier(cte.Name);
            if (cte.ColumnAliases.Count > 0)
            {
                Append(" (");
                List(cte.ColumnAliases, Identifier);
                Append(")");
            }

            Append(" AS (");
            Query(cte.Query);
            Append(")");
        }

        private void Query(Query query)
        {
            if (query.With is not null)
            {
                WithClause(query.With);
                Append(" ");
            }

            Body(query.Body, parenthesizeSetOperation: false);
            if (query.OrderBy.Count > 0)
            {
                Append(" ORDER BY ");
                List(query.OrderBy, Sort);
            }

            if (query.Offset is not null)
            {
                Append(" OFFSET ");
                Expression(query.Offset, PrimaryLevel);
            }

            if (query.Limit is not null)
            {
                if (query.WithTies)
                {
                    Append(" FETCH FIRST ");
                    Expression(query.Limit, PrimaryLevel);
                    Append(" ROWS WITH TIES");
                }
                else
                {
                    Append(" LIMIT ");
                    Expression(query.Limit, PrimaryLevel);
                }
            }
        }

        private static bool IsPlainBody(Query query) =>
            query.With is null && query.OrderBy.Count == 0 && query.Offset is null && query.Limit is null;

        private void Body(QueryBody body, bool parenthesizeSetOperation)
        {
            switch (body)
            {
                case QuerySpecification specification:
                    Specification(specification);
                    break;
                case SetOperation setOperation:
                    if (parenthesizeSetOperation)
                    {
                        Append("(");
                    }

                    Body(setOperation.Left, parenthesizeSetOperation: NeedsParentheses(setOperation, setOperation.Left, isRight: false));
                    Append(setOperation.Operator switch
                    {
                        SetOperator.Union => " UNION ",
                        SetOperator.Intersect => " INTERSECT ",
                        _ => " EXCEPT ",
                    });
                    if (setOperation.All)
                    {
                        Append("ALL ");
                    }

                    Body(setOperation.Right, parenthesizeSetOperation: NeedsParentheses(setOperation, setOperation.Right, isRight: true));
                    if (parenthesizeSetOperation)
                    {
                        Append(")");
                    }

                    break;
                case ValuesBody values:
                    Append("VALUES ");
                    List(values.Rows, Row);
                    break;
                case TableSubqueryBody subquery:
                    Append("(");
                    Query(subquery.Query);
                    Append(")");
                    break;
                case TableBody table:
                    Append("TABLE ");
                    Name(table.Name);
                    break;
                default:
                    throw new ArgumentException($"cannot format query body of type {body.GetType().Name}", nameof(body));
            }
        }

        private static bool NeedsParentheses(SetOperation parent, QueryBody child, bool isRight)
        {
            if (child is not SetOperation childOperation)
            {
                return false;
            }

            int parentRank = parent.Operator == SetOperator.Intersect ? 2 : 1;
            int childRank = childOperation.Operator == SetOperator.Intersect ? 2 : 1;
            return isRight ? childRank <= parentRank : childRank < parentRank;
        }

        private void Row(ValuesRow row)
        {
            Append("(");
            List(row.Values, value => Expression(value, 0));
            Append(")");
        }

        private void Specification(QuerySpecification specification)
        {
            Append(specification.Distinct ? "SELECT DISTINCT " : "SELECT ");
            List(specification.SelectItems, Select);
            if (specification.From is not null)
            {
                Append(" FROM ");
                Relation(specification.From);
            }

            if (specification.Where is not null)
            {
                Append(" WHERE ");
                Expression(specification.Where, 0);
            }

            if (specification.GroupBy is not null)
            {
                Append(" ");
                Group(specification.GroupBy);
            }

            if (specification.Having is not null)
            {
                Append(" HAVING ");
                Expression(specification.Having, 0);
            }

            if (specification.Windows.Count > 0)
            {
                Append(" WINDOW ");
                List(specification.Windows, Definition);
            }
        }

        private void Definition(WindowDefinition definition)
        {
            Identifier(definition.Name);
            Append(" AS (");
            WindowBody(definition.Spec);
            Append(")");
        }

        private void Select(SelectItem item)
        {
            switch (item)
            {
                case SelectExpression selectExpression:
                    Expression(selectExpression.Expression, 0);
                    if (selectExpression.Alias is not null)
                    {
                        Append(" AS ");
                        Identifier(selectExpression.Alias);
                    }

                    break;
                case AllColumns allColumns:
                    if (allColumns.Qualifier is not null)
                    {
                        Name(allColumns.Qualifier);
                        Append(".");
                    }

                    Append("*");
                    break;
                default:
                    throw new ArgumentException($"cannot format select item of type {item.GetType().Name}", nameof(item));
            }
        }

        private void Group(GroupBy groupBy)
        {
            Append(groupBy.Distinct ? "GROUP BY DISTINCT " : "GROUP BY ");
            List(groupBy.Elements, Grouping);
        }

        private void Grouping(GroupingElement element)
        {
            switch (element)
            {
                case SimpleGroupBy simple:
                    Expression(simple.Expression, 0);
                    break;
                case GroupingSets sets:
                    Append("GROUPING SETS (");
                    List(sets.Sets, set =>
                    {
                        Append("(");
                        List(set, expression => Expression(expression, 0));
                        Append(")");
                    });
                    Append(")");
                    break;
                case Rollup rollup:
                    Append("ROLLUP (");
                    List(rollup.Expressions, expression => Expression(expression, 0));
                    Append(")");
                    break;
                case Cube cube:
                    Append("CUBE (");
                    List(cube.Expressions, expression => Expression(expression, 0));
                    Append(")");
                    break;
                default:
                    throw new ArgumentException($"cannot format grouping element of type {element.GetType().Name}", nameof(element));
            }
        }

        private void Sort(SortItem item)
        {
            Expression(item.Expression, 0);
            if (item.Direction == SortDirection.Descending)
            {
                Append(" DESC");
            }

            if (item.NullOrdering == NullOrdering.First)
            {
                Append(" NULLS FIRST");
            }
            else if (item.NullOrdering == NullOrdering.Last)
            {
                Append(" NULLS LAST");
            }
        }

        private void TimeTravel(TimeTravelClause clause)
        {
            Append(clause.Kind == TimeTravelKind.Version ? "FOR VERSION AS OF " : "FOR TIMESTAMP AS OF ");
            Expression(clause.Value, AdditiveLevel);
        }

        private void Relation(Relation relation)
        {
            switch (relation)
            {
                case TableRef table:
                    Name(table.Name);
                    if (table.TimeTravel is not null)
                    {
                        Append(" ");
                        TimeTravel(table.TimeTravel);
                    }

                    Aliases(table.Alias, table.ColumnAliases);
                    break;
                case TableFunctionCall function:
                    Name(function.Name);
                    Append("(");
                    List(function.Arguments, argument => Expression(argument, 0));
                    Append(")");
                    if (function.TimeTravel is not null)
                    {
                        Append(" ");
                        TimeTravel(function.TimeTravel);
                    }

                    Aliases(function.Alias, function.ColumnAliases);
                    break;
                case SubqueryRelation subquery:
                    Append("(");
                    Query(subquery.Query);
                    Append(")");
                    Aliases(subquery.Alias, subquery.ColumnAliases);
                    break;
                case LateralRelation lateral:
                    Append("LATERAL (");
                    Query(lateral.Query);
                    Append(")");
                    Aliases(lateral.Alias, lateral.ColumnAliases);
                    break;
                case UnnestRelation unnest:
                    Append("UNNEST(");
                    List(unnest.Arguments, argument => Expression(argument, 0));
                    Append(")");
                    if (unnest.WithOrdinality)
                    {
                        Append(" WITH ORDINALITY");
                    }

                    Aliases(unnest.Alias, unnest.ColumnAliases);
                    break;
                case Join join:
                    Relation(join.Left);
                    Append(join.Kind switch
                    {
                        JoinKind.Cross => " CROSS JOIN ",
                        JoinKind.Left => join.Criteria is NaturalJoin ? " NATURAL LEFT JOIN " : " LEFT JOIN ",
                        JoinKind.Right => join.Criteria is NaturalJoin ? " NATURAL RIGHT JOIN " : " RIGHT JOIN ",
                        JoinKind.Full => join.Criteria is NaturalJoin ? " NATURAL FULL JOIN " : " FULL JOIN ",
                        _ => join.Criteria is NaturalJoin ? " NATURAL JOIN " : " JOIN ",
                    });
                    if (join.Right is Join)
                    {
                        Append("(");
                        Relation(join.Right);
                        Append(")");
                    }
                    else
                    {
                        Relation(join.Right);
                    }

                    if (join.Criteria is JoinOn or JoinUsing)
                    {
                        Append(" ");
                        Criteria(join.Criteria);
                    }

                    break;
                default:
                    throw new ArgumentException($"cannot format relation of type {relation.GetType().Name}", nameof(relation));
            }
        }

        private void Criteria(JoinCriteria criteria)
        {
            switch (criteria)
            {
                case JoinOn on:
                    Append("ON ");
                    Expression(on.Condition, 0);
                    break;
                case JoinUsing usingColumns:
                    Append("USING (");
                    List(usingColumns.Columns, Identifier);
                    Append(")");
                    break;
                case NaturalJoin:
                    Append("NATURAL");
                    break;
                default:
                    throw new ArgumentException($"cannot format join criteria of type {criteria.GetType().Name}", nameof(criteria));
            }
        }

        private void Type(DataTypeSyntax type)
        {
            string name = type.Name;
            int withIndex = name.IndexOf(" with", StringComparison.Ordinal);
            string head = withIndex >= 0 ? name[..withIndex] : name;
            string tail = withIndex >= 0 ? name[withIndex..] : string.Empty;
            Append(Keywords.IsPlainIdentifier(head.Replace(' ', '_')) ? head : "\"" + head.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            if (type.Fields.Count > 0)
            {
                Append("(");
                List(type.Fields, Field);
                Append(")");
            }
            else if (type.Parameters.Count > 0)
            {
                Append("(");
                List(type.Parameters, parameter => Append(parameter.ToString(CultureInfo.InvariantCulture)));
                Append(")");
            }

            Append(tail);
        }

        private void Field(DataTypeField field)
        {
            if (field.Name is not null)
            {
                Identifier(field.Name);
                Append(" ");
            }

            Type(field.Type);
        }

        private void When(WhenClause when)
        {
            Append("WHEN ");
            Expression(when.Condition, 0);
            Append(" THEN ");
            Expression(when.Result, 0);
        }

        private void Window(WindowSpec spec)
        {
            if (spec.ExistingWindowName is not null && spec.PartitionBy.Count == 0 && spec.OrderBy.Count == 0 && spec.Frame is null)
            {
                Identifier(spec.ExistingWindowName);
                return;
            }

            Append("(");
            WindowBody(spec);
            Append(")");
        }

        private void WindowBody(WindowSpec spec)
        {
            var parts = 0;
            if (spec.ExistingWindowName is not null)
            {
                Identifier(spec.ExistingWindowName);
                parts++;
            }

            if (spec.PartitionBy.Count > 0)
            {
                Append(parts++ > 0 ? " PARTITION BY " : "PARTITION BY ");
                List(spec.PartitionBy, expression => Expression(expression, 0));
            }

            if (spec.OrderBy.Count > 0)
            {
                Append(parts++ > 0 ? " ORDER BY " : "ORDER BY ");
                List(spec.OrderBy, Sort);
            }

            if (spec.Frame is not null)
            {
                Append(parts > 0 ? " " : string.Empty);
                Frame(spec.Frame);
            }
        }

        private void Frame(WindowFrame frame)
        {
            Append(frame.Unit switch
            {
                FrameUnit.Rows => "ROWS ",
                FrameUnit.Range => "RANGE ",
                _ => "GROUPS ",
            });
            if (frame.End is null)
            {
                Bound(frame.Start);
                return;
            }

            Append("BETWEEN ");
            Bound(frame.Start);
            Append(" AND ");
            Bound(frame.End);
        }

        private void Bound(FrameBound bound)
        {
            switch (bound.Kind)
            {
                case FrameBoundKind.UnboundedPreceding:
                    Append("UNBOUNDED PRECEDING");
                    break;
                case FrameBoundKind.UnboundedFollowing:
                    Append("UNBOUNDED FOLLOWING");
                    break;
                case FrameBoundKind.CurrentRow:
                    Append("CURRENT ROW");
                    break;
                default:
                    Expression(bound.Offset!, AdditiveLevel);
                    Append(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                    break;
            }
        }

        private void Expression(Expression expression, int requiredLevel)
        {
            bool parenthesize = Level(expression) < requiredLevel;
            if (parenthesize)
            {
                Append("(");
            }

            ExpressionBody(expression);
            if (parenthesize)
            {
                Append(")");
            }
        }

        private void Arguments(IReadOnlyList<Expression> arguments)
        {
            List(arguments, argument => Expression(argument, 0));
        }

        private void ExpressionBody(Expression expression)
        {
            switch (expression)
            {
                case ColumnRef column:
                    Name(column.Name);
                    break;
                case IntegerLiteral integer:
                    Append(integer.Text);
                    break;
                case DecimalLiteral decimalLiteral:
                    Append(decimalLiteral.Text);
                    break;
                case DoubleLiteral doubleLiteral:
                    Append(doubleLiteral.Text);
                    break;
                case StringLiteral stringLiteral:
                    Append(QuoteString(stringLiteral.Value));
                    break;
                case BooleanLiteral boolean:
                    Append(boolean.Value ? "TRUE" : "FALSE");
                    break;
                case NullLiteral:
                    Append("NULL");
                    break;
                case BinaryLiteral binary:
                    Append("X'").Append(binary.HexText).Append("'");
                    break;
                case TypedLiteral typed:
                    Type(typed.Type);
                    Append(" ").Append(QuoteString(typed.Value));
                    break;
                case IntervalLiteral interval:
                    Append("INTERVAL ");
                    if (interval.Sign == IntervalSign.Negative)
                    {
                        Append("- ");
                    }

                    Append(QuoteString(interval.Value)).Append(" ").Append(interval.From.ToString().ToUpperInvariant());
                    if (interval.To is { } to)
                    {
                        Append(" TO ").Append(to.ToString().ToUpperInvariant());
                    }

                    break;
                case Parameter:
                    Append("?");
                    break;
                case BinaryExpression binary:
                {
                    int level = BinaryLevel(binary.Operator);
                    bool isComparison = level == PredicateLevel;
                    Expression(binary.Left, isComparison ? ConcatLevel : level);
                    Append(" ").Append(OperatorText(binary.Operator)).Append(" ");
                    Expression(binary.Right, isComparison ? ConcatLevel : level + 1);
                    break;
                }

                case UnaryExpression unary:
                    if (unary.Operator == UnaryOperator.Not)
                    {
                        Append("NOT ");
                        Expression(unary.Operand, NotLevel);
                    }
                    else
                    {
                        Append(unary.Operator == UnaryOperator.Minus ? "-" : "+");
                        // A nested sign would otherwise print as "--", which starts a comment.
                        Expression(unary.Operand, unary.Operand is UnaryExpression ? PrimaryLevel : UnaryLevel);
                    }

                    break;
                case IsNullExpression isNull:
                    Expression(isNull.Operand, ConcatLevel);
                    Append(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                    break;
                case IsDistinctFromExpression distinct:
                    Expression(distinct.Left, ConcatLevel);
                    Append(distinct.Negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
                    Expression(distinct.Right, ConcatLevel);
                    break;
                case BetweenExpression between:
                    Expression(between.Operand, ConcatLevel);
                    Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                    Expression(between.Low, ConcatLevel);
                    Append(" AND ");
                    Expression(between.High, ConcatLevel);
                    break;
                case InListExpression inList:
                    Expression(inList.Operand, ConcatLevel);
                    Append(inList.Negated ? " NOT IN (" : " IN (");
                    Arguments(inList.Values);
                    Append(")");
                    break;
                case InSubqueryExpression inSubquery:
                    Expression(inSubquery.Operand, ConcatLevel);
                    Append(inSubquery.Negated ? " NOT IN (" : " IN (");
                    Query(inSubquery.Subquery);
                    Append(")");
                    break;
                case ExistsExpression exists:
                    Append("EXISTS (");
                    Query(exists.Subquery);
                    Append(")");
                    break;
                case ScalarSubquery scalar:
                    Append("(");
                    Query(scalar.Query);
                    Append(")");
                    break;
                case QuantifiedComparison quantified:
                    Expression(quantified.Operand, ConcatLevel);
                    Append(" ").Append(OperatorText(quantified.Operator)).Append(" ").Append(quantified.Quantifier.ToString().ToUpperInvariant()).Append(" (");
                    Query(quantified.Subquery);
                    Append(")");
                    break;
                case LikeExpression like:
                    Expression(like.Operand, ConcatLevel);
                    Append(like.Negated ? " NOT LIKE " : " LIKE ");
                    Expression(like.Pattern, ConcatLevel);
                    if (like.Escape is not null)
                    {
                        Append(" ESCAPE ");
                        Expression(like.Escape, ConcatLevel);
                    }

                    break;
                case CaseExpression caseExpression:
                    Append("CASE");
                    if (caseExpression.Operand is not null)
                    {
                        Append(" ");
                        Expression(caseExpression.Operand, 0);
                    }

                    foreach (WhenClause when in caseExpression.WhenClauses)
                    {
                        Append(" ");
                        When(when);
                    }

                    if (caseExpression.Else is not null)
                    {
                        Append(" ELSE ");
                        Expression(caseExpression.Else, 0);
                    }

                    Append(" END");
                    break;
                case CastExpression cast:
                    Append(cast.IsTry ? "TRY_CAST(" : "CAST(");
                    Expression(cast.Operand, 0);
                    Append(" AS ");
                    Type(cast.TargetType);
                    Append(")");
                    break;
                case FunctionCall call:
                    Function(call);
                    break;
                case ExtractExpression extract:
                    Append("EXTRACT(").Append(extract.Field).Append(" FROM ");
                    Expression(extract.Operand, 0);
                    Append(")");
                    break;
                case AtTimeZoneExpression atTimeZone:
                    Expression(atTimeZone.Operand, AtTimeZoneLevel);
                    Append(" AT TIME ZONE ");
                    Expression(atTimeZone.Zone, PrimaryLevel);
                    break;
                case CurrentTimeExpression current:
                    Append(current.Function switch
                    {
                        CurrentTimeFunction.CurrentDate => "CURRENT_DATE",
                        CurrentTimeFunction.CurrentTime => "CURRENT_TIME",
                        CurrentTimeFunction.CurrentTimestamp => "CURRENT_TIMESTAMP",
                        CurrentTimeFunction.LocalTime => "LOCALTIME",
                        _ => "LOCALTIMESTAMP",
                    });
                    if (current.Precision is { } precision)
                    {
                        Append("(").Append(precision.ToString(CultureInfo.InvariantCulture)).Append(")");
                    }

                    break;
                case RowConstructor row:
                    Append("ROW (");
                    Arguments(row.Items);
                    Append(")");
                    break;
                case ArrayConstructor array:
                    Append("ARRAY[");
                    Arguments(array.Items);
                    Append("]");
                    break;
                case SubscriptExpression subscript:
                    Expression(subscript.Base, PrimaryLevel);
                    Append("[");
                    Expression(subscript.Index, 0);
                    Append("]");
                    break;
                case DereferenceExpression dereference:
                    Expression(dereference.Base, PrimaryLevel);
                    Append(".");
                    Identifier(dereference.Field);
                    break;
                case LambdaExpression lambda:
                    if (lambda.Parameters.Count == 1)
                    {
                        Identifier(lambda.Parameters[0]);
                    }
                    else
                    {
                        Append("(");
                        List(lambda.Parameters, Identifier);
                        Append(")");
                    }

                    Append(" -> ");
                    Expression(lambda.Body, 0);
                    break;
                case TrimExpression trim:
                    Append("TRIM(").Append(trim.Specification.ToString().ToUpperInvariant()).Append(" ");
                    if (trim.Characters is not null)
                    {
                        Expression(trim.Characters, 0);
                        Append(" ");
                    }

                    Append("FROM ");
                    Expression(trim.Source, 0);
                    Append(")");
                    break;
                default:
                    throw new ArgumentException($"cannot format expression of type {expression.GetType().Name}", nameof(expression));
            }
        }

        private void Function(FunctionCall call)
        {
            Name(call.Name);
            Append("(");
            if (call.IsStar)
            {
                Append("*");
            }
            else
            {
                if (call.Distinct)
                {
                    Append("DISTINCT ");
                }

                Arguments(call.Arguments);
            }

            if (call.OrderBy.Count > 0)
            {
                Append(" ORDER BY ");
                List(call.OrderBy, Sort);
            }

            Append(")");
            if (call.Filter is not null)
            {
                Append(" FILTER (WHERE ");
                Expression(call.Filter, 0);
                Append(")");
            }

            if (call.NullTreatment != NullTreatment.Unspecified)
            {
                Append(call.NullTreatment == NullTreatment.IgnoreNulls ? " IGNORE NULLS" : " RESPECT NULLS");
            }

            if (call.Over is not null)
            {
                Append(" OVER ");
                Window(call.Over);
            }
        }
    }
}
