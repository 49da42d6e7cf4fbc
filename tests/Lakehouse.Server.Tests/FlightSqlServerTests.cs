using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Server.Client;
using Lakehouse.Server.FlightSql;
using Lakehouse.Server.FlightSql.Protocol;
using Lakehouse.Server.Formatting;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class FlightSqlServerTests : IClassFixture<ScriptedServerFixture>, IDisposable
{
    private readonly ScriptedServerFixture _fixture;
    private readonly GrpcChannel _channel;
    private readonly FlightClient _client;

    public FlightSqlServerTests(ScriptedServerFixture fixture)
    {
        _fixture = fixture;
        _channel = FlightChannels.Open(fixture.Server.Address);
        _client = FlightChannels.CreateClient(_channel);
    }

    public void Dispose() => _channel.Dispose();

    private static FlightDescriptor Command(IMessage command) =>
        FlightDescriptor.CreateCommandDescriptor(Any.Pack(command).ToByteArray());

    private async Task<List<RecordBatch>> FetchAsync(FlightTicket ticket)
    {
        var batches = new List<RecordBatch>();
        using var call = _client.GetStream(ticket);
        await foreach (var batch in call.ResponseStream)
        {
            batches.Add(batch);
        }

        return batches;
    }

    [Fact]
    public void ServerListensOnTheRequestedFreePort()
    {
        Assert.True(_fixture.Server.Port > 0);
        Assert.Equal($"grpc://127.0.0.1:{_fixture.Server.Port}", _fixture.Server.Address);
    }

    [Fact]
    public async Task StatementQueryRoundTripsTheEngineResult()
    {
        var info = await _client.GetInfo(Command(new CommandStatementQuery { Query = ScriptedQueryService.TwoBatchQuery }));

        Assert.NotNull(info.Schema);
        Assert.Equal(["x", "y", "id"], info.Schema.FieldsList.Select(field => field.Name));
        var endpoint = Assert.Single(info.Endpoints);
        var ticket = Any.Parser.ParseFrom(endpoint.Ticket.Ticket);
        Assert.Equal("type.googleapis.com/arrow.flight.protocol.sql.TicketStatementQuery", ticket.TypeUrl);

        var received = await FetchAsync(endpoint.Ticket);
        var expected = ScriptedQueryService.TwoBatches();
        Assert.Equal(expected.Sum(batch => batch.Length), received.Sum(batch => batch.Length));
        Assert.Equal(
            ResultFormatter.ToJsonLines(ScriptedQueryService.TwoBatchSchema, expected),
            ResultFormatter.ToJsonLines(info.Schema, received));
    }

    [Fact]
    public async Task UuidColumnsKeepTheirExtensionTypeOverTheWire()
    {
        var info = await _client.GetInfo(Command(new CommandStatementQuery { Query = ScriptedQueryService.TwoBatchQuery }));
        var received = await FetchAsync(info.Endpoints.First().Ticket);
        Assert.Contains("\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"", ResultFormatter.ToJsonLines(info.Schema, received));
    }

    [Fact]
    public async Task EmptyResultStillCarriesItsSchema()
    {
        var info = await _client.GetInfo(Command(new CommandStatementQuery { Query = ScriptedQueryService.EmptyQuery }));
        using var call = _client.GetStream(info.Endpoints.First().Ticket);
        var schema = await call.ResponseStream.Schema;
        Assert.Equal(3, schema.FieldsList.Count);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task BadSqlIsInvalidArgumentWithCodeAndMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetInfo(Command(new CommandStatementQuery { Query = "SELEC 1" })));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("[SQL_SYNTAX_ERROR] line 1:1: cannot parse statement 'SELEC 1'", error.Status.Detail);
    }

    [Fact]
    public async Task ErrorWhileStreamingReachesTheClientWithItsCode()
    {
        var info = await _client.GetInfo(Command(new CommandStatementQuery { Query = ScriptedQueryService.FailingDuringExecutionQuery }));
        var error = await Assert.ThrowsAsync<RpcException>(() => FetchAsync(info.Endpoints.First().Ticket));
        Assert.StartsWith("[STORAGE_FILE_NOT_FOUND] data file 'warehouse/t/data/0.parquet'", error.Status.Detail);
    }

    [Fact]
    public async Task TicketCanBeFetchedAgainAndIsPlannedAnew()
    {
        var info = await _client.GetInfo(Command(new CommandStatementQuery { Query = ScriptedQueryService.TwoBatchQuery }));
        var ticket = info.Endpoints.First().Ticket;
        var first = await FetchAsync(ticket);
        var before = _fixture.QueryService.Executions;
        var second = await FetchAsync(ticket);
        Assert.Equal(before + 1, _fixture.QueryService.Executions);
        Assert.Equal(ResultFormatter.ToJsonLines(info.Schema, first), ResultFormatter.ToJsonLines(info.Schema, second));
    }

    [Fact]
    public async Task UnknownStatementHandleIsRejected()
    {
        var ticket = new FlightTicket(Any.Pack(new TicketStatementQuery { StatementHandle = ByteString.CopyFromUtf8("nope") }).ToByteString());
        var error = await Assert.ThrowsAsync<RpcException>(() => FetchAsync(ticket));
        Assert.StartsWith("[FLIGHT_UNKNOWN_STATEMENT]", error.Status.Detail);
    }

    [Fact]
    public async Task GarbageDescriptorIsRejectedWithCode()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetInfo(FlightDescriptor.CreateCommandDescriptor("SELECT 1")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("[FLIGHT_BAD_COMMAND]", error.Status.Detail);
    }

    [Fact]
    public async Task GetSchemaPlansWithoutFetching()
    {
        var schema = await _client.GetSchema(Command(new CommandStatementQuery { Query = ScriptedQueryService.TwoBatchQuery }));
        Assert.Equal(["x", "y", "id"], schema.FieldsList.Select(field => field.Name));
    }

    [Fact]
    public async Task PreparedStatementLifecycle()
    {
        var create = new FlightAction(
            LakehouseFlightServer.CreatePreparedStatementAction,
            Any.Pack(new ActionCreatePreparedStatementRequest { Query = ScriptedQueryService.TwoBatchQuery }).ToByteString());
        var results = new List<FlightResult>();
        using (var call = _client.DoAction(create))
        {
            await foreach (var result in call.ResponseStream.ReadAllAsync())
            {
                results.Add(result);
            }
        }

        var created = Any.Parser.ParseFrom(Assert.Single(results).Body).Unpack<ActionCreatePreparedStatementResult>();
        var datasetSchema = ArrowIpc.DeserializeSchema(created.DatasetSchema.Memory);
        Assert.Equal(["x", "y", "id"], datasetSchema.FieldsList.Select(field => field.Name));

        var query = Command(new CommandPreparedStatementQuery { PreparedStatementHandle = created.PreparedStatementHandle });
        var info = await _client.GetInfo(query);
        var rows = (await FetchAsync(info.Endpoints.First().Ticket)).Sum(batch => batch.Length);
        Assert.Equal(3, rows);

        var close = new FlightAction(
            LakehouseFlightServer.ClosePreparedStatementAction,
            Any.Pack(new ActionClosePreparedStatementRequest { PreparedStatementHandle = created.PreparedStatementHandle }).ToByteString());
        using (var call = _client.DoAction(close))
        {
            Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.GetInfo(query));
        Assert.StartsWith("[FLIGHT_UNKNOWN_PREPARED_STATEMENT]", error.Status.Detail);
    }

    [Fact]
    public async Task ListActionsNamesPreparedStatementActions()
    {
        var names = new List<string>();
        using var call = _client.ListActions();
        await foreach (var action in call.ResponseStream.ReadAllAsync())
        {
            names.Add(action.Type);
        }

        Assert.Equal([LakehouseFlightServer.CreatePreparedStatementAction, LakehouseFlightServer.ClosePreparedStatementAction], names);
    }

    [Fact]
    public async Task UnknownActionIsUnimplemented()
    {
        using var call = _client.DoAction(new FlightAction("Frobnicate", ByteString.Empty));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task CatalogCommandsReturnSpecShapedResults()
    {
        var catalogs = await _client.GetInfo(Command(new CommandGetCatalogs()));
        Assert.Equal(MetadataResults.CatalogsSchema.FieldsList.Select(field => field.Name), catalogs.Schema.FieldsList.Select(field => field.Name));
        Assert.Equal(0, (await FetchAsync(catalogs.Endpoints.First().Ticket)).Sum(batch => batch.Length));

        var schemas = await _client.GetInfo(Command(new CommandGetDbSchemas()));
        Assert.Equal(["catalog_name", "db_schema_name"], schemas.Schema.FieldsList.Select(field => field.Name));
        Assert.False(schemas.Schema.GetFieldByName("db_schema_name").IsNullable);

        var tables = await _client.GetInfo(Command(new CommandGetTables { IncludeSchema = true }));
        Assert.Equal(["catalog_name", "db_schema_name", "table_name", "table_type", "table_schema"], tables.Schema.FieldsList.Select(field => field.Name));
        Assert.Equal(0, (await FetchAsync(tables.Endpoints.First().Ticket)).Sum(batch => batch.Length));

        var withoutSchema = await _client.GetInfo(Command(new CommandGetTables()));
        Assert.Equal(4, withoutSchema.Schema.FieldsList.Count);

        var types = await _client.GetInfo(Command(new CommandGetTableTypes()));
        var typeRows = await FetchAsync(types.Endpoints.First().Ticket);
        Assert.Equal("{\"table_type\":\"TABLE\"}\n", ResultFormatter.ToJsonLines(types.Schema, typeRows));
    }

    [Fact]
    public async Task SqlInfoAnswersWithDenseUnionValues()
    {
        var info = await _client.GetInfo(Command(new CommandGetSqlInfo { Info = { (uint)SqlInfo.FlightSqlServerName, (uint)SqlInfo.FlightSqlServerReadOnly } }));
        Assert.Equal(["info_name", "value"], info.Schema.FieldsList.Select(field => field.Name));
        var batches = await FetchAsync(info.Endpoints.First().Ticket);
        var batch = Assert.Single(batches);
        Assert.Equal(2, batch.Length);
        var names = (UInt32Array)batch.Column(0);
        Assert.Equal((uint)SqlInfo.FlightSqlServerName, names.GetValue(0));
        var values = (DenseUnionArray)batch.Column(1);
        Assert.Equal(0, values.TypeIds[0]);
        Assert.Equal("Lakehouse", ((StringArray)values.Fields[0]).GetString(values.ValueOffsets[0]));
        Assert.Equal(1, values.TypeIds[1]);
        Assert.True(((BooleanArray)values.Fields[1]).GetValue(values.ValueOffsets[1]));

        var all = await _client.GetInfo(Command(new CommandGetSqlInfo()));
        Assert.True((await FetchAsync(all.Endpoints.First().Ticket)).Sum(rows => rows.Length) > 5);
    }

    [Fact]
    public async Task UpdateStatementsAreRunThroughTheEngine()
    {
        using var call = await _client.StartPut(Command(new CommandStatementUpdate { Query = "DELETE FROM t" }), new Schema.Builder().Build());
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.StartsWith("[SQL_SYNTAX_ERROR]", error.Status.Detail);
    }

    [Fact]
    public async Task QueryClientReadsEveryEndpoint()
    {
        using var client = new FlightSqlQueryClient(_fixture.Server.Address);
        var result = await client.ExecuteAsync(ScriptedQueryService.TwoBatchQuery, CancellationToken.None);
        var batches = new List<RecordBatch>();
        await foreach (var batch in result.ReadAllAsync(CancellationToken.None))
        {
            batches.Add(batch);
        }

        Assert.Equal(
            ResultFormatter.ToJsonLines(ScriptedQueryService.TwoBatchSchema, ScriptedQueryService.TwoBatches()),
            ResultFormatter.ToJsonLines(result.Schema, batches));
    }

    [Fact]
    public async Task QueryClientTranslatesServerErrorsToCodedExceptions()
    {
        using var client = new FlightSqlQueryClient(_fixture.Server.Address);
        var error = await Assert.ThrowsAsync<LakehouseServerException>(() => client.ExecuteAsync("nonsense", CancellationToken.None));
        Assert.Equal("SQL_SYNTAX_ERROR", error.Code);
        Assert.Equal("line 1:1: cannot parse statement 'nonsense'", error.Message);
    }
}
