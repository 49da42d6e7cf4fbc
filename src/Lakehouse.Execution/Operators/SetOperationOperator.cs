using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// INTERSECT and EXCEPT, with or without ALL: counts the right input's rows by value (NULLs equal), then
/// streams the left input, keeping or dropping each row by that count.
/// </summary>
public sealed class SetOperationOperator : PhysicalOperator
{
    private readonly PhysicalOperator _left;
    private readonly PhysicalOperator _right;
    private readonly SetOperationKind _kind;
    private readonly bool _all;

    public SetOperationOperator(PhysicalOperator left, PhysicalOperator right, SetOperationKind kind, bool all)
    {
        _left = left;
        _right = right;
        _kind = kind;
        _all = all;
    }

    public override Schema Schema => _left.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_left, _right];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var types = new IArrowType[Schema.FieldsList.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = Schema.FieldsList[i].DataType;
        }

        var encoder = new RowKeyEncoder(types);
        var rightRows = new KeyTable();
        var counts = new int[64];
        await foreach (var batch in _right.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var columns = ColumnsOf(batch);
            for (int row = 0; row < batch.Length; row++)
            {
                int id = rightRows.GetOrAdd(encoder.Encode(columns, row, out _), out _);
                if (id >= counts.Length)
                {
                    System.Array.Resize(ref counts, Math.Max(id + 1, counts.Length * 2));
                }

                counts[id]++;
            }
        }

        var emitted = new KeyTable();
        bool intersect = _kind == SetOperationKind.Intersect;
        await foreach (var batch in _left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var columns = ColumnsOf(batch);
            var kept = new int[batch.Length];
            int keptCount = 0;
            for (int row = 0; row < batch.Length; row++)
            {
                var key = encoder.Encode(columns, row, out _);
                int id = rightRows.Find(key);
                bool inRight = id >= 0 && counts[id] > 0;
                bool keep;
                if (_all)
                {
                    // Each right row cancels (EXCEPT) or pairs with (INTERSECT) one left row.
                    if (inRight)
                    {
                        counts[id]--;
                    }

                    keep = intersect == inRight;
                }
                else
                {
                    keep = intersect == inRight;
                    if (keep)
                    {
                        emitted.GetOrAdd(key, out bool first);
                        keep = first;
                    }
                }

                if (keep)
                {
                    kept[keptCount++] = row;
                }
            }

            if (keptCount == batch.Length && keptCount > 0)
            {
                yield return batch;
            }
            else if (keptCount > 0)
            {
                yield return ArrayFactory.Take(batch, kept.AsSpan(0, keptCount));
            }
        }
    }

    private static IArrowArray[] ColumnsOf(RecordBatch batch)
    {
        var columns = new IArrowArray[batch.ColumnCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = batch.Column(i);
        }

        return columns;
    }

    public override IReadOnlyList<string> Describe() => [$"{_kind}{(_all ? " all" : " distinct")}"];
}
