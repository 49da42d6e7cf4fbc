using Lakehouse.Server;
using Lakehouse.Sql.Parsing;
using Lakehouse.Server.Client;
using Lakehouse.Server.Formatting;

namespace Lakehouse.Cli.Commands;

/// <summary><c>lakehouse sql</c>: runs one statement embedded, or against a server with <c>--server</c>.</summary>
public sealed class SqlCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["format", "server", "tables"];

    public string Name => "sql";

    public string Usage => "sql \"<SQL>\" [--format table|csv|jsonl] [--server grpc://host:port] [--tables <folder of Parquet table folders>]";

    public string Summary => "Runs a SQL statement and prints its result (embedded engine unless --server is given).";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments)
    {
        var parsed = CommandArguments.Parse(Name, arguments, ValueOptions);
        if (parsed.Positionals.Count != 1)
        {
            throw new CliUsageException(parsed.Positionals.Count == 0
                ? "missing SQL statement: lakehouse " + Usage
                : "expected exactly one SQL statement argument (quote the statement)");
        }

        var sql = parsed.Positionals[0];
        var formatName = parsed.Option("format") ?? "table";
        if (!ResultFormatter.TryParseFormat(formatName, out var format))
        {
            throw new CliUsageException($"unknown format '{formatName}' (expected table, csv or jsonl)");
        }

        var server = parsed.Option("server");
        if (server is not null)
        {
            using var client = new FlightSqlQueryClient(server);
            return await RunAsync(client, sql, format, context).ConfigureAwait(false);
        }

        var engine = EngineFor(context, parsed.Option("tables"));
        await using (engine.ConfigureAwait(false))
        {
            return await RunAsync(engine.QueryService, sql, format, context).ConfigureAwait(false);
        }
    }

    /// <summary>The engine; with <c>--tables</c> the sub-folders of that folder are tables by name.</summary>
    internal static IEngineHost EngineFor(CliContext context, string? tablesFolder) => tablesFolder is null
        ? context.EngineFactory(context.WorkingDirectory)
        : EmbeddedEngine.Create(context.WorkingDirectory, null, Path.GetFullPath(Path.Combine(context.WorkingDirectory, tablesFolder)));

    /// <summary>Runs each statement of a script (statements separated by semicolons) in turn, printing each result.</summary>
    private static async Task<int> RunAsync(IQueryService queryService, string sql, ResultFormat format, CliContext context)
    {
        IReadOnlyList<Lakehouse.Sql.Ast.Statement> statements;
        try
        {
            statements = SqlParser.ParseScript(sql);
        }
        catch (Lakehouse.Sql.SqlParseException)
        {
            // Let the engine (or the server) report the error, as it does for a single statement.
            statements = [];
        }

        if (statements.Count <= 1)
        {
            return await RunOneAsync(queryService, sql, format, context).ConfigureAwait(false);
        }

        foreach (var statement in statements)
        {
            await RunOneAsync(queryService, sql.Substring(statement.Span.Start, statement.Span.Length), format, context).ConfigureAwait(false);
        }

        return CliApp.Success;
    }

    private static async Task<int> RunOneAsync(IQueryService queryService, string sql, ResultFormat format, CliContext context)
    {
        var result = await queryService.ExecuteAsync(sql, context.CancellationToken).ConfigureAwait(false);
        await using (result.ConfigureAwait(false))
        {
            await ResultFormatter.WriteAsync(
                result.Schema,
                result.ReadAllAsync(context.CancellationToken),
                format,
                context.Stdout,
                context.CancellationToken).ConfigureAwait(false);
        }

        return CliApp.Success;
    }
}
