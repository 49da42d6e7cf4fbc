using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>Reads manifest lists and manifests (format v1, v2, v3) into <see cref="ManifestFile"/>s and <see cref="ManifestEntry"/>s.</summary>
public static class ManifestReader
{
    public static IReadOnlyList<ManifestFile> ReadManifestList(IcebergTable table, string recordedPath)
    {
        var resolved = table.ResolvePath(recordedPath);
        var avro = AvroFileReader.Read(ReadFile(table.FileIO, resolved, "manifest list"), resolved);
        var result = new List<ManifestFile>(avro.Records.Count);
        foreach (var item in avro.Records)
        {
            var r = item as AvroRecord ?? throw Invalid(resolved, "a manifest list entry is not a record");
            var path = r.Get("manifest_path") as string ?? throw Invalid(resolved, "manifest list entry without manifest_path");
            List<PartitionFieldSummary>? partitions = null;
            if (r.Get("partitions") is List<object?> summaries)
            {
                partitions = new List<PartitionFieldSummary>(summaries.Count);
                foreach (var s in summaries)
                {
                    var sr = (AvroRecord)s!;
                    partitions.Add(new PartitionFieldSummary(
                        sr.Get("contains_null") as bool? ?? true,
                        sr.Get("contains_nan") as bool?,
                        sr.Get("lower_bound") as byte[],
                        sr.Get("upper_bound") as byte[]));
                }
            }

            result.Add(new ManifestFile
            {
                RecordedPath = path,
                Path = table.ResolvePath(path),
                Length = AsLong(r.Get("manifest_length")) ?? 0,
                PartitionSpecId = (int)(AsLong(r.Get("partition_spec_id")) ?? 0),
                Content = (ManifestContent)(AsLong(r.Get("content")) ?? 0),
                SequenceNumber = AsLong(r.Get("sequence_number")) ?? 0,
                MinSequenceNumber = AsLong(r.Get("min_sequence_number")) ?? 0,
                AddedSnapshotId = AsLong(r.Get("added_snapshot_id")),
                AddedFilesCount = (int?)AsLong(r.Get("added_files_count") ?? r.Get("added_data_files_count")),
                ExistingFilesCount = (int?)AsLong(r.Get("existing_files_count") ?? r.Get("existing_data_files_count")),
                DeletedFilesCount = (int?)AsLong(r.Get("deleted_files_count") ?? r.Get("deleted_data_files_count")),
                AddedRowsCount = AsLong(r.Get("added_rows_count")),
                ExistingRowsCount = AsLong(r.Get("existing_rows_count")),
                DeletedRowsCount = AsLong(r.Get("deleted_rows_count")),
                Partitions = partitions,
                KeyMetadata = r.Get("key_metadata") as byte[],
                FirstRowId = AsLong(r.Get("first_row_id")),
            });
        }

        return result;
    }

    /// <summary>Manifests of a v1 snapshot that lists them inline instead of through a manifest list.</summary>
    public static IReadOnlyList<ManifestFile> FromInlineManifests(IcebergTable table, IReadOnlyList<string> recordedPaths)
    {
        var result = new List<ManifestFile>(recordedPaths.Count);
        foreach (var p in recordedPaths)
        {
            result.Add(new ManifestFile { RecordedPath = p, Path = table.ResolvePath(p), PartitionSpecId = -1 });
        }

        return result;
    }

    /// <summary>Reads all entries (including deleted ones) of a manifest, with data files' paths resolved.</summary>
    public static IReadOnlyList<ManifestEntry> ReadManifest(IcebergTable table, ManifestFile manifest)
    {
        var avro = AvroFileReader.Read(ReadFile(table.FileIO, manifest.Path, "manifest"), manifest.Path);
        var metadata = table.Metadata;
        var specId = manifest.PartitionSpecId;
        if (specId < 0)
        {
            specId = int.TryParse(avro.MetadataString("partition-spec-id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromFile) ? fromFile : 0;
        }

        var spec = metadata.SpecById(specId) ?? SpecFromManifest(avro, specId)
            ?? throw Invalid(manifest.Path, $"partition spec {specId} is not in the table metadata");
        var partitionTypes = PartitionResultTypes(metadata, spec);
        var isV1 = metadata.FormatVersion == 1;
        var isDeleteManifest = manifest.Content == ManifestContent.Deletes;

        var entries = new List<ManifestEntry>(avro.Records.Count);
        long? nextRowId = manifest.FirstRowId;
        foreach (var item in avro.Records)
        {
            var r = item as AvroRecord ?? throw Invalid(manifest.Path, "a manifest entry is not a record");
            var status = (ManifestEntryStatus)(AsLong(r.Get("status")) ?? throw Invalid(manifest.Path, "manifest entry without status"));
            var df = r.Get("data_file") as AvroRecord ?? throw Invalid(manifest.Path, "manifest entry without data_file");
            var snapshotId = AsLong(r.Get("snapshot_id")) ?? manifest.AddedSnapshotId;
            long? dataSeq = AsLong(r.Get("sequence_number"));
            long? fileSeq = AsLong(r.Get("file_sequence_number"));
            if (!isV1)
            {
                // Null sequence numbers are inherited from the manifest list (spec: sequence number inheritance).
                dataSeq ??= manifest.SequenceNumber;
                fileSeq ??= status == ManifestEntryStatus.Added ? manifest.SequenceNumber : dataSeq;
            }

            var content = (FileContent)(AsLong(df.Get("content")) ?? (isDeleteManifest ? 1 : 0));
            var recordedPath = df.Get("file_path") as string ?? throw Invalid(manifest.Path, "data_file without file_path");
            var recordCount = AsLong(df.Get("record_count")) ?? throw Invalid(manifest.Path, $"data file '{recordedPath}' without record_count");
            long? firstRowId = AsLong(df.Get("first_row_id"));
            if (content == FileContent.Data && firstRowId is null && nextRowId is not null && status != ManifestEntryStatus.Deleted)
            {
                firstRowId = nextRowId;
                nextRowId += recordCount;
            }

            var file = new DataFile
            {
                Content = content,
                Path = table.ResolvePath(recordedPath),
                RecordedPath = recordedPath,
                Format = ParseFormat(df.Get("file_format") as string, manifest.Path),
                SpecId = spec.SpecId,
                Partition = DecodePartition(df.Get("partition") as AvroRecord, spec, partitionTypes, manifest.Path),
                RecordCount = recordCount,
                FileSizeInBytes = AsLong(df.Get("file_size_in_bytes")) ?? 0,
                ColumnSizes = LongMap(df.Get("column_sizes")),
                ValueCounts = LongMap(df.Get("value_counts")),
                NullValueCounts = LongMap(df.Get("null_value_counts")),
                NanValueCounts = LongMap(df.Get("nan_value_counts")),
                LowerBounds = BytesMap(df.Get("lower_bounds")),
                UpperBounds = BytesMap(df.Get("upper_bounds")),
                EqualityFieldIds = IntList(df.Get("equality_ids")),
                SplitOffsets = LongList(df.Get("split_offsets")),
                SortOrderId = (int?)AsLong(df.Get("sort_order_id")),
                ReferencedDataFile = df.Get("referenced_data_file") as string,
                ContentOffset = AsLong(df.Get("content_offset")),
                ContentSizeInBytes = AsLong(df.Get("content_size_in_bytes")),
                FirstRowId = firstRowId,
                DataSequenceNumber = dataSeq,
                FileSequenceNumber = fileSeq,
            };
            entries.Add(new ManifestEntry(status, snapshotId, file));
        }

        return entries;
    }

    /// <summary>Result types of a spec's partition fields, looking the source column up in every schema (newest first).</summary>
    public static IcebergType[] PartitionResultTypes(TableMetadata metadata, PartitionSpec spec)
    {
        var types = new IcebergType[spec.Fields.Count];
        for (var i = 0; i < types.Length; i++)
        {
            var f = spec.Fields[i];
            NestedField? source = metadata.CurrentSchema.FindField(f.SourceId);
            for (var s = metadata.Schemas.Count - 1; source is null && s >= 0; s--)
            {
                source = metadata.Schemas[s].FindField(f.SourceId);
            }

            types[i] = source is null ? PrimitiveType.Unknown : f.Transform.ResultType(source.Type);
        }

        return types;
    }

    /// <summary>Converts a raw Avro value to the .NET form of <paramref name="type"/>.</summary>
    public static object? ConvertAvroValue(object? raw, IcebergType type)
    {
        if (raw is null)
        {
            return null;
        }

        switch (type.Id)
        {
            case TypeId.Int:
            case TypeId.Date:
                return Convert.ToInt32(raw, CultureInfo.InvariantCulture);
            case TypeId.Long:
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                return Convert.ToInt64(raw, CultureInfo.InvariantCulture);
            case TypeId.Float:
                return Convert.ToSingle(raw, CultureInfo.InvariantCulture);
            case TypeId.Double:
                return Convert.ToDouble(raw, CultureInfo.InvariantCulture);
            case TypeId.Decimal:
                return raw switch
                {
                    byte[] bytes => bytes.Length == 0 ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: false, isBigEndian: true),
                    int i => new BigInteger(i),
                    long l => new BigInteger(l),
                    _ => raw,
                };
            case TypeId.Uuid:
                return raw switch
                {
                    byte[] { Length: 16 } bytes => new Guid(bytes, bigEndian: true),
                    string s => Guid.Parse(s),
                    _ => raw,
                };
            case TypeId.String:
                return raw is byte[] utf8 ? System.Text.Encoding.UTF8.GetString(utf8) : raw;
            default:
                return raw;
        }
    }

    private static object?[] DecodePartition(AvroRecord? partition, PartitionSpec spec, IcebergType[] types, string manifestPath)
    {
        var values = new object?[spec.Fields.Count];
        if (partition is null || spec.Fields.Count == 0)
        {
            return values;
        }

        var fields = partition.Schema.Fields;
        var hasIds = fields.Count > 0 && fields.All(f => f.FieldId is not null);
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var index = -1;
            if (hasIds)
            {
                for (var j = 0; j < fields.Count; j++)
                {
                    if (fields[j].FieldId == spec.Fields[i].FieldId)
                    {
                        index = j;
                        break;
                    }
                }
            }
            else if (i < fields.Count)
            {
                index = i;
            }

            if (index < 0)
            {
                index = partition.Schema.IndexOf(spec.Fields[i].Name);
            }

            if (index < 0)
            {
                throw Invalid(manifestPath, $"partition field '{spec.Fields[i].Name}' (id {spec.Fields[i].FieldId}) is missing from the manifest's partition struct");
            }

            values[i] = ConvertAvroValue(partition.Values[index], types[i]);
        }

        return values;
    }

    private static PartitionSpec? SpecFromManifest(AvroFileReader avro, int specId)
    {
        var json = avro.MetadataString("partition-spec");
        if (json is null)
        {
            return null;
        }

        var doc = new JsonObject
        {
            ["format-version"] = 1,
            ["location"] = "x",
            ["last-updated-ms"] = 0,
            ["last-column-id"] = 0,
            ["schema"] = new JsonObject { ["type"] = "struct", ["fields"] = new JsonArray() },
            ["partition-specs"] = new JsonArray(new JsonObject { ["spec-id"] = specId, ["fields"] = JsonNode.Parse(json) }),
            ["default-spec-id"] = specId,
        };
        return TableMetadataParser.Parse(doc.ToJsonString()).DefaultSpec;
    }

    private static FileFormat ParseFormat(string? text, string manifestPath) => text?.ToUpperInvariant() switch
    {
        "PARQUET" => FileFormat.Parquet,
        "AVRO" => FileFormat.Avro,
        "ORC" => FileFormat.Orc,
        "PUFFIN" => FileFormat.Puffin,
        _ => throw Invalid(manifestPath, $"unknown file_format '{text}'"),
    };

    private static IReadOnlyDictionary<int, long>? LongMap(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var map = new Dictionary<int, long>();
        foreach (var (key, value) in MapPairs(raw))
        {
            if (value is not null)
            {
                map[key] = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
        }

        return map;
    }

    private static IReadOnlyDictionary<int, byte[]>? BytesMap(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var map = new Dictionary<int, byte[]>();
        foreach (var (key, value) in MapPairs(raw))
        {
            if (value is byte[] bytes)
            {
                map[key] = bytes;
            }
        }

        return map;
    }

    private static IEnumerable<(int Key, object? Value)> MapPairs(object raw)
    {
        switch (raw)
        {
            case List<object?> list:
                foreach (var item in list)
                {
                    if (item is AvroRecord kv)
                    {
                        yield return (Convert.ToInt32(kv.Get("key"), CultureInfo.InvariantCulture), kv.Get("value"));
                    }
                }

                break;
            case Dictionary<string, object?> dict:
                foreach (var (k, v) in dict)
                {
                    if (int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key))
                    {
                        yield return (key, v);
                    }
                }

                break;
        }
    }

    private static IReadOnlyList<int>? IntList(object? raw) =>
        raw is List<object?> list ? list.Select(x => Convert.ToInt32(x, CultureInfo.InvariantCulture)).ToList() : null;

    private static IReadOnlyList<long>? LongList(object? raw) =>
        raw is List<object?> list ? list.Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToList() : null;

    private static long? AsLong(object? raw) => raw switch
    {
        null => null,
        long l => l,
        int i => i,
        _ => Convert.ToInt64(raw, CultureInfo.InvariantCulture),
    };

    private static byte[] ReadFile(IFileIO io, string path, string what)
    {
        try
        {
            return io.ReadAllBytes(path);
        }
        catch (StorageException e)
        {
            throw new IcebergException(IcebergException.InvalidManifest, $"cannot read {what} '{path}': {e.Message}", e);
        }
    }

    private static IcebergException Invalid(string path, string message) =>
        new(IcebergException.InvalidManifest, $"invalid manifest '{path}': {message}");
}
