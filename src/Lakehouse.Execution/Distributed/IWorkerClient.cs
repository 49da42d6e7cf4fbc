using Apache.Arrow;

namespace Lakehouse.Execution.Distributed;

/// <summary>
/// How the coordinator reaches a worker. A fragment always crosses this boundary serialized, also
/// in embedded mode, so embedded and distributed runs execute the same code.
/// </summary>
public interface IWorkerClient
{
    /// <summary>Identifies the worker in EXPLAIN ANALYZE and errors, e.g. <c>in-process</c> or <c>grpc://host:port</c>.</summary>
    string Address { get; }

    /// <summary>Runs a serialized fragment and streams its result batches.</summary>
    IAsyncEnumerable<RecordBatch> ExecuteAsync(byte[] serializedFragment, CancellationToken cancellationToken);
}
