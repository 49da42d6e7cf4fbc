using System.Collections.Concurrent;
using Apache.Arrow;

namespace Lakehouse.Execution.Memory;

/// <summary>In-process home of memory tables, shared by their providers (planning) and split readers (workers).</summary>
public sealed class MemoryTableStore
{
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<RecordBatch>> _tables = new();

    public static MemoryTableStore Shared { get; } = new();

    public Guid Add(IReadOnlyList<RecordBatch> batches)
    {
        var id = Guid.NewGuid();
        _tables[id] = batches;
        return id;
    }

    public IReadOnlyList<RecordBatch> Get(Guid id) =>
        _tables.TryGetValue(id, out var batches)
            ? batches
            : throw new ExecutionException(ExecutionException.InvalidFragment, $"memory table {id} does not exist on this worker");

    public void Remove(Guid id) => _tables.TryRemove(id, out _);
}
