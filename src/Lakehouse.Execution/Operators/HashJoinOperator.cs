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
/// Equi-join: builds a hash table over the right input's keys, probes it with each left batch, then
/// applies the residual condition to the matching pairs. NULL keys never match.
/// </summary>
public sealed class HashJoinOperator : PhysicalOperator, IMemoryReporting
{
    private const int ChunkRows = 8192;
    private readonly PhysicalOperator _left;
    private readonly PhysicalOperator _right;
    private readonly JoinType _joinType;
    private readonly IReadOnlyList<BoundExpression> _leftKeys;
    private readonly IReadOnlyList<BoundExpression> _rightKeys;
    private readonly BoundExpression? _residual;
    private readonly Schema _schema;
    private readonly Schema _pairSchema;

    private const int SpillPartitions = 16;
    private const int MaxSpillLevels = 4;
    private readonly QueryMemory _memory;
    private readonly int _level;
    private long _peakBytes;
    private long _spilledRows;

    public HashJoinOperator(PhysicalOperator left, PhysicalOperator right, JoinType joinType, IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual, Schema schema, QueryMemory? memory = null)
        : this(left, right, joinType, leftKeys, rightKeys, residual, schema, memory, 0)
    {
    }

    private HashJoinOperator(PhysicalOperator left, PhysicalOperator right, JoinType joinType, IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual, Schema schema, QueryMemory? memory, int level)
    {
        _memory = memory ?? QueryMemory.Unlimited;
        _level = level;
        _left = left;
        _right = right;
        _joinType = joinType;
        _leftKeys = leftKeys;
        _rightKeys = rightKeys;
        _residual = residual;
        _schema = schema;
        _pairSchema = JoinSupport.PairSchema(left.Schema, right.Schema);
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_left, _right];

    public long PeakMemoryBytes => _peakBytes;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buildBatches = new List<RecordBatch>();
        long reserved = 0;
        var buildInput = _right.ExecuteAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
        bool spilling = false;
        while (await buildInput.MoveNextAsync().ConfigureAwait(false))
        {
            var batch = buildInput.Current;
            if (batch.Length == 0)
            {
                continue;
            }

            buildBatches.Add(batch);
            long bytes = ArrowSizes.Of(batch) + (batch.Length * 24L);
            if (!_memory.TryReserve(bytes))
            {
                if (!CanSpill)
                {
                    throw _memory.LimitExceeded("HashJoin build side", bytes);
                }

                spilling = true;
                break;
            }

            reserved += bytes;
            _peakBytes = Math.Max(_peakBytes, reserved);
        }

        if (spilling)
        {
            _memory.Release(reserved);
            reserved = 0;
            await foreach (var output in GraceJoinAsync(buildBatches, buildInput, cancellationToken).ConfigureAwait(false))
            {
                yield return output;
            }

            yield break;
        }

        var build = JoinSupport.CollectAll(_right.Schema, buildBatches);
        var keyTypes = new IArrowType[_rightKeys.Count];
        for (int i = 0; i < keyTypes.Length; i++)
        {
            keyTypes[i] = _rightKeys[i].Type;
        }

        var table = JoinTable.Build(keyTypes, ProjectOperator.Evaluate(ProjectOperator.Compile(_rightKeys), build), build.Length);

        bool emitUnmatchedRight = _joinType is JoinType.Right or JoinType.Full;
        var rightMatched = emitUnmatchedRight ? new bool[build.Length] : null;
        var residual = _residual is null ? null : CompiledExpression.Compile(_residual);
        var probeKeyExpressions = ProjectOperator.Compile(_leftKeys);
        var state = new BuildState(table, build, residual, probeKeyExpressions);

        // Probe batches are independent unless unmatched right rows must be tracked: then one at a time.
        int parallelism = rightMatched is null ? Math.Max(1, Environment.ProcessorCount) : 1;
        var scratch = new System.Collections.Concurrent.ConcurrentBag<ProbeScratch>();
        var pending = new Queue<Task<List<RecordBatch>>>();
        await foreach (var probe in _left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (probe.Length == 0)
            {
                continue;
            }

            if (parallelism == 1)
            {
                foreach (var output in ProbeBatch(probe, state, RentScratch(scratch), scratch, rightMatched))
                {
                    yield return output;
                }

                continue;
            }

            pending.Enqueue(Task.Run(() => ProbeBatch(probe, state, RentScratch(scratch), scratch, null), cancellationToken));
            while (pending.Count >= parallelism)
            {
                foreach (var output in await pending.Dequeue().ConfigureAwait(false))
                {
                    yield return output;
                }
            }
        }

        while (pending.Count > 0)
        {
            foreach (var output in await pending.Dequeue().ConfigureAwait(false))
            {
                yield return output;
            }
        }

        if (rightMatched is not null && JoinSupport.EmitUnmatched(_schema, ArrayFactory.EmptyBatch(_left.Schema), build, rightMatched, leftSide: false) is { } unmatchedRight)
        {
            yield return unmatchedRight;
        }
        }
        finally
        {
            _memory.Release(reserved);
            await buildInput.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The NULL-aware mark needs the whole build side at once (does it hold a NULL? is it empty?); every other join splits by key.</summary>
    private bool CanSpill => _memory.SpillEnabled && _joinType != JoinType.NullAwareMark && _level < MaxSpillLevels;

    /// <summary>
    /// The build side does not fit: both inputs are split by a hash of their join key into partitions on disk,
    /// and each pair of partitions is joined on its own (again splitting, with a new hash, if still too big).
    /// Rows with a NULL key match nothing and go to the first partition, where outer joins still emit them.
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> GraceJoinAsync(List<RecordBatch> collected, IAsyncEnumerator<RecordBatch> restOfBuild, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buildFiles = new SpillFile[SpillPartitions];
        var probeFiles = new SpillFile[SpillPartitions];
        for (int p = 0; p < SpillPartitions; p++)
        {
            buildFiles[p] = new SpillFile(_memory.SpillDirectory, _right.Schema);
            probeFiles[p] = new SpillFile(_memory.SpillDirectory, _left.Schema);
        }

        try
        {
            var keyTypes = new IArrowType[_rightKeys.Count];
            for (int i = 0; i < keyTypes.Length; i++)
            {
                keyTypes[i] = _rightKeys[i].Type;
            }

            var encoder = new RowKeyEncoder(keyTypes);
            var buildKeys = ProjectOperator.Compile(_rightKeys);
            foreach (var batch in collected)
            {
                await PartitionAsync(batch, buildKeys, encoder, buildFiles, cancellationToken).ConfigureAwait(false);
            }

            collected.Clear();
            while (await restOfBuild.MoveNextAsync().ConfigureAwait(false))
            {
                await PartitionAsync(restOfBuild.Current, buildKeys, encoder, buildFiles, cancellationToken).ConfigureAwait(false);
            }

            var probeKeys = ProjectOperator.Compile(_leftKeys);
            await foreach (var batch in _left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                await PartitionAsync(batch, probeKeys, encoder, probeFiles, cancellationToken).ConfigureAwait(false);
            }

            for (int p = 0; p < SpillPartitions; p++)
            {
                Interlocked.Add(ref _spilledRows, buildFiles[p].Rows + probeFiles[p].Rows);
                if (buildFiles[p].Rows == 0 && probeFiles[p].Rows == 0)
                {
                    continue;
                }

                var partition = new HashJoinOperator(
                    new SpillSourceOperator(probeFiles[p], _left.Schema),
                    new SpillSourceOperator(buildFiles[p], _right.Schema),
                    _joinType,
                    _leftKeys,
                    _rightKeys,
                    _residual,
                    _schema,
                    _memory,
                    _level + 1);
                await foreach (var output in partition.ExecuteAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return output;
                }

                await buildFiles[p].DisposeAsync().ConfigureAwait(false);
                await probeFiles[p].DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            for (int p = 0; p < SpillPartitions; p++)
            {
                await buildFiles[p].DisposeAsync().ConfigureAwait(false);
                await probeFiles[p].DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task PartitionAsync(RecordBatch batch, CompiledExpression[] keyExpressions, RowKeyEncoder encoder, SpillFile[] files, CancellationToken cancellationToken)
    {
        if (batch.Length == 0)
        {
            return;
        }

        var keys = ProjectOperator.Evaluate(keyExpressions, batch);
        var rows = new List<int>[files.Length];
        for (int p = 0; p < rows.Length; p++)
        {
            rows[p] = [];
        }

        for (int row = 0; row < batch.Length; row++)
        {
            var key = encoder.Encode(keys, row, out bool hasNull);
            rows[hasNull ? 0 : KeyTable.PartitionOf(key, _level + 1, files.Length)].Add(row);
        }

        for (int p = 0; p < files.Length; p++)
        {
            if (rows[p].Count > 0)
            {
                await files[p].WriteAsync(rows[p].Count == batch.Length ? batch : ArrayFactory.Take(batch, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows[p])), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The finished build side, shared read-only by concurrent probes.</summary>
    private sealed record BuildState(JoinTable Table, RecordBatch Build, CompiledExpression? Residual, CompiledExpression[] ProbeKeys);

    /// <summary>Per-probe working memory: the key encoder and candidate pair buffers.</summary>
    private sealed class ProbeScratch
    {
        private int[] _ids = new int[1024];

        /// <summary>Ids of the probe rows' keys in the build side's index (-1: no such key).</summary>
        public int[] Ids(int length)
        {
            if (_ids.Length < length)
            {
                _ids = new int[length];
            }

            return _ids;
        }

        public int[] LeftRows { get; } = new int[ChunkRows];

        public int[] RightRows { get; } = new int[ChunkRows];
    }

    private static ProbeScratch RentScratch(System.Collections.Concurrent.ConcurrentBag<ProbeScratch> pool) =>
        pool.TryTake(out var scratch) ? scratch : new ProbeScratch();

    /// <summary>Joins one probe batch against the build side; <paramref name="rightMatched"/> is given only for RIGHT and FULL joins.</summary>
    private List<RecordBatch> ProbeBatch(RecordBatch probe, BuildState state, ProbeScratch scratch, System.Collections.Concurrent.ConcurrentBag<ProbeScratch> pool, bool[]? rightMatched)
    {
        var outputs = new List<RecordBatch>();
        try
        {
            if (JoinSupport.KeepsOnlyLeft(_joinType))
            {
                var leftOnly = ProbeLeftOnly(probe, state, scratch);
                if (leftOnly is not null)
                {
                    outputs.Add(leftOnly);
                }

                return outputs;
            }

            bool emitUnmatchedLeft = _joinType is JoinType.Left or JoinType.Full or JoinType.Single;
            var probeKeys = ProjectOperator.Evaluate(state.ProbeKeys, probe);
            var leftMatched = emitUnmatchedLeft ? new bool[probe.Length] : null;
            var leftRows = scratch.LeftRows;
            var rightRows = scratch.RightRows;
            var ids = scratch.Ids(probe.Length);
            state.Table.Index.Find(probeKeys, probe.Length, ids);
            var nullKeyRows = KeyIndex.NullKeyRows(probeKeys, probe.Length);
            int count = 0;
            for (int row = 0; row < probe.Length; row++)
            {
                if (nullKeyRows is not null && nullKeyRows[row])
                {
                    continue;
                }

                int id = ids[row];
                if (id < 0)
                {
                    continue;
                }

                for (int match = state.Table.Heads[id]; match >= 0; match = state.Table.Next[match])
                {
                    if (count == leftRows.Length)
                    {
                        AddIfAny(outputs, Flush(state.Residual, probe, state.Build, leftRows, rightRows, count, leftMatched, rightMatched));
                        count = 0;
                    }

                    leftRows[count] = row;
                    rightRows[count] = match;
                    count++;
                }
            }

            AddIfAny(outputs, Flush(state.Residual, probe, state.Build, leftRows, rightRows, count, leftMatched, rightMatched));
            if (leftMatched is not null)
            {
                AddIfAny(outputs, JoinSupport.EmitUnmatched(_schema, probe, state.Build, leftMatched, leftSide: true));
            }

            return outputs;
        }
        finally
        {
            pool.Add(scratch);
        }
    }

    private static void AddIfAny(List<RecordBatch> outputs, RecordBatch? batch)
    {
        if (batch is not null)
        {
            outputs.Add(batch);
        }
    }

    /// <summary>Semi, anti and mark joins: which left rows have a match; the right rows themselves are not needed.</summary>
    private RecordBatch? ProbeLeftOnly(RecordBatch probe, BuildState state, ProbeScratch scratch)
    {
        var probeKeys = ProjectOperator.Evaluate(state.ProbeKeys, probe);
        var matched = new bool[probe.Length];
        var unknown = _joinType == JoinType.NullAwareMark ? new bool[probe.Length] : null;
        var leftRows = scratch.LeftRows;
        var rightRows = scratch.RightRows;
        var build = state.Build;
        var ids = scratch.Ids(probe.Length);
        state.Table.Index.Find(probeKeys, probe.Length, ids);
        var nullKeyRows = KeyIndex.NullKeyRows(probeKeys, probe.Length);
        int count = 0;
        for (int row = 0; row < probe.Length; row++)
        {
            if (nullKeyRows is not null && nullKeyRows[row])
            {
                if (unknown is not null && build.Length > 0)
                {
                    unknown[row] = true;
                }

                continue;
            }

            // An id without build rows (a key only NULL-keyed build rows have) matches nothing.
            int id = ids[row];
            if (id < 0 || state.Table.Heads[id] < 0)
            {
                if (unknown is not null && state.Table.HasNullKey)
                {
                    unknown[row] = true;
                }

                continue;
            }

            if (state.Residual is null)
            {
                matched[row] = true;
                continue;
            }

            for (int match = state.Table.Heads[id]; match >= 0; match = state.Table.Next[match])
            {
                if (count == leftRows.Length)
                {
                    JoinSupport.MarkMatches(state.Residual, _pairSchema, probe, build, leftRows, rightRows, count, matched, null);
                    count = 0;
                }

                leftRows[count] = row;
                rightRows[count] = match;
                count++;
            }
        }

        JoinSupport.MarkMatches(state.Residual, _pairSchema, probe, build, leftRows, rightRows, count, matched, null);
        return JoinSupport.EmitLeftOnly(_joinType, _schema, probe, matched, unknown);
    }

    private RecordBatch? Flush(CompiledExpression? residual, RecordBatch probe, RecordBatch build, int[] leftRows, int[] rightRows, int count, bool[]? leftMatched, bool[]? rightMatched) =>
        JoinSupport.EmitMatches(_joinType, _schema, _pairSchema, residual, probe, build, leftRows, rightRows, count, leftMatched, rightMatched);

    public override IReadOnlyList<string> Describe()
    {
        var pairs = new List<string>(_leftKeys.Count);
        for (int i = 0; i < _leftKeys.Count; i++)
        {
            pairs.Add($"{_leftKeys[i]} = {_rightKeys[i]}");
        }

        var title = $"HashJoin {_joinType} on [{string.Join(", ", pairs)}]" + (_residual is null ? string.Empty : " filter " + _residual);
        long spilled = Interlocked.Read(ref _spilledRows);
        return spilled > 0 ? [title, $"spilled {spilled} rows to disk"] : [title];
    }
}
