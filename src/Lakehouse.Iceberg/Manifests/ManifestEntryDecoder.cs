using System.Globalization;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>The fields of one manifest entry as written, before inheritance and conversion to a data file.</summary>
internal sealed class RawManifestEntry
{
    public long? Status;
    public long? SnapshotId;
    public long? SequenceNumber;
    public long? FileSequenceNumber;
    public bool HasDataFile;
    public long? Content;
    public object? FilePath;
    public object? FileFormat;
    public AvroRecord? Partition;
    public long? RecordCount;
    public long? FileSizeInBytes;
    public IReadOnlyDictionary<int, long>? ColumnSizes;
    public IReadOnlyDictionary<int, long>? ValueCounts;
    public IReadOnlyDictionary<int, long>? NullValueCounts;
    public IReadOnlyDictionary<int, long>? NanValueCounts;
    public IReadOnlyDictionary<int, byte[]>? LowerBounds;
    public IReadOnlyDictionary<int, byte[]>? UpperBounds;
    public object? EqualityIds;
    public object? SplitOffsets;
    public long? SortOrderId;
    public object? ReferencedDataFile;
    public long? ContentOffset;
    public long? ContentSizeInBytes;
    public long? FirstRowId;

    public void Clear()
    {
        Status = SnapshotId = SequenceNumber = FileSequenceNumber = null;
        HasDataFile = false;
        Content = RecordCount = FileSizeInBytes = SortOrderId = ContentOffset = ContentSizeInBytes = FirstRowId = null;
        FilePath = FileFormat = ReferencedDataFile = EqualityIds = SplitOffsets = null;
        Partition = null;
        ColumnSizes = ValueCounts = NullValueCounts = NanValueCounts = null;
        LowerBounds = UpperBounds = null;
    }
}

/// <summary>
/// Decodes <c>manifest_entry</c> records straight from Avro binary into a <see cref="RawManifestEntry"/>, driven by
/// the writer schema: the metrics maps (arrays of key/value records, the bulk of an entry) go into dictionaries
/// without an intermediate record per pair, and numbers are not boxed. Fields it does not know, and shapes other
/// than the spec's, are decoded generically, so any writer schema reads as before.
/// </summary>
internal sealed class ManifestEntryDecoder
{
    private enum EntryField
    {
        Other,
        Status,
        SnapshotId,
        SequenceNumber,
        FileSequenceNumber,
        DataFile,
    }

    private enum DataFileField
    {
        Other,
        Content,
        FilePath,
        FileFormat,
        Partition,
        RecordCount,
        FileSizeInBytes,
        ColumnSizes,
        ValueCounts,
        NullValueCounts,
        NanValueCounts,
        LowerBounds,
        UpperBounds,
        EqualityIds,
        SplitOffsets,
        SortOrderId,
        ReferencedDataFile,
        ContentOffset,
        ContentSizeInBytes,
        FirstRowId,
    }

    private readonly AvroRecordSchema _entrySchema;
    private readonly EntryField[] _entryFields;
    private readonly Dictionary<AvroRecordSchema, DataFileField[]> _dataFileFields = new(ReferenceEqualityComparer.Instance);

    public ManifestEntryDecoder(AvroSchema writerSchema, string manifestPath)
    {
        _entrySchema = writerSchema as AvroRecordSchema
            ?? throw new IcebergException(IcebergException.InvalidManifest, $"invalid manifest '{manifestPath}': a manifest entry is not a record");
        _entryFields = new EntryField[_entrySchema.Fields.Count];
        for (var i = 0; i < _entryFields.Length; i++)
        {
            _entryFields[i] = _entrySchema.Fields[i].Name switch
            {
                "status" => EntryField.Status,
                "snapshot_id" => EntryField.SnapshotId,
                "sequence_number" => EntryField.SequenceNumber,
                "file_sequence_number" => EntryField.FileSequenceNumber,
                "data_file" => EntryField.DataFile,
                _ => EntryField.Other,
            };
        }
    }

    public void Read(AvroDecoder decoder, RawManifestEntry entry)
    {
        entry.Clear();
        var fields = _entrySchema.Fields;
        for (var i = 0; i < _entryFields.Length; i++)
        {
            var schema = fields[i].Schema;
            switch (_entryFields[i])
            {
                case EntryField.Status:
                    entry.Status = ReadLong(decoder, schema);
                    break;
                case EntryField.SnapshotId:
                    entry.SnapshotId = ReadLong(decoder, schema);
                    break;
                case EntryField.SequenceNumber:
                    entry.SequenceNumber = ReadLong(decoder, schema);
                    break;
                case EntryField.FileSequenceNumber:
                    entry.FileSequenceNumber = ReadLong(decoder, schema);
                    break;
                case EntryField.DataFile:
                    ReadDataFile(decoder, schema, entry);
                    break;
                default:
                    decoder.Read(schema);
                    break;
            }
        }
    }

    private void ReadDataFile(AvroDecoder decoder, AvroSchema schema, RawManifestEntry entry)
    {
        var resolved = Branch(decoder, schema);
        if (resolved is not AvroRecordSchema record)
        {
            decoder.Read(resolved);
            return;
        }

        if (!_dataFileFields.TryGetValue(record, out var kinds))
        {
            kinds = DataFileFieldsOf(record);
            _dataFileFields[record] = kinds;
        }

        entry.HasDataFile = true;
        var fields = record.Fields;
        for (var i = 0; i < kinds.Length; i++)
        {
            var fieldSchema = fields[i].Schema;
            switch (kinds[i])
            {
                case DataFileField.Content:
                    entry.Content = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.FilePath:
                    entry.FilePath = ReadString(decoder, fieldSchema);
                    break;
                case DataFileField.FileFormat:
                    entry.FileFormat = ReadString(decoder, fieldSchema);
                    break;
                case DataFileField.Partition:
                    entry.Partition = decoder.Read(fieldSchema) as AvroRecord;
                    break;
                case DataFileField.RecordCount:
                    entry.RecordCount = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.FileSizeInBytes:
                    entry.FileSizeInBytes = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.ColumnSizes:
                    entry.ColumnSizes = ReadLongMap(decoder, fieldSchema);
                    break;
                case DataFileField.ValueCounts:
                    entry.ValueCounts = ReadLongMap(decoder, fieldSchema);
                    break;
                case DataFileField.NullValueCounts:
                    entry.NullValueCounts = ReadLongMap(decoder, fieldSchema);
                    break;
                case DataFileField.NanValueCounts:
                    entry.NanValueCounts = ReadLongMap(decoder, fieldSchema);
                    break;
                case DataFileField.LowerBounds:
                    entry.LowerBounds = ReadBytesMap(decoder, fieldSchema);
                    break;
                case DataFileField.UpperBounds:
                    entry.UpperBounds = ReadBytesMap(decoder, fieldSchema);
                    break;
                case DataFileField.EqualityIds:
                    entry.EqualityIds = decoder.Read(fieldSchema);
                    break;
                case DataFileField.SplitOffsets:
                    entry.SplitOffsets = decoder.Read(fieldSchema);
                    break;
                case DataFileField.SortOrderId:
                    entry.SortOrderId = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.ReferencedDataFile:
                    entry.ReferencedDataFile = ReadString(decoder, fieldSchema);
                    break;
                case DataFileField.ContentOffset:
                    entry.ContentOffset = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.ContentSizeInBytes:
                    entry.ContentSizeInBytes = ReadLong(decoder, fieldSchema);
                    break;
                case DataFileField.FirstRowId:
                    entry.FirstRowId = ReadLong(decoder, fieldSchema);
                    break;
                default:
                    decoder.Read(fieldSchema);
                    break;
            }
        }
    }

    private static DataFileField[] DataFileFieldsOf(AvroRecordSchema record)
    {
        var kinds = new DataFileField[record.Fields.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            kinds[i] = record.Fields[i].Name switch
            {
                "content" => DataFileField.Content,
                "file_path" => DataFileField.FilePath,
                "file_format" => DataFileField.FileFormat,
                "partition" => DataFileField.Partition,
                "record_count" => DataFileField.RecordCount,
                "file_size_in_bytes" => DataFileField.FileSizeInBytes,
                "column_sizes" => DataFileField.ColumnSizes,
                "value_counts" => DataFileField.ValueCounts,
                "null_value_counts" => DataFileField.NullValueCounts,
                "nan_value_counts" => DataFileField.NanValueCounts,
                "lower_bounds" => DataFileField.LowerBounds,
                "upper_bounds" => DataFileField.UpperBounds,
                "equality_ids" => DataFileField.EqualityIds,
                "split_offsets" => DataFileField.SplitOffsets,
                "sort_order_id" => DataFileField.SortOrderId,
                "referenced_data_file" => DataFileField.ReferencedDataFile,
                "content_offset" => DataFileField.ContentOffset,
                "content_size_in_bytes" => DataFileField.ContentSizeInBytes,
                "first_row_id" => DataFileField.FirstRowId,
                _ => DataFileField.Other,
            };
        }

        return kinds;
    }

    /// <summary>Reads a union's branch index and returns the branch; any other schema is returned as is.</summary>
    internal static AvroSchema Branch(AvroDecoder decoder, AvroSchema schema)
    {
        while (schema is AvroUnionSchema union)
        {
            var index = checked((int)decoder.ReadLong());
            schema = index >= 0 && index < union.Branches.Count ? union.Branches[index] : throw new InvalidDataException($"union branch {index} out of range");
        }

        return schema;
    }

    internal static long? ReadLong(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = Branch(decoder, schema);
        return resolved.Kind switch
        {
            AvroKind.Null => null,
            AvroKind.Int => checked((int)decoder.ReadLong()),
            AvroKind.Long => decoder.ReadLong(),
            _ => ToLong(decoder.Read(resolved)),
        };
    }

    internal static object? ReadString(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = Branch(decoder, schema);
        return resolved.Kind switch
        {
            AvroKind.Null => null,
            AvroKind.String => decoder.ReadString(),
            _ => decoder.Read(resolved),
        };
    }

    /// <summary>Iceberg writes int-keyed maps as arrays of <c>{key, value}</c> records (spec: Avro, maps with non-string keys).</summary>
    private static IReadOnlyDictionary<int, long>? ReadLongMap(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = Branch(decoder, schema);
        if (resolved.Kind == AvroKind.Null)
        {
            return null;
        }

        if (!IsKeyValueArray(resolved, out var pair, out var keyIndex, out var valueIndex))
        {
            return ManifestReader.LongMap(decoder.Read(resolved));
        }

        var (longs, _) = ReadPairs(decoder, pair, keyIndex, valueIndex, bytesValues: false);
        return longs;
    }

    private static IReadOnlyDictionary<int, byte[]>? ReadBytesMap(AvroDecoder decoder, AvroSchema schema)
    {
        var resolved = Branch(decoder, schema);
        if (resolved.Kind == AvroKind.Null)
        {
            return null;
        }

        if (!IsKeyValueArray(resolved, out var pair, out var keyIndex, out var valueIndex))
        {
            return ManifestReader.BytesMap(decoder.Read(resolved));
        }

        var (_, bytes) = ReadPairs(decoder, pair, keyIndex, valueIndex, bytesValues: true);
        return bytes;
    }

    private static bool IsKeyValueArray(AvroSchema schema, out AvroRecordSchema pair, out int keyIndex, out int valueIndex)
    {
        pair = null!;
        keyIndex = valueIndex = -1;
        if (schema is not AvroArraySchema { Items: AvroRecordSchema record })
        {
            return false;
        }

        pair = record;
        keyIndex = record.IndexOf("key");
        valueIndex = record.IndexOf("value");
        return keyIndex >= 0 && valueIndex >= 0 && record.Fields[keyIndex].Schema.Kind is AvroKind.Int or AvroKind.Long;
    }

    /// <summary>Decodes the array's blocks into a dictionary sized by the first block's count; null values are left out.</summary>
    private static (Dictionary<int, long>? Longs, Dictionary<int, byte[]>? Bytes) ReadPairs(AvroDecoder decoder, AvroRecordSchema pair, int keyIndex, int valueIndex, bool bytesValues)
    {
        Dictionary<int, long>? longs = null;
        Dictionary<int, byte[]>? bytes = null;
        var fields = pair.Fields;
        var valueSchema = fields[valueIndex].Schema;
        while (true)
        {
            var count = decoder.ReadLong();
            if (count == 0)
            {
                break;
            }

            if (count < 0)
            {
                count = -count;
                decoder.ReadLong();
            }

            var capacity = (int)Math.Min(count, 1024);
            if (bytesValues)
            {
                bytes ??= new Dictionary<int, byte[]>(capacity);
            }
            else
            {
                longs ??= new Dictionary<int, long>(capacity);
            }

            for (long n = 0; n < count; n++)
            {
                // Fields are taken in the writer's order, which may put the value first: store once both are read.
                var key = 0;
                long? longValue = null;
                object? otherValue = null;
                for (var f = 0; f < fields.Count; f++)
                {
                    if (f == keyIndex)
                    {
                        key = checked((int)decoder.ReadLong());
                    }
                    else if (f == valueIndex)
                    {
                        var branch = Branch(decoder, valueSchema);
                        if (branch.Kind == AvroKind.Null)
                        {
                            continue;
                        }

                        if (!bytesValues && branch.Kind == AvroKind.Long)
                        {
                            longValue = decoder.ReadLong();
                        }
                        else if (!bytesValues && branch.Kind == AvroKind.Int)
                        {
                            longValue = checked((int)decoder.ReadLong());
                        }
                        else if (bytesValues && branch.Kind == AvroKind.Bytes)
                        {
                            otherValue = decoder.ReadBytes();
                        }
                        else
                        {
                            otherValue = decoder.Read(branch);
                        }
                    }
                    else
                    {
                        decoder.Read(fields[f].Schema);
                    }
                }

                if (bytesValues)
                {
                    if (otherValue is byte[] value)
                    {
                        bytes![key] = value;
                    }
                }
                else if ((longValue ?? ToLong(otherValue)) is { } value)
                {
                    longs![key] = value;
                }
            }
        }

        return (longs ?? (bytesValues ? null : new Dictionary<int, long>()), bytes ?? (bytesValues ? new Dictionary<int, byte[]>() : null));
    }

    private static long? ToLong(object? raw) => raw switch
    {
        null => null,
        long l => l,
        int i => i,
        _ => Convert.ToInt64(raw, CultureInfo.InvariantCulture),
    };
}
