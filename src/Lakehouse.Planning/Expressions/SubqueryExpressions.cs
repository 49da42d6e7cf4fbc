using System.Text;
using Apache.Arrow.Types;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Planning.Expressions;

/// <summary>
/// A column of the enclosing query referenced from inside a subquery (a correlation). It exists only
/// while the subquery is being bound: decorrelation turns it into a join condition.
/// </summary>
public sealed record OuterColumnReference(int Index, IArrowType Type, string Name) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => [];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    public override void Describe(StringBuilder output) => output.Append("outer.").Append(Name).Append('#').Append(Index);
}

public enum SubqueryKind
{
    /// <summary>EXISTS (subquery).</summary>
    Exists,

    /// <summary><c>operand comparison ANY (subquery)</c>; IN is <c>= ANY</c>.</summary>
    Any,

    /// <summary><c>operand comparison ALL (subquery)</c>; NOT IN is <c>&lt;&gt; ALL</c>.</summary>
    All,

    /// <summary>A subquery used as a value: one column, at most one row.</summary>
    Scalar,
}

/// <summary>
/// A subquery inside an expression, as bound. The query binder replaces it by a join (semi, anti, mark or
/// single-row) before the plan leaves the binder, so no operator ever evaluates one.
/// </summary>
/// <param name="Plan">The subquery's plan; may contain <see cref="OuterColumnReference"/>s.</param>
/// <param name="Operand">The left side of IN/ANY/ALL, coerced to the subquery column's type.</param>
/// <param name="Comparison">The comparison of ANY/ALL.</param>
public sealed record SubqueryExpression(SubqueryKind Kind, LogicalPlan Plan, BoundExpression? Operand, ScalarFunction Comparison, IArrowType Type) : BoundExpression(Type)
{
    public override IReadOnlyList<BoundExpression> Children => Operand is null ? [] : [Operand];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) =>
        Operand is null ? this : this with { Operand = children[0] };

    public override void Describe(StringBuilder output)
    {
        if (Operand is not null)
        {
            Operand.Describe(output);
            output.Append(' ').Append(Comparison).Append(' ');
        }

        output.Append(Kind.ToString().ToUpperInvariant()).Append("(subquery)");
    }
}
