using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>Worker-side reader of Iceberg splits: one data file, its deletes applied, projected by field id.</summary>
public sealed class IcebergSplitReader : ISplitReader
{
    public const string Id = "iceberg";

    private readonly IFileIO _io;

    public IcebergSplitReader(IFileIO io) => _io = io;

    public string ConnectorId => Id;

    public async IAsyncEnumerable<RecordBatch> ReadAsync(ScanSplit split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoded = IcebergSplitCodec.Decode(split.Payload);
        var remaining = decoded.Limit ?? long.MaxValue;

        // File decoding is synchronous and CPU-bound; yield to keep the caller's pipeline responsive.
        await Task.Yield();
        foreach (var batch in IcebergDataFileReader.Read(_io, decoded.Task, decoded.ProjectedFieldIds, ct: cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (batch.Length == 0)
            {
                batch.Dispose();
                continue;
            }

            if (batch.Length >= remaining)
            {
                yield return batch.Length == remaining ? batch : Slice(batch, (int)remaining);
                yield break;
            }

            remaining -= batch.Length;
            yield return batch;
        }
    }

    private static RecordBatch Slice(RecordBatch batch, int length)
    {
        var columns = new IArrowArray[batch.ColumnCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = ArrowArrayFactory.Slice(batch.Column(i), 0, length);
        }

        return new RecordBatch(batch.Schema, columns, length);
    }
}
