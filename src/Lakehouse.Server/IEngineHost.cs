using Lakehouse.Execution.Distributed;

namespace Lakehouse.Server;

/// <summary>A query engine together with the worker that runs its fragments in this process.</summary>
public interface IEngineHost : IAsyncDisposable
{
    IQueryService QueryService { get; }

    IWorkerClient LocalWorker { get; }

    /// <summary>Sends scan fragments to <paramref name="workers"/> from now on (e.g. Flight workers once a server listens).</summary>
    void UseWorkers(IReadOnlyList<IWorkerClient> workers);
}
