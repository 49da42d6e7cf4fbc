using Apache.Arrow;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Connectors;

/// <summary>Worker-side half of a connector: turns a split made by its table provider into Arrow batches.</summary>
public interface ISplitReader
{
    string ConnectorId { get; }

    IAsyncEnumerable<RecordBatch> ReadAsync(ScanSplit split, CancellationToken cancellationToken);
}

/// <summary>Split readers known to a worker, by connector id.</summary>
public sealed class SplitReaderRegistry
{
    private readonly Dictionary<string, ISplitReader> _readers = new(StringComparer.Ordinal);

    public void Register(ISplitReader reader) => _readers[reader.ConnectorId] = reader;

    public ISplitReader Get(string connectorId) =>
        _readers.TryGetValue(connectorId, out var reader)
            ? reader
            : throw new InvalidOperationException($"no split reader registered for connector '{connectorId}'");
}
