using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Server.FlightSql;
using Lakehouse.Server.FlightSql.Protocol;

namespace Lakehouse.Server.Client;

/// <summary>
/// A minimal Flight SQL client: GetFlightInfo with a CommandStatementQuery, then DoGet of every
/// endpoint's ticket. Endpoints without a location are fetched from the same server.
/// </summary>
public sealed class FlightSqlQueryClient : IQueryService, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly FlightClient _client;
    private readonly Dictionary<string, (GrpcChannel Channel, FlightClient Client)> _otherLocations = new(StringComparer.Ordinal);

    public FlightSqlQueryClient(string address)
    {
        Address = address;
        _channel = FlightChannels.Open(address);
        _client = FlightChannels.CreateClient(_channel);
    }

    public string Address { get; }

    public async Task<IQueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var command = new CommandStatementQuery { Query = sql };
        var descriptor = FlightDescriptor.CreateCommandDescriptor(FlightSqlCommand.Pack(command));
        FlightInfo info;
        try
        {
            info = await _client.GetInfo(descriptor, headers: null, deadline: null, cancellationToken).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException exception)
        {
            throw Translate(exception);
        }

        return new RemoteResult(this, info, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var (channel, _) in _otherLocations.Values)
        {
            channel.Dispose();
        }

        _channel.Dispose();
    }

    private FlightClient ClientFor(FlightEndpoint endpoint)
    {
        foreach (var location in endpoint.Locations)
        {
            var uri = location.Uri;
            if (uri.Length == 0 || uri.StartsWith("arrow-flight-reuse-connection:", StringComparison.Ordinal))
            {
                return _client;
            }

            if (!_otherLocations.TryGetValue(uri, out var other))
            {
                var channel = FlightChannels.Open(uri);
                other = (channel, FlightChannels.CreateClient(channel));
                _otherLocations[uri] = other;
            }

            return other.Client;
        }

        return _client;
    }

    private LakehouseServerException Translate(RpcException exception)
    {
        var report = LakehouseErrors.FromStatusDetail(exception.Status.Detail, exception.StatusCode);
        var message = exception.StatusCode == StatusCode.Unavailable
            ? $"cannot reach Flight SQL server at {Address}: {report.Message}"
            : report.Message;
        return new LakehouseServerException(report.Code, message, exception);
    }

    private sealed class RemoteResult(FlightSqlQueryClient owner, FlightInfo info, CancellationToken planCancellation) : IQueryResult
    {
        public Schema Schema { get; } = info.Schema
            ?? throw new LakehouseServerException("FLIGHT_NO_SCHEMA", $"server at {owner.Address} returned no result schema");

        public async IAsyncEnumerable<RecordBatch> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, planCancellation);
            foreach (var endpoint in info.Endpoints)
            {
                using var call = owner.ClientFor(endpoint).GetStream(endpoint.Ticket, headers: null, deadline: null, linked.Token);
                while (true)
                {
                    try
                    {
                        if (!await call.ResponseStream.MoveNext(linked.Token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (RpcException exception)
                    {
                        throw owner.Translate(exception);
                    }

                    yield return call.ResponseStream.Current;
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
