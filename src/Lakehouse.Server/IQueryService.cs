using Apache.Arrow;

namespace Lakehouse.Server;

/// <summary>What the Flight SQL endpoint and the command line need from a query engine.</summary>
public interface IQueryService
{
    /// <summary>Parses and plans <paramref name="sql"/>; errors in the statement surface here, before any row is produced.</summary>
    Task<IQueryResult> ExecuteAsync(string sql, CancellationToken cancellationToken);
}

/// <summary>A planned query whose batches are produced when read.</summary>
public interface IQueryResult : IAsyncDisposable
{
    Schema Schema { get; }

    IAsyncEnumerable<RecordBatch> ReadAllAsync(CancellationToken cancellationToken);
}
