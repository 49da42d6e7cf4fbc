using System.Net;
using System.Net.Sockets;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Lakehouse.Cli;
using Lakehouse.Server.FlightSql.Protocol;

namespace Lakehouse.Integration.Tests;

/// <summary>Tables created through one Flight SQL connection of `lakehouse serve` are seen by the others.</summary>
public sealed class ServeMemoryCatalogTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FirstLineWriter _serverOutput = new();
    private readonly StringWriter _serverErrors = new();
    private Task<int>? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        _server = Task.Run(() => CliApp.RunAsync(
            ["serve", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _serverOutput,
            _serverErrors,
            Path.GetTempPath(),
            _stop.Token));
        var listening = await Task.WhenAny(_serverOutput.FirstLine.Task, _server, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(listening == _serverOutput.FirstLine.Task, "server did not start: " + _serverErrors);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_server is not null)
        {
            Assert.Equal(CliApp.Success, await _server.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        _stop.Dispose();
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
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_port}");
        var client = new FlightClient(channel);
        var descriptor = FlightDescriptor.CreateCommandDescriptor(Any.Pack(new CommandStatementUpdate { Query = sql }).ToByteArray());
        using var call = await client.StartPut(descriptor, new Schema.Builder().Build());
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return DoPutUpdateResult.Parser.ParseFrom(call.ResponseStream.Current.ApplicationMetadata).RecordCount;
    }

    private async Task<List<RecordBatch>> QueryAsync(string sql)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_port}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A writer that reports the first complete line written to it (the server's "listening" line).</summary>
    private sealed class FirstLineWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public TaskCompletionSource<string> FirstLine { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                if (value == '\n')
                {
                    FirstLine.TrySetResult(_text.ToString().Trim());
                }
            }
        }
    }
}
