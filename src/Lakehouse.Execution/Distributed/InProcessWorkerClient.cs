using Apache.Arrow;

namespace Lakehouse.Execution.Distributed;

/// <summary>A worker in this process, reached through the same serialized fragments as a remote one.</summary>
public sealed class InProcessWorkerClient : IWorkerClient
{
    private readonly Worker _worker;

    public InProcessWorkerClient(Worker worker) => _worker = worker;

    public string Address => "in-process";

    public IAsyncEnumerable<RecordBatch> ExecuteAsync(byte[] serializedFragment, CancellationToken cancellationToken) =>
        _worker.ExecuteAsync(serializedFragment, cancellationToken);
}
