using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Connectors;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Memory;

/// <summary>Reads memory table splits: one batch, the requested columns.</summary>
public sealed class MemorySplitReader : ISplitReader
{
    private readonly MemoryTableStore _store;

    public MemorySplitReader(MemoryTableStore? store = null) => _store = store ?? MemoryTableStore.Shared;

    public string ConnectorId => MemoryTableProvider.ConnectorId;

    public async IAsyncEnumerable<RecordBatch> ReadAsync(ScanSplit split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var (table, batchIndex, columns) = MemoryTableProvider.DecodeSplit(split.Payload);
        var batches = _store.Get(table);
        if (batchIndex < 0 || batchIndex >= batches.Count)
        {
            throw new ExecutionException(ExecutionException.InvalidFragment, $"memory table {table} has no batch {batchIndex}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var batch = batches[batchIndex];
        var fields = new List<Field>(columns.Length);
        var arrays = new IArrowArray[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            fields.Add(batch.Schema.FieldsList[columns[i]]);
            arrays[i] = batch.Column(columns[i]);
        }

        yield return new RecordBatch(new Schema(fields, null), arrays, batch.Length);
    }
}
