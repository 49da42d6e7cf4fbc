using BenchmarkDotNet.Attributes;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Writing.Parquet;
using Lakehouse.Storage;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// Decoding one Parquet data file (1M lineitem-like rows, written by our Iceberg writer with its
/// default zstd compression) into Arrow batches through the Iceberg data file reader.
/// </summary>
[MicroBenchmarkJob]
public class ParquetDecodeBenchmarks
{
    private string _folder = string.Empty;
    private FileScanTask _task = null!;
    private int[] _fieldIds = [];

    [Params("all_columns", "bigint", "decimal", "date", "varchar_low_card", "varchar_high_card")]
    public string Columns { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _fieldIds = Columns switch
        {
            "all_columns" => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "bigint" => [1],
            "decimal" => [3],
            "date" => [8],
            "varchar_low_card" => [9],
            "varchar_high_card" => [10],
            _ => throw new ArgumentException($"unknown column case '{Columns}'"),
        };
        _folder = Path.Combine(Path.GetTempPath(), "lakehouse-microbenchmarks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var file = IcebergParquetWriter.Write(
            LocalFileIO.Instance,
            Path.Combine(_folder, "lineitem.parquet"),
            LineitemData.IcebergSchema,
            LineitemData.Generate(),
            [],
            0);
        _task = new FileScanTask
        {
            File = file,
            Deletes = [],
            Schema = LineitemData.IcebergSchema,
            IdentityPartitionValues = new Dictionary<int, object?>(),
        };
        long rows = DecodeRows();
        if (rows != LineitemData.RowCount)
        {
            throw new InvalidOperationException($"decoded {rows} rows from {file.Path}, expected {LineitemData.RowCount}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = LineitemData.RowCount)]
    public long DecodeRows()
    {
        long rows = 0;
        foreach (var batch in IcebergDataFileReader.Read(LocalFileIO.Instance, _task, _fieldIds))
        {
            rows += batch.Length;
        }

        return rows;
    }
}
