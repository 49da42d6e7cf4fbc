using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Writing;

/// <summary>Writes format v2 data manifests and manifest lists as Avro files.</summary>
public static class ManifestWriter
{
    /// <summary>
    /// Writes a manifest whose entries are all <c>ADDED</c> by <paramref name="snapshotId"/>; their sequence numbers are
    /// left null so readers inherit them from the manifest list.
    /// </summary>
    /// <param name="physicalPath">Where the file is written.</param>
    /// <param name="recordedPath">The path recorded in the manifest list.</param>
    /// <returns>The manifest list entry, with counts and partition summaries.</returns>
    public static ManifestFile WriteDataManifest(
        IFileIO io,
        string physicalPath,
        string recordedPath,
        Schema schema,
        PartitionSpec spec,
        long snapshotId,
        long sequenceNumber,
        IReadOnlyList<DataFile> files,
        AvroCodec codec = AvroCodec.Deflate)
    {
        var partitionType = spec.PartitionType(schema);
        var writer = new AvroFileWriter(ManifestAvroSchemas.ManifestEntry(partitionType).ToJsonString(), codec);
        writer.SetMetadata("schema", SchemaJson.ToJson(schema).ToJsonString());
        writer.SetMetadata("schema-id", schema.SchemaId.ToString(CultureInfo.InvariantCulture));
        writer.SetMetadata("partition-spec", TableMetadataWriter.PartitionFieldsJson(spec).ToJsonString());
        writer.SetMetadata("partition-spec-id", spec.SpecId.ToString(CultureInfo.InvariantCulture));
        writer.SetMetadata("format-version", "2");
        writer.SetMetadata("content", "data");

        var summaries = new PartitionSummaryBuilder(partitionType);
        long addedRows = 0;
        foreach (var file in files)
        {
            if (file.Content != FileContent.Data)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"data manifest '{recordedPath}' cannot hold delete file '{file.RecordedPath}'");
            }

            if (file.SpecId != spec.SpecId)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"data file '{file.RecordedPath}' has partition spec {file.SpecId}, the manifest is for spec {spec.SpecId}");
            }

            if (file.Partition.Count != partitionType.Fields.Count)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"data file '{file.RecordedPath}' has {file.Partition.Count} partition values, spec {spec.SpecId} has {partitionType.Fields.Count} fields");
            }

            summaries.Add(file.Partition);
            addedRows += file.RecordCount;
            writer.Append(new object?[]
            {
                (int)ManifestEntryStatus.Added,
                snapshotId,
                null,
                null,
                DataFileRecord(file, partitionType),
            });
        }

        var length = writer.WriteTo(io, physicalPath);
        return new ManifestFile
        {
            RecordedPath = recordedPath,
            Path = physicalPath,
            Length = length,
            PartitionSpecId = spec.SpecId,
            Content = ManifestContent.Data,
            SequenceNumber = sequenceNumber,
            MinSequenceNumber = sequenceNumber,
            AddedSnapshotId = snapshotId,
            AddedFilesCount = files.Count,
            ExistingFilesCount = 0,
            DeletedFilesCount = 0,
            AddedRowsCount = addedRows,
            ExistingRowsCount = 0,
            DeletedRowsCount = 0,
            Partitions = summaries.Build(),
        };
    }

    /// <summary>Writes a manifest list of <paramref name="manifests"/> and returns its length in bytes.</summary>
    public static long WriteManifestList(
        IFileIO io,
        string physicalPath,
        long snapshotId,
        long? parentSnapshotId,
        long sequenceNumber,
        IReadOnlyList<ManifestFile> manifests,
        AvroCodec codec = AvroCodec.Deflate)
    {
        var writer = new AvroFileWriter(ManifestAvroSchemas.ManifestList().ToJsonString(), codec);
        writer.SetMetadata("snapshot-id", snapshotId.ToString(CultureInfo.InvariantCulture));
        writer.SetMetadata("parent-snapshot-id", parentSnapshotId is { } parent ? parent.ToString(CultureInfo.InvariantCulture) : "null");
        writer.SetMetadata("sequence-number", sequenceNumber.ToString(CultureInfo.InvariantCulture));
        writer.SetMetadata("format-version", "2");
        foreach (var m in manifests)
        {
            object?[]? partitions = null;
            if (m.Partitions is { } summaries)
            {
                partitions = new object?[summaries.Count];
                for (var i = 0; i < summaries.Count; i++)
                {
                    var s = summaries[i];
                    partitions[i] = new object?[] { s.ContainsNull, s.ContainsNaN, s.LowerBound, s.UpperBound };
                }
            }

            writer.Append(new object?[]
            {
                m.RecordedPath,
                m.Length,
                m.PartitionSpecId,
                (int)m.Content,
                m.SequenceNumber,
                m.MinSequenceNumber,
                m.AddedSnapshotId ?? snapshotId,
                m.AddedFilesCount ?? 0,
                m.ExistingFilesCount ?? 0,
                m.DeletedFilesCount ?? 0,
                m.AddedRowsCount ?? 0L,
                m.ExistingRowsCount ?? 0L,
                m.DeletedRowsCount ?? 0L,
                partitions,
                m.KeyMetadata,
            });
        }

        return writer.WriteTo(io, physicalPath);
    }

    /// <summary>Converts a partition value from its .NET form to the Avro value written in manifests.</summary>
    public static object? ToAvroPartitionValue(IcebergType type, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case DecimalType d:
                return DecimalToFixed(SingleValueSerialization.ToBigInteger(value), ManifestAvroSchemas.DecimalFixedSize(d.Precision));
            case FixedType:
                return (byte[])value;
        }

        return type.Id switch
        {
            TypeId.Boolean => (bool)value,
            TypeId.Int or TypeId.Date => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs
                => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            TypeId.Float => Convert.ToSingle(value, CultureInfo.InvariantCulture),
            TypeId.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            TypeId.String => (string)value,
            TypeId.Binary => (byte[])value,
            TypeId.Uuid => ((Guid)value).ToByteArray(bigEndian: true),
            _ => throw new IcebergException(IcebergException.Unsupported, $"partition value of type {type} cannot be written to a manifest"),
        };
    }

    private static object?[] DataFileRecord(DataFile file, StructType partitionType)
    {
        var partition = new object?[partitionType.Fields.Count];
        for (var i = 0; i < partition.Length; i++)
        {
            partition[i] = ToAvroPartitionValue(partitionType.Fields[i].Type, file.Partition[i]);
        }

        return
        [
            (int)file.Content,
            file.RecordedPath,
            FormatName(file.Format),
            partition,
            file.RecordCount,
            file.FileSizeInBytes,
            LongMap(file.ColumnSizes),
            LongMap(file.ValueCounts),
            LongMap(file.NullValueCounts),
            LongMap(file.NanValueCounts),
            BytesMap(file.LowerBounds),
            BytesMap(file.UpperBounds),
            null,
            file.SplitOffsets is { } offsets ? ToObjects(offsets) : null,
            file.EqualityFieldIds is { } ids ? ToObjects(ids) : null,
            file.SortOrderId,
        ];
    }

    private static string FormatName(FileFormat format) => format switch
    {
        FileFormat.Parquet => "PARQUET",
        FileFormat.Avro => "AVRO",
        FileFormat.Orc => "ORC",
        _ => "PUFFIN",
    };

    private static object?[]? LongMap(IReadOnlyDictionary<int, long>? map)
    {
        if (map is null)
        {
            return null;
        }

        var entries = new object?[map.Count];
        var i = 0;
        foreach (var key in SortedKeys(map.Keys))
        {
            entries[i++] = new object?[] { key, map[key] };
        }

        return entries;
    }

    private static object?[]? BytesMap(IReadOnlyDictionary<int, byte[]>? map)
    {
        if (map is null)
        {
            return null;
        }

        var entries = new object?[map.Count];
        var i = 0;
        foreach (var key in SortedKeys(map.Keys))
        {
            entries[i++] = new object?[] { key, map[key] };
        }

        return entries;
    }

    private static List<int> SortedKeys(IEnumerable<int> keys)
    {
        var sorted = new List<int>(keys);
        sorted.Sort();
        return sorted;
    }

    private static object?[] ToObjects<T>(IReadOnlyList<T> values)
    {
        var result = new object?[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static byte[] DecimalToFixed(BigInteger unscaled, int size)
    {
        var bytes = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        if (bytes.Length > size)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"decimal value {unscaled} does not fit in {size} bytes");
        }

        var result = new byte[size];
        if (unscaled.Sign < 0)
        {
            Array.Fill(result, (byte)0xFF);
        }

        bytes.CopyTo(result, size - bytes.Length);
        return result;
    }

    /// <summary>Accumulates contains_null / contains_nan and lower / upper bounds for each partition field.</summary>
    private sealed class PartitionSummaryBuilder(StructType partitionType)
    {
        private readonly bool[] _containsNull = new bool[partitionType.Fields.Count];
        private readonly bool[] _containsNaN = new bool[partitionType.Fields.Count];
        private readonly object?[] _lower = new object?[partitionType.Fields.Count];
        private readonly object?[] _upper = new object?[partitionType.Fields.Count];

        public void Add(IReadOnlyList<object?> partition)
        {
            for (var i = 0; i < _lower.Length; i++)
            {
                var value = partition[i];
                if (value is null)
                {
                    _containsNull[i] = true;
                    continue;
                }

                if (IcebergValueComparer.IsNaN(value))
                {
                    _containsNaN[i] = true;
                    continue;
                }

                if (_lower[i] is null || IcebergValueComparer.Compare(value, _lower[i]!) < 0)
                {
                    _lower[i] = value;
                }

                if (_upper[i] is null || IcebergValueComparer.Compare(value, _upper[i]!) > 0)
                {
                    _upper[i] = value;
                }
            }
        }

        public IReadOnlyList<PartitionFieldSummary> Build()
        {
            var result = new PartitionFieldSummary[_lower.Length];
            for (var i = 0; i < result.Length; i++)
            {
                var type = partitionType.Fields[i].Type;
                var primitive = type as PrimitiveType;
                bool? containsNaN = type.Id is TypeId.Float or TypeId.Double ? _containsNaN[i] : null;
                result[i] = new PartitionFieldSummary(
                    _containsNull[i],
                    containsNaN,
                    _lower[i] is { } lower && primitive is not null ? SingleValueSerialization.ToBytes(primitive, lower) : null,
                    _upper[i] is { } upper && primitive is not null ? SingleValueSerialization.ToBytes(primitive, upper) : null);
            }

            return result;
        }
    }
}
