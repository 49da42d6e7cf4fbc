using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// GROUP BY with aggregates. NULL keys form their own group. Without group keys there is exactly one
/// output row, also over empty input (count 0, other aggregates NULL).
/// </summary>
public sealed class HashAggregateOperator : PhysicalOperator, IMemoryReporting
{
    private const int OutputBatchRows = 8192;
    private const int SpillPartitions = 16;
    private const int MaxSpillLevels = 6;

    // Rough bytes per group beyond its key: hash slot, group id, builder entries.
    private const int GroupOverheadBytes = 48;
    private const int AccumulatorBytesPerGroup = 24;
    private const long ReserveChunkBytes = 1 << 20;

    private readonly PhysicalOperator _input;
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateCall> _aggregates;
    private readonly Schema _schema;
    private readonly QueryMemory _memory;
    private readonly IArrowType[] _keyTypes;
    private long _peakBytes;
    private long _spilledRows;

    public HashAggregateOperator(PhysicalOperator input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, Schema schema, QueryMemory? memory = null)
    {
        _input = input;
        _keys = keys;
        _aggregates = aggregates;
        _schema = schema;
        _memory = memory ?? QueryMemory.Unlimited;
        _keyTypes = new IArrowType[keys.Count];
        for (int i = 0; i < _keyTypes.Length; i++)
        {
            _keyTypes[i] = keys[i].Type;
        }
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public long PeakMemoryBytes => Interlocked.Read(ref _peakBytes);

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int partitions = Math.Min(Environment.ProcessorCount, MaxPartitions);
        var input = _input.ExecuteAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            RecordBatch? first = null;
            bool mergeable = CanMergePartials();
            if (partitions > 1 && (_keys.Count > 0 || mergeable))
            {
                while (await input.MoveNextAsync().ConfigureAwait(false))
                {
                    if (input.Current.Length > 0)
                    {
                        first = input.Current;
                        break;
                    }
                }
            }

            // A handful of groups (Q1-like) is faster on one table than split across partitions.
            var source = Replay(first, input);
            bool manyGroups = first is not null && _keys.Count > 0 && DistinctKeys(first) >= ParallelGroupThreshold;
            var output = manyGroups
                ? AggregateInParallelAsync(source, partitions, cancellationToken)
                : first is not null && mergeable
                    ? AggregatePartialsInParallelAsync(source, partitions, cancellationToken)
                    : AggregateAsync(source, 0, cancellationToken);
            await foreach (var batch in output.ConfigureAwait(false))
            {
                yield return batch;
            }
        }
        finally
        {
            await input.DisposeAsync().ConfigureAwait(false);
        }
    }

    private const int MaxPartitions = 16;

    /// <summary>Partial tables on several threads need every accumulator to merge, and room in the budget for a table per thread.</summary>
    private bool CanMergePartials()
    {
        if (_memory.LimitBytes < MinimumLimitForPartials)
        {
            return false;
        }

        foreach (var aggregate in _aggregates)
        {
            if (!Accumulator.Create(aggregate).CanMerge)
            {
                return false;
            }
        }

        return true;
    }

    private const long MinimumLimitForPartials = 256L << 20;

    /// <summary>
    /// Few groups: every thread aggregates the batches it takes into a table of its own, and the tables are
    /// merged at the end, so evaluating arguments, finding groups and accumulating all run on every core.
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> AggregatePartialsInParallelAsync(IAsyncEnumerable<RecordBatch> source, int workers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(workers * 2) { SingleWriter = true });
        var partials = new PartialAggregation[workers];
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            var partial = partials[w] = new PartialAggregation(this);
            tasks[w] = Task.Run(
                async () =>
                {
                    try
                    {
                        await foreach (var batch in batches.Reader.ReadAllAsync(failed.Token).ConfigureAwait(false))
                        {
                            partial.Add(batch);
                        }
                    }
                    catch
                    {
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                failed.Token);
        }

        try
        {
            await foreach (var batch in source.WithCancellation(failed.Token).ConfigureAwait(false))
            {
                if (batch.Length > 0)
                {
                    await batches.Writer.WriteAsync(batch, failed.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A worker failed; its error surfaces below.
        }
        finally
        {
            batches.Writer.TryComplete();
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
            for (int w = 1; w < workers; w++)
            {
                partials[0].Merge(partials[w]);
            }

            var result = partials[0].Build();
            for (int start = 0; start < result.Length; start += OutputBatchRows)
            {
                yield return ArrayFactory.Slice(result, start, Math.Min(OutputBatchRows, result.Length - start));
            }
        }
        finally
        {
            foreach (var partial in partials)
            {
                _memory.Release(partial.ReservedBytes);
            }
        }
    }

    /// <summary>One thread's groups: their keys, ids and accumulators.</summary>
    private sealed class PartialAggregation
    {
        private readonly HashAggregateOperator _owner;
        private readonly CompiledExpression[] _keyExpressions;
        private readonly CompiledExpression?[] _arguments;
        private readonly SharedArguments _shared;
        private readonly KeyIndex? _index;
        private readonly ColumnBuilder[] _keyBuilders;
        private readonly Accumulator[] _accumulators;
        private readonly List<int> _newRows = [];
        private int[] _groups = new int[1024];
        private long _estimatedBytes;

        public PartialAggregation(HashAggregateOperator owner)
        {
            _owner = owner;
            var keys = owner._keys;
            _keyExpressions = ProjectOperator.Compile(keys);
            _keyBuilders = new ColumnBuilder[keys.Count];
            for (int i = 0; i < _keyBuilders.Length; i++)
            {
                _keyBuilders[i] = ColumnBuilder.Create(owner._keyTypes[i]);
            }

            _index = keys.Count == 0 ? null : KeyIndex.Create(owner._keyTypes);
            var aggregates = owner._aggregates;
            _shared = SharedArguments.Create(owner._input.Schema, ArgumentsOf(aggregates));
            _arguments = new CompiledExpression?[aggregates.Count];
            _accumulators = new Accumulator[aggregates.Count];
            for (int i = 0; i < aggregates.Count; i++)
            {
                _arguments[i] = _shared.Arguments[i] is { } argument ? CompiledExpression.Compile(argument) : null;
                _accumulators[i] = Accumulator.Create(aggregates[i]);
            }
        }

        public long ReservedBytes { get; private set; }

        public int GroupCount => _index?.Count ?? 1;

        public void Add(RecordBatch batch)
        {
            int length = batch.Length;
            if (_groups.Length < length)
            {
                _groups = new int[length];
            }

            if (_index is not null)
            {
                var keyColumns = ProjectOperator.Evaluate(_keyExpressions, batch);

                _newRows.Clear();
                _index.GetOrAdd(keyColumns, length, _groups, _newRows);
                if (_newRows.Count > 0)
                {
                    AppendKeys(_keyBuilders, keyColumns, CollectionsMarshal.AsSpan(_newRows));
                    _estimatedBytes += _newRows.Count * (long)(_index.BytesPerKey + GroupOverheadBytes + (AccumulatorBytesPerGroup * _accumulators.Length));
                    Reserve();
                }
            }
            else
            {
                System.Array.Clear(_groups, 0, length);
            }

            int groupCount = GroupCount;
            var extended = _shared.Extend(batch);
            for (int a = 0; a < _accumulators.Length; a++)
            {
                _accumulators[a].Accumulate(_arguments[a]?.Evaluate(extended), _groups.AsSpan(0, length), groupCount);
            }
        }

        /// <summary>Folds another thread's groups into these.</summary>
        public void Merge(PartialAggregation other)
        {
            int otherGroups = other.GroupCount;
            var map = new int[otherGroups];
            if (_index is not null)
            {
                if (otherGroups == 0)
                {
                    return;
                }

                var keyColumns = new IArrowArray[other._keyBuilders.Length];
                for (int k = 0; k < keyColumns.Length; k++)
                {
                    keyColumns[k] = other._keyBuilders[k].Build();
                }

                _newRows.Clear();
                _index.GetOrAdd(keyColumns, otherGroups, map, _newRows);
                AppendKeys(_keyBuilders, keyColumns, CollectionsMarshal.AsSpan(_newRows));
            }

            int groupCount = GroupCount;
            for (int a = 0; a < _accumulators.Length; a++)
            {
                _accumulators[a].Merge(other._accumulators[a], map, groupCount);
            }
        }

        public RecordBatch Build()
        {
            int groupCount = GroupCount;
            var columns = new IArrowArray[_keyBuilders.Length + _accumulators.Length];
            for (int k = 0; k < _keyBuilders.Length; k++)
            {
                columns[k] = _keyBuilders[k].Build();
            }

            for (int a = 0; a < _accumulators.Length; a++)
            {
                columns[_keyBuilders.Length + a] = _accumulators[a].Build(groupCount);
            }

            return new RecordBatch(_owner._schema, columns, groupCount);
        }

        private void Reserve()
        {
            if (_estimatedBytes <= ReservedBytes)
            {
                return;
            }

            long wanted = Math.Max(_estimatedBytes - ReservedBytes, ReserveChunkBytes);
            if (!_owner._memory.TryReserve(wanted))
            {
                throw _owner._memory.LimitExceeded($"HashAggregate ({GroupCount} groups on one of several threads)", wanted);
            }

            ReservedBytes += wanted;
            _owner.UpdatePeak(ReservedBytes);
        }
    }
    private const int ParallelGroupThreshold = 256;

    private static async IAsyncEnumerable<RecordBatch> Replay(RecordBatch? first, IAsyncEnumerator<RecordBatch> rest)
    {
        if (first is not null)
        {
            yield return first;
        }

        while (await rest.MoveNextAsync().ConfigureAwait(false))
        {
            yield return rest.Current;
        }
    }

    /// <summary>How many distinct keys the batch holds.</summary>
    private int DistinctKeys(RecordBatch batch)
    {
        var index = KeyIndex.Create(_keyTypes);
        index.GetOrAdd(ProjectOperator.Evaluate(ProjectOperator.Compile(_keys), batch), batch.Length, new int[batch.Length], []);
        return index.Count;
    }

    /// <summary>
    /// Rows are split by a hash of their key into partitions aggregated concurrently, each on its own table;
    /// a key lives in exactly one partition, so the partitions' results are simply concatenated.
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> AggregateInParallelAsync(IAsyncEnumerable<RecordBatch> source, int partitions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inputs = new Channel<RecordBatch>[partitions];
        var results = new List<RecordBatch>[partitions];
        var consumers = new Task[partitions];
        for (int p = 0; p < partitions; p++)
        {
            inputs[p] = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            results[p] = [];
            var reader = inputs[p].Reader;
            var output = results[p];
            consumers[p] = Task.Run(
                async () =>
                {
                    try
                    {
                        await foreach (var batch in AggregateAsync(reader.ReadAllAsync(failed.Token), 0, failed.Token).ConfigureAwait(false))
                        {
                            output.Add(batch);
                        }
                    }
                    catch
                    {
                        // Stop the dispatcher and the other partitions; the first failure is what the query reports.
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                failed.Token);
        }

        try
        {
            await DispatchAsync(source, inputs, failed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A partition failed; its error surfaces below.
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Writer.TryComplete();
            }
        }

        await Task.WhenAll(consumers).ConfigureAwait(false);
        foreach (var output in results)
        {
            foreach (var batch in output)
            {
                yield return batch;
            }
        }
    }

    private async Task DispatchAsync(IAsyncEnumerable<RecordBatch> source, Channel<RecordBatch>[] partitions, CancellationToken cancellationToken)
    {
        var keyExpressions = ProjectOperator.Compile(_keys);
        var index = KeyIndex.Create(_keyTypes);
        var rows = new List<int>[partitions.Length];
        for (int p = 0; p < rows.Length; p++)
        {
            rows[p] = [];
        }

        await foreach (var batch in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Length == 0)
            {
                continue;
            }

            var keyColumns = ProjectOperator.Evaluate(keyExpressions, batch);

            foreach (var list in rows)
            {
                list.Clear();
            }

            index.Partition(keyColumns, batch.Length, -1, rows);

            for (int p = 0; p < partitions.Length; p++)
            {
                if (rows[p].Count == 0)
                {
                    continue;
                }

                var part = rows[p].Count == batch.Length ? batch : ArrayFactory.Take(batch, CollectionsMarshal.AsSpan(rows[p]));
                await partitions[p].Writer.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Aggregates <paramref name="input"/>. When the memory budget runs out, the groups already in the table
    /// keep being updated in memory, while rows of keys not yet seen go to disk, split by key hash into
    /// partitions; each partition is aggregated afterwards on its own (recursively, with a new hash), so
    /// every key is aggregated in exactly one place and no partial states need merging.
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> AggregateAsync(IAsyncEnumerable<RecordBatch> input, int level, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keyExpressions = ProjectOperator.Compile(_keys);
        var keyTypes = _keyTypes;
        var keyBuilders = new ColumnBuilder[_keys.Count];
        for (int i = 0; i < keyBuilders.Length; i++)
        {
            keyBuilders[i] = ColumnBuilder.Create(keyTypes[i]);
        }

        var shared = SharedArguments.Create(_input.Schema, ArgumentsOf(_aggregates));
        var arguments = new CompiledExpression?[_aggregates.Count];
        var accumulators = new Accumulator[_aggregates.Count];
        for (int i = 0; i < accumulators.Length; i++)
        {
            arguments[i] = shared.Arguments[i] is { } argument ? CompiledExpression.Compile(argument) : null;
            accumulators[i] = Accumulator.Create(_aggregates[i]);
        }

        var table = KeyIndex.Create(keyTypes);
        var encoder = new RowKeyEncoder(keyTypes);
        var newRows = new List<int>();
        int groupCount = _keys.Count == 0 ? 1 : 0;
        var groups = new int[1024];
        long estimatedBytes = 0;
        long reservedBytes = 0;
        SpillFile[]? partitions = null;
        var partitionRows = new List<int>[SpillPartitions];
        try
        {
            await foreach (var incoming in input.ConfigureAwait(false))
            {
                var batch = incoming;
                int length = batch.Length;
                if (length == 0)
                {
                    continue;
                }

                if (groups.Length < length)
                {
                    groups = new int[length];
                }

                if (_keys.Count > 0)
                {
                    var keyColumns = ProjectOperator.Evaluate(keyExpressions, batch);

                    if (partitions is null)
                    {
                        newRows.Clear();
                        table.GetOrAdd(keyColumns, length, groups, newRows);
                        if (newRows.Count > 0)
                        {
                            estimatedBytes += newRows.Count * (long)(table.BytesPerKey + GroupOverheadBytes + (AccumulatorBytesPerGroup * accumulators.Length));
                            AppendKeys(keyBuilders, keyColumns, CollectionsMarshal.AsSpan(newRows));
                        }
                    }
                    else
                    {
                        // Spilling: rows of known groups stay here, the others go to their partition on disk.
                        var kept = new List<int>(length);
                        for (int p = 0; p < SpillPartitions; p++)
                        {
                            partitionRows[p] ??= [];
                            partitionRows[p].Clear();
                        }

                        var found = new int[length];
                        table.Find(keyColumns, length, found);
                        for (int row = 0; row < length; row++)
                        {
                            int group = found[row];
                            if (group >= 0)
                            {
                                groups[kept.Count] = group;
                                kept.Add(row);
                            }
                            else
                            {
                                var key = encoder.Encode(keyColumns, row, out _);
                                partitionRows[KeyTable.PartitionOf(key, level, SpillPartitions)].Add(row);
                            }
                        }

                        for (int p = 0; p < SpillPartitions; p++)
                        {
                            if (partitionRows[p].Count > 0)
                            {
                                await partitions[p].WriteAsync(ArrayFactory.Take(batch, CollectionsMarshal.AsSpan(partitionRows[p])), cancellationToken).ConfigureAwait(false);
                                Interlocked.Add(ref _spilledRows, partitionRows[p].Count);
                            }
                        }

                        if (kept.Count == 0)
                        {
                            continue;
                        }

                        if (kept.Count < length)
                        {
                            batch = ArrayFactory.Take(batch, CollectionsMarshal.AsSpan(kept));
                            length = batch.Length;
                        }
                    }

                    groupCount = table.Count;
                }
                else
                {
                    System.Array.Clear(groups, 0, length);
                }

                var extended = shared.Extend(batch);
                for (int a = 0; a < accumulators.Length; a++)
                {
                    var argument = arguments[a]?.Evaluate(extended);
                    accumulators[a].Accumulate(argument, groups.AsSpan(0, length), groupCount);
                }

                long heldBytes = estimatedBytes;
                foreach (var accumulator in accumulators)
                {
                    heldBytes += accumulator.ExtraBytes;
                }

                if (partitions is null && heldBytes > reservedBytes)
                {
                    long needed = heldBytes - reservedBytes;
                    long wanted = Math.Max(needed, ReserveChunkBytes);
                    if (_memory.TryReserve(wanted) || _memory.TryReserve(wanted = needed))
                    {
                        reservedBytes += wanted;
                        UpdatePeak(reservedBytes);
                    }
                    else if (_memory.SpillEnabled && _keys.Count > 0 && level < MaxSpillLevels)
                    {
                        partitions = new SpillFile[SpillPartitions];
                        for (int p = 0; p < SpillPartitions; p++)
                        {
                            partitions[p] = new SpillFile(_memory.SpillDirectory, _input.Schema);
                        }
                    }
                    else
                    {
                        throw _memory.LimitExceeded($"HashAggregate ({groupCount} groups)", wanted);
                    }
                }
            }

            if (groupCount > 0)
            {
                var columns = new IArrowArray[_keys.Count + _aggregates.Count];
                for (int k = 0; k < keyBuilders.Length; k++)
                {
                    columns[k] = keyBuilders[k].Build();
                }

                for (int a = 0; a < accumulators.Length; a++)
                {
                    columns[_keys.Count + a] = accumulators[a].Build(groupCount);
                }

                var result = new RecordBatch(_schema, columns, groupCount);
                for (int start = 0; start < groupCount; start += OutputBatchRows)
                {
                    yield return ArrayFactory.Slice(result, start, Math.Min(OutputBatchRows, groupCount - start));
                }
            }

            // The in-memory groups are out: give their memory back before the partitions run.
            table = null!;
            keyBuilders = null!;
            accumulators = null!;
            _memory.Release(reservedBytes);
            reservedBytes = 0;
            if (partitions is not null)
            {
                foreach (var partition in partitions)
                {
                    if (partition.Rows == 0)
                    {
                        continue;
                    }

                    await foreach (var output in AggregateAsync(partition.ReadAsync(cancellationToken), level + 1, cancellationToken).ConfigureAwait(false))
                    {
                        yield return output;
                    }

                    await partition.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _memory.Release(reservedBytes);
            if (partitions is not null)
            {
                foreach (var partition in partitions)
                {
                    await partition.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static List<BoundExpression?> ArgumentsOf(IReadOnlyList<AggregateCall> aggregates)
    {
        var arguments = new List<BoundExpression?>(aggregates.Count);
        foreach (var aggregate in aggregates)
        {
            arguments.Add(aggregate.Argument);
        }

        return arguments;
    }

    private static void AppendKeys(ColumnBuilder[] keyBuilders, IArrowArray[] keyColumns, ReadOnlySpan<int> rows)
    {
        for (int k = 0; k < keyColumns.Length; k++)
        {
            keyBuilders[k].AppendRows(keyColumns[k], rows);
        }
    }

    private void UpdatePeak(long bytes)
    {
        if (bytes > Interlocked.Read(ref _peakBytes))
        {
            Interlocked.Exchange(ref _peakBytes, bytes);
        }
    }

    public override IReadOnlyList<string> Describe()
    {
        var keys = new List<string>(_keys.Count);
        foreach (var key in _keys)
        {
            keys.Add(key.ToString());
        }

        var aggregates = new List<string>(_aggregates.Count);
        foreach (var aggregate in _aggregates)
        {
            aggregates.Add(aggregate.ToString());
        }

        var title = $"HashAggregate keys=[{string.Join(", ", keys)}] aggregates=[{string.Join(", ", aggregates)}]";
        long spilled = Interlocked.Read(ref _spilledRows);
        return spilled > 0 ? [title, $"spilled {spilled} rows to disk"] : [title];
    }
}
