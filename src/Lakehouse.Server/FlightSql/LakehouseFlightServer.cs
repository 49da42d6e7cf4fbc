using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Lakehouse.Server.FlightSql.Protocol;

namespace Lakehouse.Server.FlightSql;

/// <summary>
/// The Flight SQL endpoint of the coordinator and the fragment endpoint of the worker, on one server.
/// A ticket whose Any type URL is <see cref="FlightSqlCommand.FragmentTypeUrl"/> carries a serialized
/// plan fragment for the local worker; every other ticket and descriptor is a Flight SQL command.
/// </summary>
public sealed class LakehouseFlightServer : FlightServer
{
    public const string CreatePreparedStatementAction = "CreatePreparedStatement";
    public const string ClosePreparedStatementAction = "ClosePreparedStatement";

    private readonly FlightSqlEndpoint _endpoint;

    public LakehouseFlightServer(FlightSqlEndpoint endpoint)
    {
        _endpoint = endpoint;
    }

    public override async Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context)
    {
        try
        {
            var command = ReadCommand(request.Command, "flight descriptor");
            if (FlightSqlCommand.Is<CommandStatementQuery>(command))
            {
                var sql = FlightSqlCommand.Unpack<CommandStatementQuery>(command).Query;
                return await PlanStatementAsync(sql, request, context.CancellationToken).ConfigureAwait(false);
            }

            if (FlightSqlCommand.Is<CommandPreparedStatementQuery>(command))
            {
                var sql = LookUpPrepared(FlightSqlCommand.Unpack<CommandPreparedStatementQuery>(command).PreparedStatementHandle);
                return await PlanStatementAsync(sql, request, context.CancellationToken).ConfigureAwait(false);
            }

            var schema = MetadataResults.SchemaFor(command) ?? throw Unsupported(command);
            var ticket = new FlightTicket(request.Command);
            return new FlightInfo(schema, request, [new FlightEndpoint(ticket, [])]);
        }
        catch (Exception exception)
        {
            throw LakehouseErrors.ToRpcException(exception);
        }
    }

    public override async Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context)
    {
        try
        {
            var command = ReadCommand(request.Command, "flight descriptor");
            if (FlightSqlCommand.Is<CommandStatementQuery>(command))
            {
                var sql = FlightSqlCommand.Unpack<CommandStatementQuery>(command).Query;
                return await PlanSchemaAsync(sql, context.CancellationToken).ConfigureAwait(false);
            }

            if (FlightSqlCommand.Is<CommandPreparedStatementQuery>(command))
            {
                var handle = FlightSqlCommand.Unpack<CommandPreparedStatementQuery>(command).PreparedStatementHandle;
                if (!_endpoint.Statements.TryGetPrepared(handle.Span, out _, out var preparedSchema) || preparedSchema is null)
                {
                    throw UnknownPrepared();
                }

                return preparedSchema;
            }

            return MetadataResults.SchemaFor(command) ?? throw Unsupported(command);
        }
        catch (Exception exception)
        {
            throw LakehouseErrors.ToRpcException(exception);
        }
    }

    public override async Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        try
        {
            var command = ReadCommand(ticket.Ticket, "ticket");
            var cancellationToken = context.CancellationToken;
            if (command.TypeUrl == FlightSqlCommand.FragmentTypeUrl)
            {
                await foreach (var batch in _endpoint.LocalWorker.ExecuteAsync(command.Value.ToByteArray(), cancellationToken).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(batch).ConfigureAwait(false);
                }

                return;
            }

            if (FlightSqlCommand.Is<TicketStatementQuery>(command))
            {
                var handle = FlightSqlCommand.Unpack<TicketStatementQuery>(command).StatementHandle;
                await StreamStatementAsync(handle, responseStream, cancellationToken).ConfigureAwait(false);
                return;
            }

            var metadata = MetadataResults.BatchFor(command, _endpoint.ServerVersion) ?? throw Unsupported(command);
            await responseStream.SetupStream(metadata.Schema).ConfigureAwait(false);
            if (metadata.Length > 0)
            {
                await responseStream.WriteAsync(metadata).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            throw LakehouseErrors.ToRpcException(exception);
        }
    }

    public override async Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context)
    {
        try
        {
            switch (request.Type)
            {
                case CreatePreparedStatementAction:
                {
                    var body = ReadCommand(request.Body, "action body");
                    var sql = FlightSqlCommand.Unpack<ActionCreatePreparedStatementRequest>(body).Query;
                    var schema = await PlanSchemaAsync(sql, context.CancellationToken).ConfigureAwait(false);
                    var handle = _endpoint.Statements.AddPrepared(sql, schema);
                    var result = new ActionCreatePreparedStatementResult
                    {
                        PreparedStatementHandle = ByteString.CopyFrom(handle),
                        DatasetSchema = ByteString.CopyFrom(ArrowIpc.SerializeSchema(schema)),
                    };
                    await responseStream.WriteAsync(new FlightResult(FlightSqlCommand.PackToByteString(result))).ConfigureAwait(false);
                    break;
                }

                case ClosePreparedStatementAction:
                {
                    var body = ReadCommand(request.Body, "action body");
                    var handle = FlightSqlCommand.Unpack<ActionClosePreparedStatementRequest>(body).PreparedStatementHandle;
                    _endpoint.Statements.RemovePrepared(handle.Span);
                    break;
                }

                default:
                    throw new RpcException(new Status(
                        StatusCode.Unimplemented,
                        $"[FLIGHT_UNSUPPORTED_ACTION] action '{request.Type}' is not supported"));
            }
        }
        catch (Exception exception)
        {
            throw LakehouseErrors.ToRpcException(exception);
        }
    }

    public override async Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new FlightActionType(
            CreatePreparedStatementAction,
            "Creates a reusable prepared statement from a SQL query")).ConfigureAwait(false);
        await responseStream.WriteAsync(new FlightActionType(
            ClosePreparedStatementAction,
            "Closes a prepared statement and releases its server resources")).ConfigureAwait(false);
    }

    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context) =>
        Task.CompletedTask;

    public override async Task Handshake(
        IAsyncStreamReader<FlightHandshakeRequest> requestStream,
        IAsyncStreamWriter<FlightHandshakeResponse> responseStream,
        ServerCallContext context)
    {
        // No authentication: every handshake succeeds and echoes the client's payload.
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(new FlightHandshakeResponse(requestStream.Current.Payload)).ConfigureAwait(false);
        }
    }

    public override async Task DoPut(
        FlightServerRecordBatchStreamReader requestStream,
        IAsyncStreamWriter<FlightPutResult> responseStream,
        ServerCallContext context)
    {
        try
        {
            FlightDescriptor descriptor;
            try
            {
                descriptor = await requestStream.FlightDescriptor.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not RpcException)
            {
                throw new LakehouseServerException("FLIGHT_BAD_COMMAND", "DoPut stream carried no flight descriptor", exception);
            }

            var command = ReadCommand(descriptor.Command, "flight descriptor");
            string sql;
            if (FlightSqlCommand.Is<CommandStatementUpdate>(command))
            {
                sql = FlightSqlCommand.Unpack<CommandStatementUpdate>(command).Query;
            }
            else if (FlightSqlCommand.Is<CommandPreparedStatementUpdate>(command))
            {
                sql = LookUpPrepared(FlightSqlCommand.Unpack<CommandPreparedStatementUpdate>(command).PreparedStatementHandle);
            }
            else
            {
                throw Unsupported(command);
            }

            var recordCount = await ExecuteUpdateAsync(sql, context.CancellationToken).ConfigureAwait(false);
            var update = new DoPutUpdateResult { RecordCount = recordCount };
            await responseStream.WriteAsync(new FlightPutResult(update.ToByteString())).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw LakehouseErrors.ToRpcException(exception);
        }
    }

    private async Task<FlightInfo> PlanStatementAsync(string sql, FlightDescriptor descriptor, CancellationToken cancellationToken)
    {
        var result = await _endpoint.QueryService.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        var handle = _endpoint.Statements.AddStatement(sql, result);
        var ticket = new TicketStatementQuery { StatementHandle = ByteString.CopyFrom(handle) };
        var endpoint = new FlightEndpoint(new FlightTicket(FlightSqlCommand.PackToByteString(ticket)), []);
        return new FlightInfo(result.Schema, descriptor, [endpoint]);
    }

    private async Task<Schema> PlanSchemaAsync(string sql, CancellationToken cancellationToken)
    {
        var result = await _endpoint.QueryService.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            return result.Schema;
        }
    }

    private async Task StreamStatementAsync(ByteString handle, FlightServerRecordBatchStreamWriter responseStream, CancellationToken cancellationToken)
    {
        if (!_endpoint.Statements.TryTakeStatement(handle.Span, out var sql, out var plannedResult))
        {
            throw new LakehouseServerException(
                "FLIGHT_UNKNOWN_STATEMENT",
                "statement handle in ticket is unknown or expired; call GetFlightInfo again");
        }

        var result = plannedResult ?? await _endpoint.QueryService.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            await responseStream.SetupStream(result.Schema).ConfigureAwait(false);
            await foreach (var batch in result.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    if (batch.Length > 0)
                    {
                        await responseStream.WriteAsync(batch).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private async Task<long> ExecuteUpdateAsync(string sql, CancellationToken cancellationToken)
    {
        var result = await _endpoint.QueryService.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            // INSERT and CREATE TABLE AS answer one bigint column `rows`: the update count is its value.
            bool rowCountResult = result.Schema.FieldsList is [{ Name: "rows", DataType: Apache.Arrow.Types.Int64Type }];
            long rows = 0;
            await foreach (var batch in result.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (rowCountResult && batch.Column(0) is Int64Array counts)
                {
                    for (int i = 0; i < counts.Length; i++)
                    {
                        rows += counts.GetValue(i) ?? 0;
                    }
                }
                else
                {
                    rows += batch.Length;
                }

                batch.Dispose();
            }

            return rows;
        }
    }

    private string LookUpPrepared(ByteString handle) =>
        _endpoint.Statements.TryGetPrepared(handle.Span, out var sql, out _) ? sql : throw UnknownPrepared();

    private static Any ReadCommand(ByteString bytes, string where) =>
        FlightSqlCommand.TryReadEnvelope(bytes)
        ?? throw new LakehouseServerException(
            "FLIGHT_BAD_COMMAND",
            $"{where} is not a Flight SQL command (expected a google.protobuf.Any with a type URL)");

    private static LakehouseServerException UnknownPrepared() =>
        new("FLIGHT_UNKNOWN_PREPARED_STATEMENT", "prepared statement handle is unknown, closed or expired");

    private static LakehouseServerException Unsupported(Any command) =>
        new("FLIGHT_UNSUPPORTED_COMMAND", $"Flight SQL command '{command.TypeUrl}' is not supported by this server");
}
