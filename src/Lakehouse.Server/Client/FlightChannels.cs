using Apache.Arrow;
using Apache.Arrow.Flight.Client;
using Grpc.Net.Client;

namespace Lakehouse.Server.Client;

/// <summary>Turns <c>grpc://host:port</c> (or <c>grpc+tcp://</c>, <c>http://</c>) addresses into gRPC channels.</summary>
public static class FlightChannels
{
    public static GrpcChannel Open(string address)
    {
        var httpAddress = ToHttpAddress(address);
        return GrpcChannel.ForAddress(httpAddress, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
    }

    static FlightChannels()
    {
        // The Flight client decodes IPC through the default registry; arrow.uuid is a canonical
        // extension type, so registering it process-wide is safe and lets uuid columns arrive as such.
        ExtensionTypeRegistry.Default.Register(GuidExtensionDefinition.Instance);
    }

    /// <summary>A Flight client whose streams turn canonical extension types (arrow.uuid) back into their arrays.</summary>
    public static FlightClient CreateClient(GrpcChannel channel) => new(channel);

    /// <summary>Normalizes an address; plain <c>host:port</c> is accepted too.</summary>
    public static Uri ToHttpAddress(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "grpc://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new LakehouseServerException("BAD_SERVER_ADDRESS", $"server address '{address}' is not of the form grpc://host:port");
        }

        var scheme = uri.Scheme.ToLowerInvariant() switch
        {
            "grpc" or "grpc+tcp" or "http" => "http",
            "grpc+tls" or "https" => "https",
            _ => throw new LakehouseServerException(
                "BAD_SERVER_ADDRESS",
                $"server address '{address}' has unsupported scheme '{uri.Scheme}' (use grpc://, grpc+tls:// or http://)"),
        };
        var port = uri.IsDefaultPort || uri.Port <= 0 ? LakehouseServerOptions.DefaultPort : uri.Port;
        return new UriBuilder(scheme, uri.Host, port).Uri;
    }
}
