namespace Lakehouse.Sql.Ast;

public abstract record Expression : Node;

/// <summary>
/// A (possibly dotted) name in an expression: <c>col</c>, <c>t.col</c>, <c>schema.t.col</c> or <c>col.field</c>.
/// The binder decides which prefix names a relation and which suffix dereferences row fields.
/// </summary>
public sealed record ColumnRef(QualifiedName Name) : Expression;

/// <summary>An exact integer literal as written; its value may exceed the int64 range (then it is a decimal).</summary>
public sealed record IntegerLiteral(string Text) : Expression
{
    public bool TryGetInt64(out long value) =>
        long.TryParse(Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
}

/// <summary>An exact decimal literal such as <c>3.14159265358979323846264</c> or <c>.5</c>, kept as written.</summary>
public sealed record DecimalLiteral(string Text) : Expression;

/// <summary>An approximate literal with an exponent, e.g. <c>1e10</c>.</summary>
public sealed record DoubleLiteral(string Text) : Expression
{
    public double Value => double.Parse(Text, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A character string literal; <see cref="Value"/> has quote escapes and Unicode escapes already resolved.</summary>
public sealed record StringLiteral(string Value) : Expression;

public sealed record BooleanLiteral(bool Value) : Expression;

public sealed record NullLiteral : Expression;

/// <summary><c>X'0A0b'</c>; <see cref="HexText"/> holds the hex digits, upper-cased, without spaces.</summary>
public sealed record BinaryLiteral(string HexText) : Expression
{
    public byte[] ToBytes() => Convert.FromHexString(HexText);
}

/// <summary>A typed literal: <c>DATE '2020-01-01'</c>, <c>TIMESTAMP '2023-05-15 14:30:45+00:00'</c>, <c>DECIMAL '1.5'</c>, <c>UUID '...'</c>.</summary>
public sealed record TypedLiteral(DataTypeSyntax Type, string Value) : Expression;

public enum IntervalSign
{
    Positive,
    Negative,
}

public enum IntervalField
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

/// <summary><c>INTERVAL [+|-] 'value' from [TO to]</c>, e.g. <c>INTERVAL '1-2' YEAR TO MONTH</c>.</summary>
public sealed record IntervalLiteral(IntervalSign Sign, string Value, IntervalField From, IntervalField? To) : Expression;

/// <summary>A positional parameter <c>?</c>; <see cref="Index"/> counts from zero in order of appearance.</summary>
public sealed record Parameter(int Index) : Expression;

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Concat,
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    And,
    Or,
}

public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression;

public enum UnaryOperator
{
    Not,
    Minus,
    Plus,
}

public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand) : Expression;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record IsNullExpression(Expression Operand, bool Negated) : Expression;

/// <summary><c>a IS [NOT] DISTINCT FROM b</c>.</summary>
public sealed record IsDistinctFromExpression(Expression Left, Expression Right, bool Negated) : Expression;

public sealed record BetweenExpression(Expression Operand, Expression Low, Expression High, bool Negated) : Expression;

public sealed record InListExpression(Expression Operand, IReadOnlyList<Expression> Values, bool Negated) : Expression;

public sealed record InSubqueryExpression(Expression Operand, Query Subquery, bool Negated) : Expression;

/// <summary><c>EXISTS (query)</c>; <c>NOT EXISTS</c> is a NOT around it.</summary>
public sealed record ExistsExpression(Query Subquery) : Expression;

public sealed record ScalarSubquery(Query Query) : Expression;

public enum Quantifier
{
    All,
    Any,
    Some,
}

/// <summary><c>x &gt; ALL (query)</c>, <c>x = ANY (query)</c>.</summary>
public sealed record QuantifiedComparison(BinaryOperator Operator, Quantifier Quantifier, Expression Operand, Query Subquery) : Expression;

public sealed record LikeExpression(Expression Operand, Expression Pattern, Expression? Escape, bool Negated) : Expression;

public sealed record WhenClause(Expression Condition, Expression Result) : Node;

/// <summary>Simple CASE when <see cref="Operand"/> is set (WHEN values compared to it), searched CASE otherwise.</summary>
public sealed record CaseExpression(Expression? Operand, IReadOnlyList<WhenClause> WhenClauses, Expression? Else) : Expression;

/// <summary><c>CAST(x AS type)</c> or, with <see cref="IsTry"/>, <c>TRY_CAST(x AS type)</c>.</summary>
public sealed record CastExpression(Expression Operand, DataTypeSyntax TargetType, bool IsTry) : Expression;

public enum NullTreatment
{
    Unspecified,
    IgnoreNulls,
    RespectNulls,
}

/// <summary>
/// A function or aggregate call. <see cref="IsStar"/> marks <c>count(*)</c> (Arguments is then empty).
/// <see cref="OrderBy"/> is the ordering inside the argument list (<c>array_agg(x ORDER BY y)</c>);
/// <see cref="Filter"/> is <c>FILTER (WHERE ...)</c>; <see cref="Over"/> makes it a window function call.
/// <c>SUBSTRING(s FROM a FOR b)</c> parses to <c>substring(s, a, b)</c> and <c>POSITION(a IN b)</c> to <c>strpos(b, a)</c>.
/// </summary>
public sealed record FunctionCall(
    QualifiedName Name,
    IReadOnlyList<Expression> Arguments,
    bool Distinct,
    bool IsStar,
    Expression? Filter,
    IReadOnlyList<SortItem> OrderBy,
    WindowSpec? Over,
    NullTreatment NullTreatment) : Expression;

/// <summary>
/// <c>OVER (...)</c> or <c>OVER name</c>. For <c>OVER name</c> only <see cref="ExistingWindowName"/> is set;
/// <c>OVER (name ORDER BY ...)</c> refines a named window.
/// </summary>
public sealed record WindowSpec(
    Identifier? ExistingWindowName,
    IReadOnlyList<Expression> PartitionBy,
    IReadOnlyList<SortItem> OrderBy,
    WindowFrame? Frame) : Node;

public enum FrameUnit
{
    Rows,
    Range,
    Groups,
}

/// <summary><c>ROWS|RANGE|GROUPS [BETWEEN] start [AND end]</c>; <see cref="End"/> is null in the short form (then it is CURRENT ROW).</summary>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End) : Node;

public enum FrameBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>A frame bound; <see cref="Offset"/> is set for <c>n PRECEDING</c> / <c>n FOLLOWING</c> (may be an interval).</summary>
public sealed record FrameBound(FrameBoundKind Kind, Expression? Offset) : Node;

/// <summary><c>EXTRACT(field FROM x)</c>; <see cref="Field"/> is upper-cased (YEAR, QUARTER, MONTH, WEEK, DAY, DAY_OF_WEEK, DOW, DAY_OF_YEAR, DOY, HOUR, MINUTE, SECOND, ...).</summary>
public sealed record ExtractExpression(string Field, Expression Operand) : Expression;

/// <summary><c>x AT TIME ZONE zone</c>; <c>AT LOCAL</c> is not supported.</summary>
public sealed record AtTimeZoneExpression(Expression Operand, Expression Zone) : Expression;

public enum CurrentTimeFunction
{
    CurrentDate,
    CurrentTime,
    CurrentTimestamp,
    LocalTime,
    LocalTimestamp,
}

/// <summary>Niladic CURRENT_DATE, CURRENT_TIME[(p)], CURRENT_TIMESTAMP[(p)], LOCALTIME[(p)], LOCALTIMESTAMP[(p)].</summary>
public sealed record CurrentTimeExpression(CurrentTimeFunction Function, int? Precision) : Expression;

/// <summary><c>ROW(a, b)</c> or a parenthesized list <c>(a, b)</c> of two or more items.</summary>
public sealed record RowConstructor(IReadOnlyList<Expression> Items) : Expression;

public sealed record ArrayConstructor(IReadOnlyList<Expression> Items) : Expression;

/// <summary><c>base[index]</c>.</summary>
public sealed record SubscriptExpression(Expression Base, Expression Index) : Expression;

/// <summary><c>base.field</c> where base is not a plain name (plain dotted names are <see cref="ColumnRef"/>).</summary>
public sealed record DereferenceExpression(Expression Base, Identifier Field) : Expression;

/// <summary><c>x -> x + 1</c> or <c>(x, y) -> x + y</c>.</summary>
public sealed record LambdaExpression(IReadOnlyList<Identifier> Parameters, Expression Body) : Expression;

public enum TrimSpecification
{
    Both,
    Leading,
    Trailing,
}

/// <summary><c>TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)</c> or <c>trim(s)</c>; <see cref="Characters"/> null means spaces.</summary>
public sealed record TrimExpression(TrimSpecification Specification, Expression? Characters, Expression Source) : Expression;
