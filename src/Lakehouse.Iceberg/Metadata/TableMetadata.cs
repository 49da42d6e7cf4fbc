using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Metadata;

public sealed record PartitionField(int SourceId, int FieldId, string Name, Transform Transform)
{
    /// <summary>v3 multi-argument transforms list all their source columns; single-source fields hold just <see cref="SourceId"/>.</summary>
    public IReadOnlyList<int>? SourceIds { get; init; }
}

public sealed class PartitionSpec
{
    public static readonly PartitionSpec Unpartitioned = new(0, Array.Empty<PartitionField>());

    public PartitionSpec(int specId, IReadOnlyList<PartitionField> fields)
    {
        SpecId = specId;
        Fields = fields;
    }

    public int SpecId { get; }

    public IReadOnlyList<PartitionField> Fields { get; }

    /// <summary>True when no field partitions data (no fields, or only void transforms).</summary>
    public bool IsUnpartitioned
    {
        get
        {
            foreach (var f in Fields)
            {
                if (f.Transform is not VoidTransform)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The partition tuple type for <paramref name="schema"/>; a field whose source column is gone gets the unknown type.</summary>
    public StructType PartitionType(Schema schema)
    {
        var fields = new List<NestedField>(Fields.Count);
        foreach (var f in Fields)
        {
            var source = schema.FindField(f.SourceId);
            var type = source is null ? PrimitiveType.Unknown : f.Transform.ResultType(source.Type);
            fields.Add(new NestedField(f.FieldId, f.Name, false, type));
        }

        return new StructType(fields);
    }
}

public enum SortDirection
{
    Ascending,
    Descending,
}

public enum NullOrder
{
    NullsFirst,
    NullsLast,
}

public sealed record SortField(int SourceId, Transform Transform, SortDirection Direction, NullOrder NullOrder);

public sealed record SortOrder(int OrderId, IReadOnlyList<SortField> Fields)
{
    public static readonly SortOrder Unsorted = new(0, Array.Empty<SortField>());
}

public sealed record Snapshot
{
    public required long SnapshotId { get; init; }

    public long? ParentSnapshotId { get; init; }

    /// <summary>0 for v1 tables.</summary>
    public long SequenceNumber { get; init; }

    public required long TimestampMs { get; init; }

    /// <summary>Location of the manifest list; null for v1 snapshots that list <see cref="Manifests"/> inline.</summary>
    public string? ManifestList { get; init; }

    public IReadOnlyList<string>? Manifests { get; init; }

    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    public string? Operation => Summary.GetValueOrDefault("operation");

    public int? SchemaId { get; init; }

    public long? FirstRowId { get; init; }

    public long? AddedRows { get; init; }

    public string? KeyId { get; init; }
}

public enum SnapshotRefType
{
    Branch,
    Tag,
}

public sealed record SnapshotRef(string Name, long SnapshotId, SnapshotRefType Type)
{
    public int? MinSnapshotsToKeep { get; init; }

    public long? MaxSnapshotAgeMs { get; init; }

    public long? MaxRefAgeMs { get; init; }
}

public sealed record SnapshotLogEntry(long SnapshotId, long TimestampMs);

public sealed record MetadataLogEntry(string MetadataFile, long TimestampMs);

public sealed record EncryptionKey(string KeyId, string EncryptedKeyMetadata, string? EncryptedById, IReadOnlyDictionary<string, string> Properties);

/// <summary>A parsed table metadata document (format versions 1 to 3).</summary>
public sealed class TableMetadata
{
    public required int FormatVersion { get; init; }

    public string? TableUuid { get; init; }

    public required string Location { get; init; }

    public long LastSequenceNumber { get; init; }

    public long LastUpdatedMs { get; init; }

    public int LastColumnId { get; init; }

    public required IReadOnlyList<Schema> Schemas { get; init; }

    public required int CurrentSchemaId { get; init; }

    public required IReadOnlyList<PartitionSpec> PartitionSpecs { get; init; }

    public required int DefaultSpecId { get; init; }

    public int LastPartitionId { get; init; }

    public IReadOnlyList<SortOrder> SortOrders { get; init; } = [SortOrder.Unsorted];

    public int DefaultSortOrderId { get; init; }

    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Null when the table has no current snapshot (-1 or absent in the document).</summary>
    public long? CurrentSnapshotId { get; init; }

    public IReadOnlyList<Snapshot> Snapshots { get; init; } = Array.Empty<Snapshot>();

    /// <summary>Branches and tags; for documents without refs, <c>main</c> points at the current snapshot.</summary>
    public IReadOnlyDictionary<string, SnapshotRef> Refs { get; init; } = new Dictionary<string, SnapshotRef>();

    public IReadOnlyList<SnapshotLogEntry> SnapshotLog { get; init; } = Array.Empty<SnapshotLogEntry>();

    public IReadOnlyList<MetadataLogEntry> MetadataLog { get; init; } = Array.Empty<MetadataLogEntry>();

    public long? NextRowId { get; init; }

    public IReadOnlyList<EncryptionKey> EncryptionKeys { get; init; } = Array.Empty<EncryptionKey>();

    public Schema CurrentSchema => SchemaById(CurrentSchemaId)!;

    public PartitionSpec DefaultSpec => SpecById(DefaultSpecId)!;

    public Snapshot? CurrentSnapshot => CurrentSnapshotId is { } id ? SnapshotById(id) : null;

    public string? NameMappingJson => Properties.GetValueOrDefault("schema.name-mapping.default");

    public Schema? SchemaById(int schemaId)
    {
        foreach (var s in Schemas)
        {
            if (s.SchemaId == schemaId)
            {
                return s;
            }
        }

        return null;
    }

    public PartitionSpec? SpecById(int specId)
    {
        foreach (var s in PartitionSpecs)
        {
            if (s.SpecId == specId)
            {
                return s;
            }
        }

        return null;
    }

    public Snapshot? SnapshotById(long snapshotId)
    {
        foreach (var s in Snapshots)
        {
            if (s.SnapshotId == snapshotId)
            {
                return s;
            }
        }

        return null;
    }
}
