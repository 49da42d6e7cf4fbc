using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Optimizer;

/// <summary>Column-reference bookkeeping for rewrites: which inputs an expression reads, and renumbering.</summary>
public static class ExpressionColumns
{
    public static void Collect(BoundExpression expression, ISet<int> columns)
    {
        if (expression is ColumnReference reference)
        {
            columns.Add(reference.Index);
            return;
        }

        foreach (var child in expression.Children)
        {
            Collect(child, columns);
        }
    }

    public static HashSet<int> Of(BoundExpression expression)
    {
        var columns = new HashSet<int>();
        Collect(expression, columns);
        return columns;
    }

    /// <summary>Replaces every column reference by <paramref name="replace"/>'s result.</summary>
    public static BoundExpression Rewrite(BoundExpression expression, Func<ColumnReference, BoundExpression> replace)
    {
        if (expression is ColumnReference reference)
        {
            return replace(reference);
        }

        var children = expression.Children;
        if (children.Count == 0)
        {
            return expression;
        }

        var rewritten = new BoundExpression[children.Count];
        bool changed = false;
        for (int i = 0; i < rewritten.Length; i++)
        {
            rewritten[i] = Rewrite(children[i], replace);
            changed |= !ReferenceEquals(rewritten[i], children[i]);
        }

        return changed ? expression.WithChildren(rewritten) : expression;
    }

    public static BoundExpression Remap(BoundExpression expression, IReadOnlyList<int> mapping) =>
        Rewrite(expression, reference => reference with { Index = mapping[reference.Index] });

    public static BoundExpression Shift(BoundExpression expression, int offset) =>
        Rewrite(expression, reference => reference with { Index = reference.Index + offset });

    public static void SplitConjuncts(BoundExpression expression, List<BoundExpression> conjuncts)
    {
        if (expression is CallExpression { Function: ScalarFunction.And } and)
        {
            foreach (var argument in and.Arguments)
            {
                SplitConjuncts(argument, conjuncts);
            }

            return;
        }

        conjuncts.Add(expression);
    }

    public static BoundExpression? Combine(IReadOnlyList<BoundExpression> conjuncts)
    {
        if (conjuncts.Count == 0)
        {
            return null;
        }

        var result = conjuncts[0];
        for (int i = 1; i < conjuncts.Count; i++)
        {
            result = new CallExpression(ScalarFunction.And, [result, conjuncts[i]], SqlTypes.Boolean);
        }

        return result;
    }
}
