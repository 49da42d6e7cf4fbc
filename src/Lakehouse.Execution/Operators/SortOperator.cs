using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private long _spilledRows;

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
        var runs = new List<SpillFile>();
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

            long bytes = ArrowSizes.Of(batch);
            if (!_memory.TryReserve(bytes))
            {
                if (!_memory.SpillEnabled || _limit is not null)
                {
                    throw _memory.LimitExceeded("Sort", bytes);
                }

                // Over the budget: what is buffered becomes a sorted run on disk, and its memory is given back.
                if (pendingRows > 0)
                {
                    runs.Add(await SpillRunAsync(SortBatch(ArrayFactory.Concatenate(Schema, pending), keys, orders, null), cancellationToken).ConfigureAwait(false));
                    pending.Clear();
                    pendingRows = 0;
                    _memory.Release(reserved);
                    reserved = 0;
                }

                if (!_memory.TryReserve(bytes))
                {
                    // A single batch larger than the whole budget goes to disk on its own.
                    runs.Add(await SpillRunAsync(SortBatch(batch, keys, orders, null), cancellationToken).ConfigureAwait(false));
                    continue;
                }
            }

            pending.Add(batch);
            pendingRows += batch.Length;
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

        if (runs.Count > 0)
        {
            if (pendingRows > 0)
            {
                runs.Add(await SpillRunAsync(SortBatch(ArrayFactory.Concatenate(Schema, pending), keys, orders, null), cancellationToken).ConfigureAwait(false));
                pending.Clear();
                _memory.Release(reserved);
                reserved = 0;
            }

            await foreach (var merged in MergeRunsAsync(runs, keys, orders, cancellationToken).ConfigureAwait(false))
            {
                yield return merged;
            }

            yield break;
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
            foreach (var run in runs)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<SpillFile> SpillRunAsync(RecordBatch sorted, CancellationToken cancellationToken)
    {
        var run = new SpillFile(_memory.SpillDirectory, Schema);
        for (int start = 0; start < sorted.Length; start += OutputBatchRows)
        {
            await run.WriteAsync(ArrayFactory.Slice(sorted, start, Math.Min(OutputBatchRows, sorted.Length - start)), cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _spilledRows, sorted.Length);
        return run;
    }

    /// <summary>
    /// Merges sorted runs a window at a time: the current batch of every run is sorted together, and rows
    /// are emitted up to the earliest of the runs' last rows in the window (nothing unread can come before it);
    /// the rest stay for the next window.
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> MergeRunsAsync(List<SpillFile> runs, CompiledExpression[] keys, (bool, bool)[] orders, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var readers = new IAsyncEnumerator<RecordBatch>[runs.Count];
        var current = new RecordBatch?[runs.Count];
        var finished = new bool[runs.Count];
        try
        {
            for (int r = 0; r < runs.Count; r++)
            {
                readers[r] = runs[r].ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                current[r] = await NextAsync(readers[r]).ConfigureAwait(false);
                finished[r] = current[r] is null;
            }

            while (true)
            {
                var parts = new List<RecordBatch>();
                var owners = new List<int>();
                var offsets = new List<int>();
                int total = 0;
                for (int r = 0; r < runs.Count; r++)
                {
                    if (current[r] is { Length: > 0 } batch)
                    {
                        parts.Add(batch);
                        owners.Add(r);
                        offsets.Add(total);
                        total += batch.Length;
                    }
                }

                if (parts.Count == 0)
                {
                    yield break;
                }

                var window = ArrayFactory.Concatenate(Schema, parts);
                var keyArrays = new IArrowArray[keys.Length];
                for (int i = 0; i < keys.Length; i++)
                {
                    keyArrays[i] = keys[i].Evaluate(window);
                }

                var order = new int[total];
                for (int i = 0; i < total; i++)
                {
                    order[i] = i;
                }

                System.Array.Sort(order, new RowComparer(keyArrays, orders));
                var positionOf = new int[total];
                for (int i = 0; i < total; i++)
                {
                    positionOf[order[i]] = i;
                }

                // Rows up to the earliest last row of a run that may have more rows are safe to emit.
                int bound = total - 1;
                for (int p = 0; p < parts.Count; p++)
                {
                    if (!finished[owners[p]])
                    {
                        bound = Math.Min(bound, positionOf[offsets[p] + parts[p].Length - 1]);
                    }
                }

                yield return ArrayFactory.Take(window, order.AsSpan(0, bound + 1));

                for (int p = 0; p < parts.Count; p++)
                {
                    var left = new List<int>();
                    for (int row = offsets[p]; row < offsets[p] + parts[p].Length; row++)
                    {
                        if (positionOf[row] > bound)
                        {
                            left.Add(row);
                        }
                    }

                    int run = owners[p];
                    if (left.Count > 0)
                    {
                        current[run] = ArrayFactory.Take(window, CollectionsMarshal.AsSpan(left));
                    }
                    else
                    {
                        current[run] = finished[run] ? null : await NextAsync(readers[run]).ConfigureAwait(false);
                        finished[run] = finished[run] || current[run] is null;
                    }
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                if (reader is not null)
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<RecordBatch?> NextAsync(IAsyncEnumerator<RecordBatch> reader)
    {
        while (await reader.MoveNextAsync().ConfigureAwait(false))
        {
            if (reader.Current.Length > 0)
            {
                return reader.Current;
            }
        }

        return null;
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

    public override IReadOnlyList<string> Describe()
    {
        var title = (_limit is null ? "Sort [" : $"TopN limit={_limit} [") + string.Join(", ", _keys) + "]";
        long spilled = Interlocked.Read(ref _spilledRows);
        return spilled > 0 ? [title, $"spilled {spilled} rows to disk"] : [title];
    }
}
