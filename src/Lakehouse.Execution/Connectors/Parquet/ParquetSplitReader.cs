using Apache.Arrow;
using Lakehouse.Execution.Connectors.Iceberg;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// Worker-side reader of <c>read_parquet</c> splits. A split is an Iceberg file scan task over a
/// synthesized schema and name mapping, so decoding is the Iceberg Parquet reader's.
/// </summary>
public sealed class ParquetSplitReader : ISplitReader
{
    public const string Id = "parquet";

    private readonly IcebergSplitReader _reader;

    public ParquetSplitReader(IFileIO io) => _reader = new IcebergSplitReader(io);

    public string ConnectorId => Id;

    public IAsyncEnumerable<RecordBatch> ReadAsync(ScanSplit split, CancellationToken cancellationToken) => _reader.ReadAsync(split, cancellationToken);
}
