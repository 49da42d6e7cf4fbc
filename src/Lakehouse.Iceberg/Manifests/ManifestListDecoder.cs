using Lakehouse.Iceberg.Metadata;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>
/// Decodes manifest list records (<c>manifest_file</c>) straight from Avro binary, driven by the writer schema:
/// numbers are not boxed and partition summaries skip the intermediate records. Fields it does not know, and
/// shapes other than the spec's, are decoded generically.
/// </summary>
internal sealed class ManifestListDecoder
{
    private enum ListField
    {
        Other,
        ManifestPath,
        ManifestLength,
        PartitionSpecId,
        Content,
        SequenceNumber,
        MinSequenceNumber,
        AddedSnapshotId,
        AddedFilesCount,
        AddedDataFilesCount,
        ExistingFilesCount,
        ExistingDataFilesCount,
        DeletedFilesCount,
        DeletedDataFilesCount,
        AddedRowsCount,
        ExistingRowsCount,
        DeletedRowsCount,
        Partitions,
        KeyMetadata,
        FirstRowId,
    }

    private readonly AvroRecordSchema _schema;
    private readonly ListField[] _fields;
    private readonly string _listPath;

    public ManifestListDecoder(AvroSchema writerSchema, string listPath)
    {
        _listPath = listPath;
        _schema = writerSchema as AvroRecordSchema
            ?? throw new IcebergException(IcebergException.InvalidManifest, $"invalid manifest '{listPath}': a manifest list entry is not a record");
        _fields = new ListField[_schema.Fields.Count];
        for (var i = 0; i < _fields.Length; i++)
        {
            _fields[i] = _schema.Fields[i].Name switch
            {
                "manifest_path" => ListField.ManifestPath,
                "manifest_length" => ListField.ManifestLength,
                "partition_spec_id" => ListField.PartitionSpecId,
                "content" => ListField.Content,
                "sequence_number" => ListField.SequenceNumber,
                "min_sequence_number" => ListField.MinSequenceNumber,
                "added_snapshot_id" => ListField.AddedSnapshotId,
                "added_files_count" => ListField.AddedFilesCount,
                "added_data_files_count" => ListField.AddedDataFilesCount,
                "existing_files_count" => ListField.ExistingFilesCount,
                "existing_data_files_count" => ListField.ExistingDataFilesCount,
                "deleted_files_count" => ListField.DeletedFilesCount,
                "deleted_data_files_count" => ListField.DeletedDataFilesCount,
                "added_rows_count" => ListField.AddedRowsCount,
                "existing_rows_count" => ListField.ExistingRowsCount,
                "deleted_rows_count" => ListField.DeletedRowsCount,
                "partitions" => ListField.Partitions,
                "key_metadata" => ListField.KeyMetadata,
                "first_row_id" => ListField.FirstRowId,
                _ => ListField.Other,
            };
        }
    }

    public ManifestFile Read(AvroDecoder decoder, IcebergTable table)
    {
        object? path = null;
        long? length = null, specId = null, content = null, sequenceNumber = null, minSequenceNumber = null, addedSnapshotId = null;
        long? addedFiles = null, addedDataFiles = null, existingFiles = null, existingDataFiles = null, deletedFiles = null, deletedDataFiles = null;
        long? addedRows = null, existingRows = null, deletedRows = null, firstRowId = null;
        List<PartitionFieldSummary>? partitions = null;
        object? keyMetadata = null;
        var fields = _schema.Fields;
        for (var i = 0; i < _fields.Length; i++)
        {
            var schema = fields[i].Schema;
            switch (_fields[i])
            {
                case ListField.ManifestPath:
                    path = ManifestEntryDecoder.ReadString(decoder, schema);
                    break;
                case ListField.ManifestLength:
                    length = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.PartitionSpecId:
                    specId = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.Content:
                    content = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.SequenceNumber:
                    sequenceNumber = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.MinSequenceNumber:
                    minSequenceNumber = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.AddedSnapshotId:
                    addedSnapshotId = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.AddedFilesCount:
                    addedFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.AddedDataFilesCount:
                    addedDataFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.ExistingFilesCount:
                    existingFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.ExistingDataFilesCount:
                    existingDataFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.DeletedFilesCount:
                    deletedFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.DeletedDataFilesCount:
                    deletedDataFiles = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.AddedRowsCount:
                    addedRows = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.ExistingRowsCount:
                    existingRows = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.DeletedRowsCount:
                    deletedRows = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                case ListField.Partitions:
                    partitions = ReadSummaries(decoder, schema);
                    break;
                case ListField.KeyMetadata:
                    keyMetadata = decoder.Read(schema);
                    break;
                case ListField.FirstRowId:
                    firstRowId = ManifestEntryDecoder.ReadLong(decoder, schema);
                    break;
                default:
                    decoder.Read(schema);
                    break;
            }
        }

        var recordedPath = path as string
            ?? throw new IcebergException(IcebergException.InvalidManifest, $"invalid manifest '{_listPath}': manifest list entry without manifest_path");
        return new ManifestFile
        {
            RecordedPath = recordedPath,
            Path = table.ResolvePath(recordedPath),
            Length = length ?? 0,
            PartitionSpecId = (int)(specId ?? 0),
            Content = (ManifestContent)(content ?? 0),
            SequenceNumber = sequenceNumber ?? 0,
            MinSequenceNumber = minSequenceNumber ?? 0,
            AddedSnapshotId = addedSnapshotId,
            AddedFilesCount = (int?)(addedFiles ?? addedDataFiles),
            ExistingFilesCount = (int?)(existingFiles ?? existingDataFiles),
            DeletedFilesCount = (int?)(deletedFiles ?? deletedDataFiles),
            AddedRowsCount = addedRows,
            ExistingRowsCount = existingRows,
            DeletedRowsCount = deletedRows,
            Partitions = partitions,
            KeyMetadata = keyMetadata as byte[],
            FirstRowId = firstRowId,
        };
    }

    private static List<PartitionFieldSummary>? ReadSummaries(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = ManifestEntryDecoder.Branch(decoder, schema);
        if (resolved is not AvroArraySchema { Items: var items })
        {
            decoder.Read(resolved);
            return null;
        }

        var result = new List<PartitionFieldSummary>();
        while (true)
        {
            var count = decoder.ReadLong();
            if (count == 0)
            {
                return result;
            }

            if (count < 0)
            {
                count = -count;
                decoder.ReadLong();
            }

            for (long n = 0; n < count; n++)
            {
                result.Add(ReadSummary(decoder, items));
            }
        }
    }

    private static PartitionFieldSummary ReadSummary(AvroDecoder decoder, AvroSchema itemSchema)
    {
        var record = ManifestEntryDecoder.Branch(decoder, itemSchema) as AvroRecordSchema
            ?? throw new InvalidDataException("a partition field summary is not a record");
        bool? containsNull = null, containsNaN = null;
        byte[]? lower = null, upper = null;
        foreach (var field in record.Fields)
        {
            switch (field.Name)
            {
                case "contains_null":
                    containsNull = ReadBoolean(decoder, field.Schema);
                    break;
                case "contains_nan":
                    containsNaN = ReadBoolean(decoder, field.Schema);
                    break;
                case "lower_bound":
                    lower = ReadBytes(decoder, field.Schema);
                    break;
                case "upper_bound":
                    upper = ReadBytes(decoder, field.Schema);
                    break;
                default:
                    decoder.Read(field.Schema);
                    break;
            }
        }

        return new PartitionFieldSummary(containsNull ?? true, containsNaN, lower, upper);
    }

    private static bool? ReadBoolean(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = ManifestEntryDecoder.Branch(decoder, schema);
        return resolved.Kind switch
        {
            AvroKind.Null => null,
            AvroKind.Boolean => decoder.ReadBoolean(),
            _ => decoder.Read(resolved) as bool?,
        };
    }

    private static byte[]? ReadBytes(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = ManifestEntryDecoder.Branch(decoder, schema);
        return resolved.Kind switch
        {
            AvroKind.Null => null,
            AvroKind.Bytes => decoder.ReadBytes(),
            _ => decoder.Read(resolved) as byte[],
        };
    }
}
