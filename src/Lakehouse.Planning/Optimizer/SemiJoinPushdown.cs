using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// Moves a selective semi join (IN or EXISTS that keeps few rows) below the inner joins of its left
/// input, onto the one input its condition refers to: the rows it removes are then never joined.
/// Semi(A join B, S) keeps exactly the rows of Inner(Semi(A, S), B) when the condition reads only A and S.
/// </summary>
public static class SemiJoinPushdown
{
    /// <summary>Semi joins estimated to keep at most this share of their input are pushed.</summary>
    private const double SelectiveShare = 0.5;

    public static LogicalPlan Push(LogicalPlan plan) =>
        plan.RewriteBottomUp(node => node is JoinNode { JoinType: JoinType.Semi, Condition: not null } semi ? PushSemi(semi) : node);

    private static LogicalPlan PushSemi(JoinNode semi)
    {
        if (semi.Left is not JoinNode { JoinType: JoinType.Inner or JoinType.Cross } inner)
        {
            return semi;
        }

        double before = JoinReorder.EstimateRows(semi.Left);
        if (before <= 0 || JoinReorder.EstimateRows(semi) > before * SelectiveShare)
        {
            return semi;
        }

        int innerWidth = inner.Columns.Count;
        int leftWidth = inner.Left.Columns.Count;
        bool readsLeft = false;
        bool readsRight = false;
        foreach (int column in ExpressionColumns.Of(semi.Condition!))
        {
            if (column < leftWidth)
            {
                readsLeft = true;
            }
            else if (column < innerWidth)
            {
                readsRight = true;
            }
        }

        int subqueryWidth = semi.Right.Columns.Count;
        if (readsLeft && !readsRight)
        {
            // Columns of A keep their positions; the subquery's follow A's.
            var mapping = new int[innerWidth + subqueryWidth];
            for (int i = 0; i < innerWidth; i++)
            {
                mapping[i] = i < leftWidth ? i : -1;
            }

            for (int j = 0; j < subqueryWidth; j++)
            {
                mapping[innerWidth + j] = leftWidth + j;
            }

            var pushed = new JoinNode(inner.Left, semi.Right, JoinType.Semi, ExpressionColumns.Remap(semi.Condition!, mapping));
            return inner with { Left = PushSemi(pushed) };
        }

        if (readsRight && !readsLeft)
        {
            int rightWidth = innerWidth - leftWidth;
            var mapping = new int[innerWidth + subqueryWidth];
            for (int i = 0; i < innerWidth; i++)
            {
                mapping[i] = i >= leftWidth ? i - leftWidth : -1;
            }

            for (int j = 0; j < subqueryWidth; j++)
            {
                mapping[innerWidth + j] = rightWidth + j;
            }

            var pushed = new JoinNode(inner.Right, semi.Right, JoinType.Semi, ExpressionColumns.Remap(semi.Condition!, mapping));
            return inner with { Right = PushSemi(pushed) };
        }

        return semi;
    }
}
