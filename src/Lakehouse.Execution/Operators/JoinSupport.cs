using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Logical;

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

    /// <summary>The schema of a candidate pair (left columns, then right columns) that join conditions are evaluated on.</summary>
    public static Schema PairSchema(Schema left, Schema right)
    {
        var fields = new List<Field>(left.FieldsList.Count + right.FieldsList.Count);
        foreach (var field in left.FieldsList)
        {
            fields.Add(new Field(field.Name, field.DataType, true));
        }

        foreach (var field in right.FieldsList)
        {
            fields.Add(new Field(field.Name, field.DataType, true));
        }

        return new Schema(fields, null);
    }

    /// <summary>
    /// Evaluates the condition on candidate pairs and records, per left row, whether some pair was TRUE
    /// and (when <paramref name="unknown"/> is given) whether some pair was NULL.
    /// </summary>
    public static void MarkMatches(CompiledExpression? condition, Schema pairSchema, RecordBatch left, RecordBatch right, int[] leftRows, int[] rightRows, int count, bool[] matched, bool[]? unknown)
    {
        if (count == 0)
        {
            return;
        }

        if (condition is null)
        {
            for (int i = 0; i < count; i++)
            {
                matched[leftRows[i]] = true;
            }

            return;
        }

        var candidates = Combine(pairSchema, left, right, leftRows.AsSpan(0, count), rightRows.AsSpan(0, count));
        var mask = (BooleanArray)condition.Evaluate(candidates);
        for (int i = 0; i < count; i++)
        {
            bool? value = mask.GetValue(i);
            if (value == true)
            {
                matched[leftRows[i]] = true;
            }
            else if (value is null && unknown is not null)
            {
                unknown[leftRows[i]] = true;
            }
        }
    }

    /// <summary>The output of a semi, anti or mark join for one left batch.</summary>
    public static RecordBatch? EmitLeftOnly(JoinType joinType, Schema schema, RecordBatch left, bool[] matched, bool[]? unknown)
    {
        if (joinType is JoinType.Semi or JoinType.Anti)
        {
            bool wanted = joinType == JoinType.Semi;
            int kept = 0;
            for (int row = 0; row < left.Length; row++)
            {
                kept += matched[row] == wanted ? 1 : 0;
            }

            if (kept == 0)
            {
                return null;
            }

            if (kept == left.Length)
            {
                return left;
            }

            var rows = new int[kept];
            int next = 0;
            for (int row = 0; row < left.Length; row++)
            {
                if (matched[row] == wanted)
                {
                    rows[next++] = row;
                }
            }

            return ArrayFactory.Take(left, rows);
        }

        int length = left.Length;
        var values = new byte[(length + 7) / 8];
        byte[]? validity = null;
        int nullCount = 0;
        for (int row = 0; row < length; row++)
        {
            if (matched[row])
            {
                values[row >> 3] |= (byte)(1 << (row & 7));
            }
            else if (unknown is not null && unknown[row])
            {
                if (validity is null)
                {
                    validity = new byte[values.Length];
                    System.Array.Fill(validity, (byte)0xFF);
                }

                validity[row >> 3] &= (byte)~(1 << (row & 7));
                nullCount++;
            }
        }

        var columns = new IArrowArray[left.ColumnCount + 1];
        for (int i = 0; i < left.ColumnCount; i++)
        {
            columns[i] = left.Column(i);
        }

        columns[^1] = ArrayFactory.Boolean(values, validity, nullCount, length);
        return new RecordBatch(schema, columns, length);
    }

    public static bool KeepsOnlyLeft(JoinType joinType) => joinType is JoinType.Semi or JoinType.Anti or JoinType.Mark or JoinType.NullAwareMark;

    public static ExecutionException MultipleRows() =>
        new(ExecutionException.SubqueryMultipleRows, "scalar subquery returned more than one row");

    /// <summary>
    /// Keeps the candidate pairs the condition accepts, records which left and right rows matched (a single-row
    /// join fails on a second match of a left row), and returns the joined pairs, or null when none remain.
    /// </summary>
    public static RecordBatch? EmitMatches(JoinType joinType, Schema schema, Schema pairSchema, CompiledExpression? condition, RecordBatch left, RecordBatch right, int[] leftRows, int[] rightRows, int count, bool[]? leftMatched, bool[]? rightMatched)
    {
        count = ApplyResidual(condition, pairSchema, left, right, leftRows, rightRows, count);
        if (count == 0)
        {
            return null;
        }

        for (int i = 0; i < count; i++)
        {
            if (leftMatched is not null)
            {
                if (joinType == JoinType.Single && leftMatched[leftRows[i]])
                {
                    throw MultipleRows();
                }

                leftMatched[leftRows[i]] = true;
            }

            if (rightMatched is not null)
            {
                rightMatched[rightRows[i]] = true;
            }
        }

        return Combine(schema, left, right, leftRows.AsSpan(0, count), rightRows.AsSpan(0, count));
    }

    /// <summary>The rows of one side that matched nothing, with the other side's columns NULL; null when every row matched.</summary>
    public static RecordBatch? EmitUnmatched(Schema schema, RecordBatch left, RecordBatch right, bool[] matched, bool leftSide)
    {
        var unmatched = new List<int>();
        for (int row = 0; row < matched.Length; row++)
        {
            if (!matched[row])
            {
                unmatched.Add(row);
            }
        }

        if (unmatched.Count == 0)
        {
            return null;
        }

        var rows = unmatched.ToArray();
        var nulls = new int[rows.Length];
        System.Array.Fill(nulls, -1);
        return leftSide ? Combine(schema, left, right, rows, nulls) : Combine(schema, left, right, nulls, rows);
    }
}
