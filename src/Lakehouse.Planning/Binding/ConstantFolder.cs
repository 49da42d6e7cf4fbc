using Lakehouse.Planning.Expressions;

namespace Lakehouse.Planning.Binding;

/// <summary>Replaces subexpressions whose inputs are all constants by their value.</summary>
public static class ConstantFolder
{
    public static BoundExpression Fold(BoundExpression expression, IConstantEvaluator evaluator)
    {
        if (expression is Literal or ColumnReference or OuterColumnReference or SubqueryExpression)
        {
            return expression;
        }

        var children = expression.Children;
        var folded = new BoundExpression[children.Count];
        bool changed = false;
        bool allConstant = true;
        for (int i = 0; i < folded.Length; i++)
        {
            folded[i] = Fold(children[i], evaluator);
            changed |= !ReferenceEquals(folded[i], children[i]);
            allConstant &= folded[i] is Literal;
        }

        var result = changed ? expression.WithChildren(folded) : expression;
        if (!allConstant)
        {
            return result;
        }

        try
        {
            return new Literal(evaluator.Evaluate(result), result.Type);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Errors such as division by zero must surface when (and if) the expression runs.
            return result;
        }
    }
}
