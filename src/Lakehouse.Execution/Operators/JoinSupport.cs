using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;

namespace Lakehouse.Execution.Operators;

/// <summary>Builds joined rows from pairs of row indexes (-1 stands for the null-extended side).</summary>
internal static class JoinSupport
{
    public static RecordBatch Combine(Schema schema, RecordBatch left, RecordBatch right, ReadOnlySpan<int> leftRows, ReadOnlySpan<int> rightRows)
    {
        int leftCount = left.ColumnCount;
        var columns = new IArrowArray[leftCount + right.ColumnCount];
        for (int i = 0; i < leftCount; i++)
        {
            columns[i] = ArrayFactory.Take(left.Column(i), schema.FieldsList[i].DataType, leftRows);
        }

        for (int i = 0; i < right.ColumnCount; i++)
        {
            columns[leftCount + i] = ArrayFactory.Take(right.Column(i), schema.FieldsList[leftCount + i].DataType, rightRows);
        }

        return new RecordBatch(schema, columns, leftRows.Length);
    }

    /// <summary>Keeps the candidate pairs the residual condition accepts; returns how many remain (compacted in place).</summary>
    public static int ApplyResidual(CompiledExpression? residual, Schema schema, RecordBatch left, RecordBatch right, int[] leftRows, int[] rightRows, int count)
    {
        if (residual is null || count == 0)
        {
            return count;
        }

        var candidates = Combine(schema, left, right, leftRows.AsSpan(0, count), rightRows.AsSpan(0, count));
        var mask = residual.Evaluate(candidates);
        var keep = Bitmaps.TrueIndexes(mask, out int kept);
        for (int i = 0; i < kept; i++)
        {
            leftRows[i] = leftRows[keep[i]];
            rightRows[i] = rightRows[keep[i]];
        }

        return kept;
    }

    public static RecordBatch CollectAll(Schema schema, List<RecordBatch> batches) =>
        batches.Count == 0 ? ArrayFactory.EmptyBatch(schema) : ArrayFactory.Concatenate(schema, batches);
}
