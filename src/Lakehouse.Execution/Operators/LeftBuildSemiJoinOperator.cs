using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Semi and anti join for a small left input and a large right one (EXISTS over a big table): the hash
/// table is built over the left rows, the right input streams through it and marks the left rows that
/// have a match (the residual condition evaluated on each candidate pair), and the marked (semi) or
/// unmarked (anti) left rows are emitted at the end. NULL keys never match. When the left input does not
/// fit the memory budget, the join runs as an ordinary hash join built over the right input instead.
/// </summary>
public sealed class LeftBuildSemiJoinOperator : PhysicalOperator, IMemoryReporting
{
    private const int ChunkRows = 8192;
    private const int OutputBatchRows = 65536;
    private readonly PhysicalOperator _left;
    private readonly PhysicalOperator _right;
    private readonly JoinType _joinType;
    private readonly IReadOnlyList<BoundExpression> _leftKeys;
    private readonly IReadOnlyList<BoundExpression> _rightKeys;
    private readonly BoundExpression? _residual;
    private readonly Schema _pairSchema;
    private readonly QueryMemory _memory;
    private long _peakBytes;

    public LeftBuildSemiJoinOperator(PhysicalOperator left, PhysicalOperator right, JoinType joinType, IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual, QueryMemory? memory = null)
    {
        if (joinType is not (JoinType.Semi or JoinType.Anti))
        {
            throw new ArgumentException($"a left-built semi join is a semi or anti join, not {joinType}", nameof(joinType));
        }

        _left = left;
        _right = right;
        _joinType = joinType;
        _leftKeys = leftKeys;
        _rightKeys = rightKeys;
        _residual = residual;
        _memory = memory ?? QueryMemory.Unlimited;
        _pairSchema = JoinSupport.PairSchema(left.Schema, right.Schema);
    }

    public override Schema Schema => _left.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_left, _right];

    public long PeakMemoryBytes => _peakBytes;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var collected = new List<RecordBatch>();
        long reserved = 0;
        var leftInput = _left.ExecuteAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            bool tooLarge = false;
            while (await leftInput.MoveNextAsync().ConfigureAwait(false))
            {
                var batch = leftInput.Current;
                if (batch.Length == 0)
                {
                    continue;
                }

                collected.Add(batch);
                long bytes = ArrowSizes.Of(batch) + (batch.Length * 24L);
                if (!_memory.TryReserve(bytes))
                {
                    tooLarge = true;
                    break;
                }

                reserved += bytes;
                _peakBytes = Math.Max(_peakBytes, reserved);
            }

            if (tooLarge)
            {
                _memory.Release(reserved);
                reserved = 0;
                var replay = new ReplayOperator(_left.Schema, collected, leftInput);
                var fallback = new HashJoinOperator(replay, _right, _joinType, _leftKeys, _rightKeys, _residual, _left.Schema, _memory);
                await foreach (var output in fallback.ExecuteAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return output;
                }

                yield break;
            }

            var build = JoinSupport.CollectAll(_left.Schema, collected);
            collected.Clear();
            var matched = await MarkAsync(build, cancellationToken).ConfigureAwait(false);
            bool wanted = _joinType == JoinType.Semi;
            var rows = new List<int>();
            for (int row = 0; row < build.Length; row++)
            {
                if (matched[row] == wanted)
                {
                    rows.Add(row);
                }
            }

            for (int start = 0; start < rows.Count; start += OutputBatchRows)
            {
                yield return TakeRows(build, rows, start, Math.Min(OutputBatchRows, rows.Count - start));
            }
        }
        finally
        {
            _memory.Release(reserved);
            await leftInput.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Streams the right input through the left rows' hash table; returns which left rows have a matching right row.</summary>
    private async Task<bool[]> MarkAsync(RecordBatch build, CancellationToken cancellationToken)
    {
        var matched = new bool[build.Length];
        var keyTypes = new IArrowType[_leftKeys.Count];
        for (int i = 0; i < keyTypes.Length; i++)
        {
            keyTypes[i] = _leftKeys[i].Type;
        }

        var table = JoinTable.Build(keyTypes, ProjectOperator.Evaluate(ProjectOperator.Compile(_leftKeys), build), build.Length);
        if (build.Length == 0)
        {
            return matched;
        }

        // Without a residual a key decides for all its rows: mark keys, then rows.
        var keyMatched = _residual is null ? new bool[table.Index.Count] : null;
        var residual = _residual is null ? null : CompiledExpression.Compile(_residual);
        var probeKeyExpressions = ProjectOperator.Compile(_rightKeys);
        int parallelism = Math.Max(1, Environment.ProcessorCount);
        var pending = new Queue<Task>();
        await foreach (var probe in _right.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (probe.Length == 0)
            {
                continue;
            }

            pending.Enqueue(Task.Run(() => ProbeBatch(probe, probeKeyExpressions, table, build, residual, matched, keyMatched), cancellationToken));
            while (pending.Count >= parallelism)
            {
                await pending.Dequeue().ConfigureAwait(false);
            }
        }

        while (pending.Count > 0)
        {
            await pending.Dequeue().ConfigureAwait(false);
        }

        if (keyMatched is not null)
        {
            for (int row = 0; row < build.Length; row++)
            {
                matched[row] = keyMatched[table.Ids[row]] && table.Heads[table.Ids[row]] >= 0;
            }
        }

        return matched;
    }

    /// <summary>Marks the left rows one right batch matches. Concurrent calls only ever set flags to true.</summary>
    private void ProbeBatch(RecordBatch probe, CompiledExpression[] probeKeyExpressions, JoinTable table, RecordBatch build, CompiledExpression? residual, bool[] matched, bool[]? keyMatched)
    {
        var probeKeys = ProjectOperator.Evaluate(probeKeyExpressions, probe);
        var ids = new int[probe.Length];
        table.Index.Find(probeKeys, probe.Length, ids);
        var nullKeyRows = KeyIndex.NullKeyRows(probeKeys, probe.Length);
        if (keyMatched is not null)
        {
            for (int row = 0; row < probe.Length; row++)
            {
                if (ids[row] >= 0 && (nullKeyRows is null || !nullKeyRows[row]))
                {
                    keyMatched[ids[row]] = true;
                }
            }

            return;
        }

        var buildRows = new int[ChunkRows];
        var probeRows = new int[ChunkRows];
        int count = 0;
        for (int row = 0; row < probe.Length; row++)
        {
            int id = ids[row];
            if (id < 0 || (nullKeyRows is not null && nullKeyRows[row]))
            {
                continue;
            }

            for (int candidate = table.Heads[id]; candidate >= 0; candidate = table.Next[candidate])
            {
                if (matched[candidate])
                {
                    continue;
                }

                if (count == ChunkRows)
                {
                    JoinSupport.MarkMatches(residual, _pairSchema, build, probe, buildRows, probeRows, count, matched, null);
                    count = 0;
                }

                buildRows[count] = candidate;
                probeRows[count] = row;
                count++;
            }
        }

        JoinSupport.MarkMatches(residual, _pairSchema, build, probe, buildRows, probeRows, count, matched, null);
    }

    private static RecordBatch TakeRows(RecordBatch build, List<int> rows, int start, int count) =>
        ArrayFactory.Take(build, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows).Slice(start, count));

    public override IReadOnlyList<string> Describe()
    {
        var pairs = new List<string>(_leftKeys.Count);
        for (int i = 0; i < _leftKeys.Count; i++)
        {
            pairs.Add($"{_leftKeys[i]} = {_rightKeys[i]}");
        }

        return [$"HashJoin {_joinType} on [{string.Join(", ", pairs)}]" + (_residual is null ? string.Empty : " filter " + _residual) + " (built over the left input)"];
    }

    /// <summary>Batches already read from an input, then the rest of it.</summary>
    private sealed class ReplayOperator(Schema schema, List<RecordBatch> collected, IAsyncEnumerator<RecordBatch> rest) : PhysicalOperator
    {
        public override Schema Schema => schema;

        public override IReadOnlyList<PhysicalOperator> Children => [];

        public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var batch in collected)
            {
                yield return batch;
            }

            while (await rest.MoveNextAsync().ConfigureAwait(false))
            {
                yield return rest.Current;
            }
        }

        public override IReadOnlyList<string> Describe() => ["Replay"];
    }
}
