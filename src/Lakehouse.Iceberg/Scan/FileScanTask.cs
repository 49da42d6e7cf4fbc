using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Scan;

public enum FileContent
{
    Data = 0,
    PositionDeletes = 1,
    EqualityDeletes = 2,
}

public enum FileFormat
{
    Parquet,
    Avro,
    Orc,
    Puffin,
}

/// <summary>
/// A data or delete file as recorded in a manifest, with its path already resolved to where the
/// file actually is (see the path remapping rules). Bounds are kept in the spec's single-value
/// binary form and decoded on demand.
/// </summary>
public sealed record DataFile
{
    public required FileContent Content { get; init; }

    /// <summary>Resolved path, readable through the table's file IO.</summary>
    public required string Path { get; init; }

    /// <summary>The path exactly as recorded in the manifest (position delete files refer to data files by it).</summary>
    public required string RecordedPath { get; init; }

    public required FileFormat Format { get; init; }

    public required int SpecId { get; init; }

    /// <summary>Partition tuple in partition-spec field order, values in the .NET forms of <see cref="IcebergType"/>.</summary>
    public required IReadOnlyList<object?> Partition { get; init; }

    public required long RecordCount { get; init; }

    public required long FileSizeInBytes { get; init; }

    public IReadOnlyDictionary<int, long>? ColumnSizes { get; init; }

    public IReadOnlyDictionary<int, long>? ValueCounts { get; init; }

    public IReadOnlyDictionary<int, long>? NullValueCounts { get; init; }

    public IReadOnlyDictionary<int, long>? NanValueCounts { get; init; }

    public IReadOnlyDictionary<int, byte[]>? LowerBounds { get; init; }

    public IReadOnlyDictionary<int, byte[]>? UpperBounds { get; init; }

    public IReadOnlyList<int>? EqualityFieldIds { get; init; }

    public IReadOnlyList<long>? SplitOffsets { get; init; }

    public int? SortOrderId { get; init; }

    /// <summary>v3: for deletion vectors and targeted position deletes, the data file they apply to (recorded form).</summary>
    public string? ReferencedDataFile { get; init; }

    /// <summary>v3 deletion vectors: the blob's offset and length inside the Puffin file.</summary>
    public long? ContentOffset { get; init; }

    public long? ContentSizeInBytes { get; init; }

    public long? FirstRowId { get; init; }

    /// <summary>Data sequence number after inheritance (null for v1 tables, which behaves as 0).</summary>
    public long? DataSequenceNumber { get; init; }

    public long? FileSequenceNumber { get; init; }
}

/// <summary>
/// One unit of scan work: a data file, the delete files that apply to it, and what is needed to
/// read it into the table's schema.
/// </summary>
public sealed record FileScanTask
{
    public required DataFile File { get; init; }

    /// <summary>Position delete files, deletion vectors and equality delete files that apply to <see cref="File"/>.</summary>
    public required IReadOnlyList<DataFile> Deletes { get; init; }

    /// <summary>The schema the scan reads with (the snapshot's schema for time travel).</summary>
    public required Schema Schema { get; init; }

    /// <summary>
    /// Values of identity-partitioned source columns, by source field id, for columns a data
    /// file may not contain.
    /// </summary>
    public required IReadOnlyDictionary<int, object?> IdentityPartitionValues { get; init; }

    /// <summary>Table property <c>schema.name-mapping.default</c> as JSON text, for files without field ids.</summary>
    public string? NameMappingJson { get; init; }
}
