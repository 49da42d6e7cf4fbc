using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Planning;

public sealed record ScanMetrics
{
    public int ManifestsTotal { get; init; }

    public int ManifestsScanned { get; init; }

    public int ManifestsSkipped { get; init; }

    public int DataFilesTotal { get; init; }

    public int DataFilesKept { get; init; }

    public int DataFilesPrunedByPartition { get; init; }

    public int DataFilesPrunedByStats { get; init; }

    public long BytesKept { get; init; }

    public long BytesPruned { get; init; }

    public int DeleteFilesAttached { get; init; }

    public override string ToString() =>
        $"manifests {ManifestsScanned}/{ManifestsTotal} scanned ({ManifestsSkipped} skipped); data files {DataFilesKept}/{DataFilesTotal} kept " +
        $"({DataFilesPrunedByPartition} pruned by partition, {DataFilesPrunedByStats} by stats); bytes kept {BytesKept}, pruned {BytesPruned}; delete files attached {DeleteFilesAttached}";
}

public sealed record IcebergScanResult
{
    /// <summary>Null when the table has no snapshot.</summary>
    public Snapshot? Snapshot { get; init; }

    public required Schema Schema { get; init; }

    public required IReadOnlyDictionary<int, PartitionSpec> PartitionSpecs { get; init; }

    public required IReadOnlyList<FileScanTask> Tasks { get; init; }

    public required ScanMetrics Metrics { get; init; }
}
