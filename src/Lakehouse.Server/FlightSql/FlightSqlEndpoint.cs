using Lakehouse.Execution.Distributed;

namespace Lakehouse.Server.FlightSql;

/// <summary>
/// State shared by every Flight call on one server: the engine, the worker that runs fragments sent
/// to this process, and the statements awaiting their tickets. One instance per server.
/// </summary>
public sealed class FlightSqlEndpoint : IAsyncDisposable
{
    public FlightSqlEndpoint(IQueryService queryService, IWorkerClient localWorker, TimeSpan statementTimeToLive, string serverVersion)
    {
        QueryService = queryService;
        LocalWorker = localWorker;
        Statements = new StatementRegistry(statementTimeToLive);
        ServerVersion = serverVersion;
    }

    public IQueryService QueryService { get; }

    public IWorkerClient LocalWorker { get; }

    public StatementRegistry Statements { get; }

    public string ServerVersion { get; }

    public ValueTask DisposeAsync() => Statements.DisposeAsync();
}
