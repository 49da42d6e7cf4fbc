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
        var result = new List<ManifestFile>();
        AvroFileReader.ReadEach(ReadFile(table.FileIO, resolved, "manifest list"), resolved, (writerSchema, _) =>
        {
            var decoder = new ManifestListDecoder(writerSchema, resolved);
            return avro => result.Add(decoder.Read(avro, table));
        });
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
        var metadata = table.Metadata;
        var isV1 = metadata.FormatVersion == 1;
        var isDeleteManifest = manifest.Content == ManifestContent.Deletes;
        var entries = new List<ManifestEntry>();
        long? nextRowId = manifest.FirstRowId;
        var raw = new RawManifestEntry();
        AvroFileReader.ReadEach(ReadFile(table.FileIO, manifest.Path, "manifest"), manifest.Path, (writerSchema, fileMetadata) =>
        {
            var specId = manifest.PartitionSpecId;
            if (specId < 0)
            {
                specId = int.TryParse(MetadataString(fileMetadata, "partition-spec-id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromFile) ? fromFile : 0;
            }

            var spec = metadata.SpecById(specId) ?? SpecFromManifest(fileMetadata, specId)
                ?? throw Invalid(manifest.Path, $"partition spec {specId} is not in the table metadata");
            var partitionTypes = PartitionResultTypes(metadata, spec);
            var decoder = new ManifestEntryDecoder(writerSchema, manifest.Path);
            return avro =>
            {
                decoder.Read(avro, raw);
                entries.Add(ToEntry(table, manifest, raw, spec, partitionTypes, isV1, isDeleteManifest, ref nextRowId));
            };
        });
        return entries;
    }

    private static ManifestEntry ToEntry(
        IcebergTable table, ManifestFile manifest, RawManifestEntry r, PartitionSpec spec, IcebergType[] partitionTypes, bool isV1, bool isDeleteManifest, ref long? nextRowId)
    {
        var status = (ManifestEntryStatus)(r.Status ?? throw Invalid(manifest.Path, "manifest entry without status"));
        if (!r.HasDataFile)
        {
            throw Invalid(manifest.Path, "manifest entry without data_file");
        }

        var snapshotId = r.SnapshotId ?? manifest.AddedSnapshotId;
        long? dataSeq = r.SequenceNumber;
        long? fileSeq = r.FileSequenceNumber;
        if (!isV1)
        {
            // Null sequence numbers are inherited from the manifest list (spec: sequence number inheritance).
            dataSeq ??= manifest.SequenceNumber;
            fileSeq ??= status == ManifestEntryStatus.Added ? manifest.SequenceNumber : dataSeq;
        }

        var content = (FileContent)(r.Content ?? (isDeleteManifest ? 1 : 0));
        var recordedPath = r.FilePath as string ?? throw Invalid(manifest.Path, "data_file without file_path");
        var recordCount = r.RecordCount ?? throw Invalid(manifest.Path, $"data file '{recordedPath}' without record_count");
        long? firstRowId = r.FirstRowId;
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
            Format = ParseFormat(r.FileFormat as string, manifest.Path),
            SpecId = spec.SpecId,
            Partition = DecodePartition(r.Partition, spec, partitionTypes, manifest.Path),
            RecordCount = recordCount,
            FileSizeInBytes = r.FileSizeInBytes ?? 0,
            ColumnSizes = r.ColumnSizes,
            ValueCounts = r.ValueCounts,
            NullValueCounts = r.NullValueCounts,
            NanValueCounts = r.NanValueCounts,
            LowerBounds = r.LowerBounds,
            UpperBounds = r.UpperBounds,
            EqualityFieldIds = IntList(r.EqualityIds),
            SplitOffsets = LongList(r.SplitOffsets),
            SortOrderId = (int?)r.SortOrderId,
            ReferencedDataFile = r.ReferencedDataFile as string,
            ContentOffset = r.ContentOffset,
            ContentSizeInBytes = r.ContentSizeInBytes,
            FirstRowId = firstRowId,
            DataSequenceNumber = dataSeq,
            FileSequenceNumber = fileSeq,
        };
        return new ManifestEntry(status, snapshotId, file);
    }

    private static string? MetadataString(IReadOnlyDictionary<string, byte[]> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? System.Text.Encoding.UTF8.GetString(value) : null;

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

    private static PartitionSpec? SpecFromManifest(IReadOnlyDictionary<string, byte[]> fileMetadata, int specId)
    {
        var json = MetadataString(fileMetadata, "partition-spec");
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

    private static FileFormat ParseFormat(string? text, string manifestPath) => text switch
    {
        "PARQUET" or "parquet" => FileFormat.Parquet,
        _ => ParseFormatAnyCase(text, manifestPath),
    };

    private static FileFormat ParseFormatAnyCase(string? text, string manifestPath) => text?.ToUpperInvariant() switch
    {
        "PARQUET" => FileFormat.Parquet,
        "AVRO" => FileFormat.Avro,
        "ORC" => FileFormat.Orc,
        "PUFFIN" => FileFormat.Puffin,
        _ => throw Invalid(manifestPath, $"unknown file_format '{text}'"),
    };

    internal static IReadOnlyDictionary<int, long>? LongMap(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (raw is List<object?> list)
        {
            var fromList = new Dictionary<int, long>(list.Count);
            foreach (var item in list)
            {
                if (item is AvroRecord pair && TryGetPair(pair, out var key, out var value) && value is not null)
                {
                    fromList[ToInt(key)] = value is long l ? l : Convert.ToInt64(value, CultureInfo.InvariantCulture);
                }
            }

            return fromList;
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

    internal static IReadOnlyDictionary<int, byte[]>? BytesMap(object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (raw is List<object?> list)
        {
            var fromList = new Dictionary<int, byte[]>(list.Count);
            foreach (var item in list)
            {
                if (item is AvroRecord pair && TryGetPair(pair, out var key, out var value) && value is byte[] bytes)
                {
                    fromList[ToInt(key)] = bytes;
                }
            }

            return fromList;
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

    /// <summary>A map pair record's key and value: by field name, which writers may order either way, else by position.</summary>
    private static bool TryGetPair(AvroRecord pair, out object? key, out object? value)
    {
        var keyIndex = pair.Schema.IndexOf("key");
        var valueIndex = pair.Schema.IndexOf("value");
        if (keyIndex >= 0 && valueIndex >= 0)
        {
            (key, value) = (pair.Values[keyIndex], pair.Values[valueIndex]);
            return true;
        }

        if (pair.Values.Length == 2)
        {
            (key, value) = (pair.Values[0], pair.Values[1]);
            return true;
        }

        (key, value) = (null, null);
        return false;
    }

    private static int ToInt(object? key) => key is int i ? i : Convert.ToInt32(key, CultureInfo.InvariantCulture);

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
