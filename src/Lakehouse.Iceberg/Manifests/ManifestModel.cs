using Lakehouse.Iceberg.Scan;

namespace Lakehouse.Iceberg.Manifests;

public enum ManifestContent
{
    Data = 0,
    Deletes = 1,
}

/// <summary>Summary of one partition field over all files of a manifest (bounds in binary single-value form).</summary>
public sealed record PartitionFieldSummary(bool ContainsNull, bool? ContainsNaN, byte[]? LowerBound, byte[]? UpperBound);

/// <summary>An entry of a manifest list.</summary>
public sealed record ManifestFile
{
    /// <summary>The path as recorded in the manifest list.</summary>
    public required string RecordedPath { get; init; }

    /// <summary>The path resolved against the table folder.</summary>
    public required string Path { get; init; }

    public long Length { get; init; }

    /// <summary>-1 when unknown (v1 snapshots listing manifests inline): the manifest's own metadata says.</summary>
    public required int PartitionSpecId { get; init; }

    public ManifestContent Content { get; init; }

    public long SequenceNumber { get; init; }

    public long MinSequenceNumber { get; init; }

    public long? AddedSnapshotId { get; init; }

    public int? AddedFilesCount { get; init; }

    public int? ExistingFilesCount { get; init; }

    public int? DeletedFilesCount { get; init; }

    public long? AddedRowsCount { get; init; }

    public long? ExistingRowsCount { get; init; }

    public long? DeletedRowsCount { get; init; }

    public IReadOnlyList<PartitionFieldSummary>? Partitions { get; init; }

    public byte[]? KeyMetadata { get; init; }

    public long? FirstRowId { get; init; }
}

public enum ManifestEntryStatus
{
    Existing = 0,
    Added = 1,
    Deleted = 2,
}

/// <summary>A manifest entry with sequence numbers already inherited from the manifest list.</summary>
public sealed record ManifestEntry(ManifestEntryStatus Status, long? SnapshotId, DataFile File);
