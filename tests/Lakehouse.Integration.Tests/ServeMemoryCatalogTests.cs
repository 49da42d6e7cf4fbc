using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Lakehouse.Server.FlightSql.Protocol;

namespace Lakehouse.Integration.Tests;

/// <summary>Tables created through one Flight SQL connection of `lakehouse serve` are seen by the others.</summary>
public sealed class ServeMemoryCatalogTests : IAsyncLifetime
{
    private ServeHost? _host;

    public async Task InitializeAsync()
    {
        _host = await ServeHost.StartAsync(Path.GetTempPath());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task UpdatesReportRowCountsAndTablesAreSharedBetweenConnections()
    {
        Assert.Equal(0, await UpdateAsync("CREATE TABLE kv (k INTEGER, v VARCHAR)"));
        Assert.Equal(3, await UpdateAsync("INSERT INTO kv VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
        Assert.Equal(2, await UpdateAsync("CREATE TABLE kv_copy AS SELECT * FROM kv WHERE k > 1"));

        var batches = await QueryAsync("SELECT sum(k), count(*) FROM kv");
        var batch = Assert.Single(batches, b => b.Length > 0);
        Assert.Equal(6L, ((Int64Array)batch.Column(0)).GetValue(0));
        Assert.Equal(3L, ((Int64Array)batch.Column(1)).GetValue(0));

        var copy = await QueryAsync("SELECT v FROM kv_copy ORDER BY v");
        var values = Assert.Single(copy, b => b.Length > 0);
        Assert.Equal(["b", "c"], Enumerable.Range(0, values.Length).Select(i => ((StringArray)values.Column(0)).GetString(i)));

        Assert.Equal(0, await UpdateAsync("DROP TABLE kv"));
        await Assert.ThrowsAnyAsync<Exception>(() => QueryAsync("SELECT * FROM kv"));
    }

    private async Task<long> UpdateAsync(string sql)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_host!.Port}");
        var client = new FlightClient(channel);
        var descriptor = FlightDescriptor.CreateCommandDescriptor(Any.Pack(new CommandStatementUpdate { Query = sql }).ToByteArray());
        using var call = await client.StartPut(descriptor, new Schema.Builder().Build());
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return DoPutUpdateResult.Parser.ParseFrom(call.ResponseStream.Current.ApplicationMetadata).RecordCount;
    }

    private async Task<List<RecordBatch>> QueryAsync(string sql)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_host!.Port}");
        var client = new FlightClient(channel);
        var descriptor = FlightDescriptor.CreateCommandDescriptor(Any.Pack(new CommandStatementQuery { Query = sql }).ToByteArray());
        var info = await client.GetInfo(descriptor);
        var batches = new List<RecordBatch>();
        foreach (var endpoint in info.Endpoints)
        {
            using var call = client.GetStream(endpoint.Ticket);
            await foreach (var batch in call.ResponseStream)
            {
                batches.Add(batch);
            }
        }

        return batches;
    }
}
