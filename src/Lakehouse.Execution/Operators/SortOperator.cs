using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>Sorts all input rows; with <c>limit</c> it keeps only the first rows (TopN), bounding memory.</summary>
public sealed class SortOperator : PhysicalOperator, IMemoryReporting
{
    private const int OutputBatchRows = 8192;
    private readonly PhysicalOperator _input;
    private readonly IReadOnlyList<SortKey> _keys;
    private readonly long? _limit;
    private readonly QueryMemory _memory;
    private long _peakBytes;

    public SortOperator(PhysicalOperator input, IReadOnlyList<SortKey> keys, long? limit, QueryMemory? memory = null)
    {
        _input = input;
        _keys = keys;
        _limit = limit;
        _memory = memory ?? QueryMemory.Unlimited;
    }

    public long PeakMemoryBytes => _peakBytes;

    public override Schema Schema => _input.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = new CompiledExpression[_keys.Count];
        var orders = new (bool, bool)[_keys.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = CompiledExpression.Compile(_keys[i].Expression);
            orders[i] = (_keys[i].Ascending, _keys[i].NullsFirst);
        }

        var pending = new List<RecordBatch>();
        long pendingRows = 0;
        long reserved = 0;
        try
        {
        long compactAt = _limit is null ? long.MaxValue : Math.Max(_limit.Value * 2, 16_384);
        await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Length == 0)
            {
                continue;
            }

            pending.Add(batch);
            pendingRows += batch.Length;
            long bytes = ArrowSizes.Of(batch);
            _memory.Reserve(bytes, "Sort");
            reserved += bytes;
            _peakBytes = Math.Max(_peakBytes, reserved);
            if (pendingRows > compactAt)
            {
                // TopN: keep only the best rows seen so far.
                var kept = SortBatch(ArrayFactory.Concatenate(Schema, pending), keys, orders, _limit);
                pending.Clear();
                pending.Add(kept);
                pendingRows = kept.Length;
                long keptBytes = ArrowSizes.Of(kept);
                _memory.Release(reserved - keptBytes);
                reserved = keptBytes;
            }
        }

        if (pendingRows == 0)
        {
            yield break;
        }

        var sorted = SortBatch(ArrayFactory.Concatenate(Schema, pending), keys, orders, _limit);
        pending.Clear();
        for (int start = 0; start < sorted.Length; start += OutputBatchRows)
        {
            yield return ArrayFactory.Slice(sorted, start, Math.Min(OutputBatchRows, sorted.Length - start));
        }
        }
        finally
        {
            _memory.Release(reserved);
        }
    }

    private static RecordBatch SortBatch(RecordBatch batch, CompiledExpression[] keys, (bool, bool)[] orders, long? limit)
    {
        var keyArrays = new IArrowArray[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keyArrays[i] = keys[i].Evaluate(batch);
        }

        var rows = new int[batch.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }

        System.Array.Sort(rows, new RowComparer(keyArrays, orders));
        int keep = limit is null ? rows.Length : (int)Math.Min(limit.Value, rows.Length);
        return ArrayFactory.Take(batch, rows.AsSpan(0, keep));
    }

    public override IReadOnlyList<string> Describe() =>
        [(_limit is null ? "Sort [" : $"TopN limit={_limit} [") + string.Join(", ", _keys) + "]"];
}
