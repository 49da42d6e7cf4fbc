using System.Text;
using Apache.Arrow.Types;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Expressions;

/// <summary>A resolved, typed scalar expression over the columns of its input (by index).</summary>
public abstract record BoundExpression(IArrowType Type)
{
    public abstract IReadOnlyList<BoundExpression> Children { get; }

    public abstract BoundExpression WithChildren(IReadOnlyList<BoundExpression> children);

    public abstract void Describe(StringBuilder output);

    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        Describe(builder);
        return builder.ToString();
    }
}

/// <summary>Reference to input column <paramref name="Index"/>; <paramref name="Name"/> only helps EXPLAIN.</summary>
public sealed record ColumnReference(int Index, IArrowType Type, string Name) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => [];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    public override void Describe(StringBuilder output) => output.Append(Name).Append('#').Append(Index);
}

/// <summary>A constant in the engine's scalar form for <see cref="BoundExpression.Type"/>, or null.</summary>
public sealed record Literal(object? Value, IArrowType Type) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => [];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    public override void Describe(StringBuilder output) => output.Append(ScalarText.ToSqlLiteral(Value, Type));

    public static Literal Null(IArrowType type) => new(null, type);
}

/// <summary>Field <paramref name="FieldIndex"/> of a struct value; NULL where the struct is NULL.</summary>
public sealed record FieldAccess(BoundExpression Input, int FieldIndex, string FieldName, IArrowType Type) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => [Input];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Input = children[0] };

    public override void Describe(StringBuilder output)
    {
        Input.Describe(output);
        output.Append('.').Append(FieldName);
    }
}

public sealed record CastExpression(BoundExpression Input, IArrowType Type, bool IsTry) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => [Input];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Input = children[0] };

    public override void Describe(StringBuilder output)
    {
        output.Append(IsTry ? "TRY_CAST(" : "CAST(");
        Input.Describe(output);
        output.Append(" AS ").Append(SqlTypes.Display(Type)).Append(')');
    }
}

public enum ScalarFunction
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    IsDistinctFrom,
    IsNotDistinctFrom,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Negate,
    And,
    Or,
    Not,
    IsNull,
    IsNotNull,

    /// <summary>Arguments: the value, then the list; all of one type.</summary>
    In,

    /// <summary>Arguments: value, pattern, escape (or null literal). Pattern and escape must be literals.</summary>
    Like,

    /// <summary>Arguments: condition1, result1, condition2, result2, ..., else.</summary>
    Case,
    Coalesce,
    NullIf,
    Concat,
    Lower,
    Upper,
    Length,
    Abs,

    /// <summary>substr(s, start[, length]): 1-based code points; a negative start counts from the end.</summary>
    Substring,

    /// <summary>Arguments: the string, then optionally the characters to remove (whitespace otherwise).</summary>
    Trim,
    LTrim,
    RTrim,
    Replace,
    SplitPart,
    StrPos,
    StartsWith,
    LPad,
    RPad,
    Reverse,

    /// <summary>Arguments: the string and a constant pattern.</summary>
    RegexpLike,

    /// <summary>Arguments: the string, a constant pattern and a constant group number.</summary>
    RegexpExtract,

    /// <summary>Arguments: the string, a constant pattern and a constant replacement ($n group references).</summary>
    RegexpReplace,

    /// <summary>Arguments: the number, then the digits (integer); half away from zero.</summary>
    Round,
    Ceil,
    Floor,

    /// <summary>Arguments: the number, then optionally the digits.</summary>
    Truncate,
    Power,
    Sqrt,
    Ln,
    Log10,
    Exp,
    Sign,

    /// <summary>NULL when any argument is NULL, as Trino does.</summary>
    Greatest,
    Least,

    /// <summary>Arguments: a constant unit ('year', 'month', ...), then a date or timestamp.</summary>
    DateTrunc,

    /// <summary>Arguments: a constant unit, a bigint amount and a date or timestamp.</summary>
    DateAdd,

    /// <summary>Arguments: a constant unit and two dates or timestamps; whole units from the first to the second.</summary>
    DateDiff,

    /// <summary>Arguments: a constant field name (YEAR, MONTH, DAY_OF_WEEK, ...) and a date or timestamp.</summary>
    Extract,

    /// <summary>Seconds since the epoch (double) to timestamp with time zone.</summary>
    FromUnixtime,
    ToUnixtime,

    /// <summary>Arguments: a date or timestamp and an interval; month arithmetic clamps to the month end.</summary>
    AddInterval,

    /// <summary>timestamp - timestamp: an interval day to second.</summary>
    TimestampDifference,

    /// <summary>Arguments: a timestamp and a constant zone; the instant with the zone's wall clock.</summary>
    AtTimeZone,

    /// <summary>Builds a row (struct) of its arguments; the type names the fields.</summary>
    Row,

    /// <summary>try(x): NULL where evaluating x fails with a data error (division by zero, overflow, bad cast or argument).</summary>
    Try,
    Cbrt,
    Log2,

    /// <summary>log(base, x).</summary>
    Log,
    IsNan,

    /// <summary>Arguments: a timestamp and a constant MySQL-style format ('%Y-%m-%d').</summary>
    DateFormat,

    /// <summary>Arguments: a string and a constant MySQL-style format; gives a timestamp.</summary>
    DateParse,

    /// <summary>Number of elements of an array.</summary>
    Cardinality,

    /// <summary>Arguments: an array, a separator and a NULL replacement (NULL: NULL elements are skipped).</summary>
    ArrayJoin,

    /// <summary>Arguments: the separator, then the strings; NULL strings are skipped.</summary>
    ConcatWs,

    /// <summary>The character of a Unicode code point.</summary>
    Chr,

    /// <summary>The code point of a single-character string.</summary>
    Codepoint,
    LevenshteinDistance,
    LastDayOfMonth,

    /// <summary>ISO 8601 text of a date or timestamp.</summary>
    ToIso8601,

    /// <summary>Parses ISO 8601 text; the result type says whether a date or a timestamp with time zone.</summary>
    FromIso8601,

    /// <summary>Arguments: a timestamp (a wall clock) and a constant zone; the instant that clock shows in the zone.</summary>
    WithTimeZone,
}

/// <summary>A call of a built-in scalar function; arguments are already coerced to the types the kernel expects.</summary>
public sealed record CallExpression(ScalarFunction Function, IReadOnlyList<BoundExpression> Arguments, IArrowType Type) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => Arguments;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Arguments = children };

    public static bool IsComparison(ScalarFunction function) => function <= ScalarFunction.IsNotDistinctFrom;

    /// <summary>The comparison with its operands swapped: <c>c &lt; x</c> is <c>x &gt; c</c>.</summary>
    public static ScalarFunction MirrorComparison(ScalarFunction comparison) => comparison switch
    {
        ScalarFunction.LessThan => ScalarFunction.GreaterThan,
        ScalarFunction.LessThanOrEqual => ScalarFunction.GreaterThanOrEqual,
        ScalarFunction.GreaterThan => ScalarFunction.LessThan,
        ScalarFunction.GreaterThanOrEqual => ScalarFunction.LessThanOrEqual,
        _ => comparison,
    };

    public static string OperatorText(ScalarFunction function) => function switch
    {
        ScalarFunction.Equal => "=",
        ScalarFunction.NotEqual => "<>",
        ScalarFunction.LessThan => "<",
        ScalarFunction.LessThanOrEqual => "<=",
        ScalarFunction.GreaterThan => ">",
        ScalarFunction.GreaterThanOrEqual => ">=",
        ScalarFunction.IsDistinctFrom => "IS DISTINCT FROM",
        ScalarFunction.IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        ScalarFunction.Add => "+",
        ScalarFunction.Subtract => "-",
        ScalarFunction.Multiply => "*",
        ScalarFunction.Divide => "/",
        ScalarFunction.Modulo => "%",
        ScalarFunction.And => "AND",
        ScalarFunction.Or => "OR",
        _ => function.ToString().ToLowerInvariant(),
    };

    public override void Describe(StringBuilder output)
    {
        switch (Function)
        {
            case <= ScalarFunction.Modulo or ScalarFunction.And or ScalarFunction.Or:
                output.Append('(');
                for (int i = 0; i < Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(' ').Append(OperatorText(Function)).Append(' ');
                    }

                    Arguments[i].Describe(output);
                }

                output.Append(')');
                return;
            case ScalarFunction.Not:
                output.Append("(NOT ");
                Arguments[0].Describe(output);
                output.Append(')');
                return;
            case ScalarFunction.IsNull or ScalarFunction.IsNotNull:
                output.Append('(');
                Arguments[0].Describe(output);
                output.Append(Function == ScalarFunction.IsNull ? " IS NULL)" : " IS NOT NULL)");
                return;
            case ScalarFunction.In:
                output.Append('(');
                Arguments[0].Describe(output);
                output.Append(" IN (");
                for (int i = 1; i < Arguments.Count; i++)
                {
                    if (i > 1)
                    {
                        output.Append(", ");
                    }

                    Arguments[i].Describe(output);
                }

                output.Append("))");
                return;
            case ScalarFunction.Like:
                output.Append('(');
                Arguments[0].Describe(output);
                output.Append(" LIKE ");
                Arguments[1].Describe(output);
                if (Arguments.Count > 2 && Arguments[2] is not Literal { Value: null })
                {
                    output.Append(" ESCAPE ");
                    Arguments[2].Describe(output);
                }

                output.Append(')');
                return;
            case ScalarFunction.Case:
                output.Append("CASE");
                for (int i = 0; i + 1 < Arguments.Count; i += 2)
                {
                    output.Append(" WHEN ");
                    Arguments[i].Describe(output);
                    output.Append(" THEN ");
                    Arguments[i + 1].Describe(output);
                }

                output.Append(" ELSE ");
                Arguments[^1].Describe(output);
                output.Append(" END");
                return;
            default:
                output.Append(OperatorText(Function)).Append('(');
                for (int i = 0; i < Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(", ");
                    }

                    Arguments[i].Describe(output);
                }

                output.Append(')');
                return;
        }
    }
}
