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
}

/// <summary>A call of a built-in scalar function; arguments are already coerced to the types the kernel expects.</summary>
public sealed record CallExpression(ScalarFunction Function, IReadOnlyList<BoundExpression> Arguments, IArrowType Type) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => Arguments;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Arguments = children };

    public static bool IsComparison(ScalarFunction function) => function <= ScalarFunction.IsNotDistinctFrom;

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
