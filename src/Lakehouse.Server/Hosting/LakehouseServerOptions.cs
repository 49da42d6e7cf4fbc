using Lakehouse.Execution.Distributed;

namespace Lakehouse.Server;

/// <summary>How to run a Lakehouse server: coordinator (Flight SQL) and worker endpoint in one process.</summary>
public sealed class LakehouseServerOptions
{
    public const int DefaultPort = 32010;

    /// <summary>Interface to listen on; <c>0.0.0.0</c> listens on all interfaces.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port (read it back from <see cref="LakehouseServerHandle.Port"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    public required IQueryService QueryService { get; init; }

    /// <summary>Runs fragments that other coordinators send to this process.</summary>
    public required IWorkerClient LocalWorker { get; init; }

    /// <summary>How long a planned statement or prepared statement may sit unused before it is dropped.</summary>
    public TimeSpan StatementTimeToLive { get; init; } = TimeSpan.FromMinutes(10);

    public string ServerVersion { get; init; } = typeof(LakehouseServerOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
