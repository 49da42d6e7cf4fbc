using System.Globalization;
using System.Text;
using Apache.Arrow;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Writing.Parquet;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Iceberg.Writing;

/// <summary>Options of <see cref="IcebergTableWriter.Append"/>.</summary>
public sealed record AppendOptions
{
    public static readonly AppendOptions Default = new();

    /// <summary>The new snapshot's id; a fresh random positive id when null.</summary>
    public long? SnapshotId { get; init; }

    /// <summary>Commit time in milliseconds since the epoch; now when null (kept after the previous snapshot's time).</summary>
    public long? TimestampMs { get; init; }

    public AvroCodec ManifestCodec { get; init; } = AvroCodec.Deflate;

    /// <summary>Extra snapshot summary entries (the writer's own counts win on conflict).</summary>
    public IReadOnlyDictionary<string, string>? Summary { get; init; }
}

/// <summary>
/// Creates format v2 tables in a file system (metadata files named <c>vN.metadata.json</c> plus
/// <c>version-hint.text</c>) and commits appends: one manifest per partition spec for the new files and a manifest
/// list that carries the previous snapshot's manifests forward.
/// </summary>
public static class IcebergTableWriter
{
    public const string TableExists = "TABLE_EXISTS";
    public const string CommitConflict = "COMMIT_CONFLICT";

    private const string VersionHintFile = "version-hint.text";

    /// <summary>Writes <c>metadata/v1.metadata.json</c> (no snapshot) and the version hint, and returns the new table.</summary>
    /// <param name="location">Table location: a local folder (made absolute) or a URI the file IO understands.</param>
    public static IcebergTable CreateTable(IFileIO io, string location, IcebergSchema schema, PartitionSpec spec, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(spec);
        var folder = NormalizeLocation(location);
        var metadataFolder = folder + "/metadata";
        foreach (var existing in io.ListFiles(metadataFolder))
        {
            if (existing.EndsWith(".metadata.json", StringComparison.Ordinal))
            {
                throw new IcebergException(TableExists, $"a table already exists at '{folder}' ({Path.GetFileName(existing)})");
            }
        }

        ValidateSpec(schema, spec);
        var lastPartitionId = 999;
        foreach (var f in spec.Fields)
        {
            lastPartitionId = Math.Max(lastPartitionId, f.FieldId);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metadata = new TableMetadata
        {
            FormatVersion = 2,
            TableUuid = Guid.NewGuid().ToString(),
            Location = folder,
            LastSequenceNumber = 0,
            LastUpdatedMs = now,
            LastColumnId = schema.HighestFieldId(),
            Schemas = [schema],
            CurrentSchemaId = schema.SchemaId,
            PartitionSpecs = [spec],
            DefaultSpecId = spec.SpecId,
            LastPartitionId = lastPartitionId,
            SortOrders = [SortOrder.Unsorted],
            DefaultSortOrderId = SortOrder.Unsorted.OrderId,
            Properties = properties is null ? new Dictionary<string, string>() : new Dictionary<string, string>(properties),
        };

        return Commit(io, folder, 1, metadata);
    }

    /// <summary>Commits a snapshot that appends <paramref name="files"/> and returns the table at the new metadata version.</summary>
    public static IcebergTable Append(IFileIO io, IcebergTable table, IReadOnlyList<DataFile> files, AppendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(files);
        options ??= AppendOptions.Default;
        var metadata = table.Metadata;
        if (metadata.FormatVersion != 2)
        {
            throw new IcebergException(IcebergException.Unsupported, $"appending to format version {metadata.FormatVersion} tables is not supported (only 2): {table.MetadataFileLocation}");
        }

        if (files.Count == 0)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"an append needs at least one data file: {table.TableFolder}");
        }

        var version = IcebergTable.VersionOf(Path.GetFileName(table.MetadataFileLocation))
            ?? throw new IcebergException(IcebergException.Unsupported, $"cannot derive the next metadata version from '{table.MetadataFileLocation}'");
        var parent = metadata.CurrentSnapshot;
        var snapshotId = options.SnapshotId ?? NewSnapshotId(metadata);
        if (metadata.SnapshotById(snapshotId) is not null)
        {
            throw new IcebergException(CommitConflict, $"snapshot id {snapshotId} is already used in {table.MetadataFileLocation}");
        }

        var sequenceNumber = metadata.LastSequenceNumber + 1;
        var timestampMs = Math.Max(options.TimestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (parent?.TimestampMs ?? 0) + 1);
        var commitId = Guid.NewGuid().ToString();

        var filesBySpec = new Dictionary<int, List<DataFile>>();
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        long addedRecords = 0, addedBytes = 0;
        foreach (var file in files)
        {
            if (file.Content != FileContent.Data)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"append accepts data files only, got {file.Content} file '{file.RecordedPath}'");
            }

            if (metadata.SpecById(file.SpecId) is null)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"data file '{file.RecordedPath}' refers to partition spec {file.SpecId}, which the table does not have");
            }

            if (!filesBySpec.TryGetValue(file.SpecId, out var list))
            {
                list = new List<DataFile>();
                filesBySpec[file.SpecId] = list;
            }

            list.Add(file);
            partitions.Add(file.SpecId.ToString(CultureInfo.InvariantCulture) + "/" + PartitionPath(metadata.SpecById(file.SpecId)!, metadata.CurrentSchema, file.Partition));
            addedRecords += file.RecordCount;
            addedBytes += file.FileSizeInBytes;
        }

        var manifests = new List<ManifestFile>();
        var manifestIndex = 0;
        foreach (var (specId, specFiles) in filesBySpec)
        {
            var name = $"metadata/{commitId}-m{manifestIndex++}.avro";
            manifests.Add(ManifestWriter.WriteDataManifest(
                io,
                table.TableFolder + "/" + name,
                metadata.Location + "/" + name,
                metadata.CurrentSchema,
                metadata.SpecById(specId)!,
                snapshotId,
                sequenceNumber,
                specFiles,
                options.ManifestCodec));
        }

        if (parent is not null)
        {
            if (parent.ManifestList is null)
            {
                throw new IcebergException(IcebergException.Unsupported, $"snapshot {parent.SnapshotId} lists manifests inline; appending to it is not supported");
            }

            manifests.AddRange(ManifestReader.ReadManifestList(table, parent.ManifestList));
        }

        var listName = $"metadata/snap-{snapshotId.ToString(CultureInfo.InvariantCulture)}-1-{commitId}.avro";
        ManifestWriter.WriteManifestList(io, table.TableFolder + "/" + listName, snapshotId, parent?.SnapshotId, sequenceNumber, manifests, options.ManifestCodec);

        var snapshot = new Snapshot
        {
            SnapshotId = snapshotId,
            ParentSnapshotId = parent?.SnapshotId,
            SequenceNumber = sequenceNumber,
            TimestampMs = timestampMs,
            ManifestList = metadata.Location + "/" + listName,
            Summary = Summary(parent, files.Count, addedRecords, addedBytes, partitions.Count, options.Summary),
            SchemaId = metadata.CurrentSchemaId,
        };

        var snapshots = new List<Snapshot>(metadata.Snapshots) { snapshot };
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal)
        {
            ["main"] = new SnapshotRef("main", snapshotId, SnapshotRefType.Branch),
        };
        var snapshotLog = new List<SnapshotLogEntry>(metadata.SnapshotLog) { new(snapshotId, timestampMs) };
        var metadataLog = new List<MetadataLogEntry>(metadata.MetadataLog) { new(RecordedMetadataPath(table), metadata.LastUpdatedMs) };
        var next = new TableMetadata
        {
            FormatVersion = metadata.FormatVersion,
            TableUuid = metadata.TableUuid,
            Location = metadata.Location,
            LastSequenceNumber = sequenceNumber,
            LastUpdatedMs = Math.Max(timestampMs, metadata.LastUpdatedMs),
            LastColumnId = metadata.LastColumnId,
            Schemas = metadata.Schemas,
            CurrentSchemaId = metadata.CurrentSchemaId,
            PartitionSpecs = metadata.PartitionSpecs,
            DefaultSpecId = metadata.DefaultSpecId,
            LastPartitionId = metadata.LastPartitionId,
            SortOrders = metadata.SortOrders,
            DefaultSortOrderId = metadata.DefaultSortOrderId,
            Properties = metadata.Properties,
            CurrentSnapshotId = snapshotId,
            Snapshots = snapshots,
            Refs = refs,
            SnapshotLog = snapshotLog,
            MetadataLog = metadataLog,
        };

        return Commit(io, table.TableFolder, version + 1, next);
    }

    /// <summary>
    /// Writes <paramref name="batches"/> (columns = the current schema's top-level fields, in order) as Parquet data
    /// files under <c>data/</c>: rows are grouped by their partition under the default spec, one file per partition.
    /// </summary>
    public static IReadOnlyList<DataFile> WriteDataFiles(IcebergTable table, IEnumerable<RecordBatch> batches, ParquetWriteOptions? parquetOptions = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(batches);
        var metadata = table.Metadata;
        var schema = metadata.CurrentSchema;
        var spec = metadata.DefaultSpec;
        var partitioner = new RowPartitioner(schema, spec);
        foreach (var batch in batches)
        {
            ct.ThrowIfCancellationRequested();
            if (batch.ColumnCount != schema.Columns.Count)
            {
                throw new IcebergException(IcebergParquetWriter.InvalidInput, $"batch has {batch.ColumnCount} columns, table schema has {schema.Columns.Count}: {table.TableFolder}");
            }

            partitioner.Add(batch);
        }

        var written = new List<DataFile>(partitioner.Groups.Count);
        var writeId = Guid.NewGuid().ToString("N");
        var fileIndex = 0;
        foreach (var group in partitioner.Groups)
        {
            var partitionFolder = spec.IsUnpartitioned || spec.Fields.Count == 0 ? string.Empty : PartitionPath(spec, schema, group.Values) + "/";
            var relative = $"data/{partitionFolder}{fileIndex++:D5}-{writeId}.parquet";
            var file = IcebergParquetWriter.Write(table.FileIO, table.TableFolder + "/" + relative, schema, group.Batches, group.Values, spec.SpecId, parquetOptions, ct);
            written.Add(file with { RecordedPath = metadata.Location + "/" + relative });
        }

        return written;
    }

    /// <summary>Writes the batches partitioned by the default spec and commits them as one append.</summary>
    public static IcebergTable AppendBatches(IcebergTable table, IEnumerable<RecordBatch> batches, ParquetWriteOptions? parquetOptions = null, AppendOptions? options = null, CancellationToken ct = default)
    {
        var files = WriteDataFiles(table, batches, parquetOptions, ct);
        return Append(table.FileIO, table, files, options);
    }

    /// <summary>The Hive-style folder of a partition tuple, e.g. <c>event_day=2024-01-01/country=DE</c>.</summary>
    public static string PartitionPath(PartitionSpec spec, IcebergSchema schema, IReadOnlyList<object?> values)
    {
        var path = new StringBuilder();
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            if (i > 0)
            {
                path.Append('/');
            }

            var sourceType = schema.FindField(field.SourceId)?.Type ?? Types.PrimitiveType.Unknown;
            path.Append(Uri.EscapeDataString(field.Name)).Append('=')
                .Append(Uri.EscapeDataString(PartitionText.Human(field.Transform, sourceType, i < values.Count ? values[i] : null)));
        }

        return path.ToString();
    }

    private static IcebergTable Commit(IFileIO io, string folder, long version, TableMetadata metadata)
    {
        var metadataPath = $"{folder}/metadata/v{version.ToString(CultureInfo.InvariantCulture)}.metadata.json";
        if (io.Exists(metadataPath))
        {
            throw new IcebergException(CommitConflict, $"metadata version {version} already exists at '{metadataPath}': the table changed concurrently");
        }

        var json = TableMetadataWriter.ToJson(metadata);
        using (var stream = io.Create(metadataPath))
        {
            stream.Write(Encoding.UTF8.GetBytes(json));
        }

        using (var hint = io.Create($"{folder}/metadata/{VersionHintFile}"))
        {
            hint.Write(Encoding.UTF8.GetBytes(version.ToString(CultureInfo.InvariantCulture)));
        }

        return IcebergTable.FromMetadata(io, folder, metadataPath, TableMetadataParser.Parse(json, metadataPath));
    }

    private static Dictionary<string, string> Summary(Snapshot? parent, int addedFiles, long addedRecords, long addedBytes, int changedPartitions, IReadOnlyDictionary<string, string>? extra)
    {
        var summary = new Dictionary<string, string>(StringComparer.Ordinal) { ["operation"] = "append" };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                summary[key] = value;
            }
        }

        static long Previous(Snapshot? parent, string key) =>
            parent is not null && parent.Summary.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

        summary["added-data-files"] = Text(addedFiles);
        summary["added-records"] = Text(addedRecords);
        summary["added-files-size"] = Text(addedBytes);
        summary["changed-partition-count"] = Text(changedPartitions);
        summary["total-records"] = Text(Previous(parent, "total-records") + addedRecords);
        summary["total-files-size"] = Text(Previous(parent, "total-files-size") + addedBytes);
        summary["total-data-files"] = Text(Previous(parent, "total-data-files") + addedFiles);
        summary["total-delete-files"] = Text(Previous(parent, "total-delete-files"));
        summary["total-position-deletes"] = Text(Previous(parent, "total-position-deletes"));
        summary["total-equality-deletes"] = Text(Previous(parent, "total-equality-deletes"));
        return summary;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long NewSnapshotId(TableMetadata metadata)
    {
        while (true)
        {
            var id = Random.Shared.NextInt64(1, long.MaxValue);
            if (metadata.SnapshotById(id) is null)
            {
                return id;
            }
        }
    }

    private static string RecordedMetadataPath(IcebergTable table)
    {
        var name = Path.GetFileName(table.MetadataFileLocation);
        return table.Metadata.Location + "/metadata/" + name;
    }

    private static string NormalizeLocation(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new IcebergException(IcebergException.InvalidValue, "a table location must not be empty");
        }

        var trimmed = location.TrimEnd('/');
        if (trimmed.Contains("://", StringComparison.Ordinal) && !trimmed.StartsWith("file:", StringComparison.Ordinal))
        {
            return trimmed;
        }

        return Path.GetFullPath(LocalFileIO.ToLocalPath(trimmed)).Replace('\\', '/').TrimEnd('/');
    }

    /// <summary>The source types the table spec allows for each transform.</summary>
    private static bool TransformApplies(Transforms.Transform transform, Types.TypeId source) => transform switch
    {
        Transforms.TimeTransform { Unit: Transforms.TimeUnit.Hour } => source is Types.TypeId.Timestamp or Types.TypeId.TimestampTz or Types.TypeId.TimestampNs or Types.TypeId.TimestampTzNs,
        Transforms.TimeTransform => source is Types.TypeId.Date or Types.TypeId.Timestamp or Types.TypeId.TimestampTz or Types.TypeId.TimestampNs or Types.TypeId.TimestampTzNs,
        Transforms.BucketTransform => source is Types.TypeId.Int or Types.TypeId.Long or Types.TypeId.Decimal or Types.TypeId.Date or Types.TypeId.Time
            or Types.TypeId.Timestamp or Types.TypeId.TimestampTz or Types.TypeId.TimestampNs or Types.TypeId.TimestampTzNs
            or Types.TypeId.String or Types.TypeId.Uuid or Types.TypeId.Fixed or Types.TypeId.Binary,
        Transforms.TruncateTransform => source is Types.TypeId.Int or Types.TypeId.Long or Types.TypeId.Decimal or Types.TypeId.String or Types.TypeId.Binary,
        Transforms.IdentityTransform => source is not (Types.TypeId.Variant or Types.TypeId.Geometry or Types.TypeId.Geography or Types.TypeId.Unknown),
        _ => true,
    };

    private static void ValidateSpec(IcebergSchema schema, PartitionSpec spec)
    {
        var ids = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in spec.Fields)
        {
            var source = schema.FindField(field.SourceId)
                ?? throw new IcebergException(IcebergException.InvalidValue, $"partition field '{field.Name}' refers to column id {field.SourceId}, which the schema does not have");
            if (!source.Type.IsPrimitive)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"partition field '{field.Name}' has a non-primitive source column '{source.Name}'");
            }

            if (!ids.Add(field.FieldId) || !names.Add(field.Name))
            {
                throw new IcebergException(IcebergException.InvalidValue, $"partition field '{field.Name}' (id {field.FieldId}) is defined twice");
            }

            if (field.Transform is Transforms.UnknownTransform)
            {
                throw new IcebergException(IcebergException.Unsupported, $"partition field '{field.Name}' uses unknown transform '{field.Transform}'");
            }

            if (!TransformApplies(field.Transform, source.Type.Id) || field.Transform.ResultType(source.Type).Id == Types.TypeId.Unknown)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"partition field '{field.Name}': transform {field.Transform} does not apply to {source.Type}");
            }
        }
    }
}
