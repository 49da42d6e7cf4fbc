using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Execution.Distributed;
using Lakehouse.Server.Client;
using Lakehouse.Server.FlightSql;

namespace Lakehouse.Server.Distributed;

/// <summary>Runs fragments on a remote worker through its Flight DoGet endpoint.</summary>
public sealed class FlightWorkerClient : IWorkerClient, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly FlightClient _client;

    /// <param name="address">The worker's address, e.g. <c>grpc://10.0.0.7:32010</c>.</param>
    public FlightWorkerClient(string address)
    {
        Address = address;
        _channel = FlightChannels.Open(address);
        _client = FlightChannels.CreateClient(_channel);
    }

    public string Address { get; }

    public async IAsyncEnumerable<RecordBatch> ExecuteAsync(
        byte[] serializedFragment,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ticket = new FlightTicket(FlightSqlCommand.PackFragment(serializedFragment));
        using var call = _client.GetStream(ticket, headers: null, deadline: null, cancellationToken);
        while (true)
        {
            RecordBatch batch;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }

                batch = call.ResponseStream.Current;
            }
            catch (RpcException exception) when (exception.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                var report = LakehouseErrors.FromStatusDetail(exception.Status.Detail, exception.StatusCode);
                throw new LakehouseServerException(report.Code, $"worker {Address}: {report.Message}", exception);
            }

            yield return batch;
        }
    }

    public void Dispose() => _channel.Dispose();
}
