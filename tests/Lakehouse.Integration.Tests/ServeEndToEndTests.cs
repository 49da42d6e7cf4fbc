using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Lakehouse.Server;
using Lakehouse.Server.FlightSql.Protocol;
using Lakehouse.Server.Formatting;

namespace Lakehouse.Integration.Tests;

/// <summary>
/// Starts `lakehouse serve` on the shared Iceberg tables, queries it with the Apache Arrow Flight
/// client using Flight SQL messages, and compares the Arrow data with the embedded engine's.
/// </summary>
public sealed class ServeEndToEndTests : IAsyncLifetime
{
    private const string Lineitem = "iceberg_scan('duckdb-iceberg/data/persistent/iceberg/lineitem_iceberg')";

    private ServeHost? _host;

    public static TheoryData<string> Queries => new()
    {
        $"SELECT count(*) FROM {Lineitem}",
        $"SELECT l_returnflag, l_linestatus, count(*), sum(l_quantity) FROM {Lineitem} GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus",
        $"SELECT l_orderkey, l_partkey, l_shipdate, l_extendedprice FROM {Lineitem} WHERE l_shipdate >= DATE '1994-01-01' ORDER BY l_orderkey, l_partkey LIMIT 50",
        "SELECT id, name, bir FROM iceberg_scan('duckdb-iceberg/data/persistent/equality_deletes/warehouse/mydb/mytable') ORDER BY id",
    };

    public async Task InitializeAsync()
    {
        _host = await ServeHost.StartAsync(RepositoryPaths.SharedIceberg);
        Assert.Contains($":{_host.Port}", _host.ListeningLine);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task FlightSqlClientGetsTheSameArrowDataAsTheEmbeddedEngine(string sql)
    {
        var (flightSchema, flightBatches) = await QueryOverFlightSqlAsync(sql);
        var (embeddedSchema, embeddedBatches) = await QueryEmbeddedAsync(sql);

        Assert.Equal(FieldSummary(embeddedSchema), FieldSummary(flightSchema));
        Assert.True(embeddedBatches.Sum(batch => batch.Length) > 0, "the query should return rows");
        Assert.Equal(embeddedBatches.Sum(batch => batch.Length), flightBatches.Sum(batch => batch.Length));
        Assert.Equal(ResultFormatter.ToJsonLines(embeddedSchema, embeddedBatches), ResultFormatter.ToJsonLines(flightSchema, flightBatches));
    }

    [Fact]
    public async Task StatementErrorsComeBackAsOneLineWithTheirCode()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => QueryOverFlightSqlAsync("SELECT no_such_column FROM " + Lineitem));
        var report = LakehouseErrors.Describe(exception);
        Assert.Equal("COLUMN_NOT_FOUND", report.Code);
        Assert.Contains("no_such_column", report.Message);
        Assert.DoesNotContain('\n', report.Message);
    }

    private async Task<(Schema Schema, List<RecordBatch> Batches)> QueryOverFlightSqlAsync(string sql)
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

        return (info.Schema, batches);
    }

    private static async Task<(Schema Schema, List<RecordBatch> Batches)> QueryEmbeddedAsync(string sql)
    {
        await using var engine = EmbeddedEngine.Create(RepositoryPaths.SharedIceberg);
        await using var result = await engine.QueryService.ExecuteAsync(sql, CancellationToken.None);
        var batches = new List<RecordBatch>();
        await foreach (var batch in result.ReadAllAsync(CancellationToken.None))
        {
            batches.Add(batch);
        }

        return (result.Schema, batches);
    }

    private static List<string> FieldSummary(Schema schema) =>
        schema.FieldsList.Select(field => $"{field.Name}:{field.DataType.Name}").ToList();
}
