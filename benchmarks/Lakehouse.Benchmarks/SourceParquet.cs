using Apache.Arrow;
using ParquetSharp.Arrow;

namespace Lakehouse.Benchmarks;

/// <summary>Reads the generator's Parquet files as Arrow batches.</summary>
public static class SourceParquet
{
    public static Apache.Arrow.Schema ReadSchema(string path)
    {
        using var reader = new FileReader(path);
        return reader.Schema;
    }

    public static IEnumerable<RecordBatch> ReadBatches(string path)
    {
        using var reader = new FileReader(path);
        using var batches = reader.GetRecordBatchReader();
        while (batches.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            yield return batch;
        }
    }
}
