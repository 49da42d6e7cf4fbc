using System.Net;
using System.Net.Sockets;
using Lakehouse.Server.FlightSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lakehouse.Server;

/// <summary>Hosts the Flight endpoint on Kestrel over cleartext HTTP/2.</summary>
public static class LakehouseServer
{
    public static async Task<LakehouseServerHandle> StartAsync(LakehouseServerOptions options, CancellationToken cancellationToken = default)
    {
        var address = ResolveListenAddress(options.Host);
        if (options.Port is < 0 or > 65535)
        {
            throw new LakehouseServerException("BAD_PORT", $"port {options.Port} is outside 0..65535");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The caller owns the process lifetime (Ctrl+C, SIGTERM, tests); the host must not install its own handlers.
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });

        var endpoint = new FlightSqlEndpoint(options.QueryService, options.LocalWorker, options.StatementTimeToLive, options.ServerVersion);
        builder.Services.AddSingleton(endpoint);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        }).AddFlightServer<LakehouseFlightServer>();

        var app = builder.Build();
        app.MapFlightEndpoint();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await endpoint.DisposeAsync().ConfigureAwait(false);
            throw new LakehouseServerException(
                "SERVER_BIND_FAILED",
                $"cannot listen on {options.Host}:{options.Port}: {LakehouseErrors.OneLine(exception.Message)}",
                exception);
        }

        var port = BoundPort(app) ?? options.Port;
        return new LakehouseServerHandle(app, endpoint, options.Host, port);
    }

    private static IPAddress ResolveListenAddress(string host)
    {
        if (host is "localhost")
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(host, out var parsed))
        {
            return parsed;
        }

        try
        {
            var resolved = Dns.GetHostAddresses(host);
            foreach (var candidate in resolved)
            {
                if (candidate.AddressFamily == AddressFamily.InterNetwork)
                {
                    return candidate;
                }
            }

            return resolved.Length > 0
                ? resolved[0]
                : throw new LakehouseServerException("BAD_HOST", $"host '{host}' resolves to no address");
        }
        catch (SocketException exception)
        {
            throw new LakehouseServerException("BAD_HOST", $"cannot resolve host '{host}': {exception.Message}", exception);
        }
    }

    private static int? BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return null;
        }

        foreach (var bound in addresses)
        {
            if (Uri.TryCreate(bound, UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        return null;
    }

    private sealed class CallerOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A running server; dispose to stop it.</summary>
public sealed class LakehouseServerHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FlightSqlEndpoint _endpoint;

    internal LakehouseServerHandle(WebApplication app, FlightSqlEndpoint endpoint, string host, int port)
    {
        _app = app;
        _endpoint = endpoint;
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Where clients connect, e.g. <c>grpc://127.0.0.1:32010</c>; an any-address bind is reported as loopback.</summary>
    public string Address => $"grpc://{(Host is "0.0.0.0" or "::" or "[::]" ? "127.0.0.1" : Host)}:{Port}";

    /// <summary>Completes when the server stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using (var stopDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopDeadline.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _endpoint.DisposeAsync().ConfigureAwait(false);
    }
}
