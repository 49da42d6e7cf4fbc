using System.Globalization;
using System.Text;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

/// <summary>
/// Decodes manifest and manifest list files twice, with the direct decoders and with the generic Avro decoding
/// (records looked up field by field by name), and renders both as canonical text lines that must be equal.
/// </summary>
internal static class ManifestDecoding
{
    private static readonly Lazy<IcebergTable> PathTable = new(() => IcebergTable.FromMetadata(
        LocalFileIO.Instance,
        "/nonexistent/table",
        "/nonexistent/table/metadata/v1.metadata.json",
        TableMetadataParser.Parse(
            """
            {"format-version": 1, "location": "/nonexistent/table", "last-updated-ms": 0, "last-column-id": 0,
             "schema": {"type": "struct", "fields": []}, "partition-spec": []}
            """)));

    /// <summary>Entries decoded by <see cref="ManifestEntryDecoder"/>, reusing one entry object as the reader does.</summary>
    public static List<string> DirectEntries(byte[] bytes, string name)
    {
        var lines = new List<string>();
        var entry = new RawManifestEntry();
        AvroFileReader.ReadEach(bytes, name, (schema, _) =>
        {
            var decoder = new ManifestEntryDecoder(schema, name);
            return avro =>
            {
                decoder.Read(avro, entry);
                lines.Add(Describe(entry));
            };
        });
        return lines;
    }

    public static List<string> GenericEntries(byte[] bytes, string name)
    {
        var lines = new List<string>();
        foreach (var record in AvroFileReader.Read(bytes, name).Records)
        {
            lines.Add(DescribeGenericEntry((AvroRecord)record!));
        }

        return lines;
    }

    /// <summary>Manifest list entries decoded by <see cref="ManifestListDecoder"/>.</summary>
    public static List<string> DirectList(byte[] bytes, string name)
    {
        var lines = new List<string>();
        AvroFileReader.ReadEach(bytes, name, (schema, _) =>
        {
            var decoder = new ManifestListDecoder(schema, name);
            return avro => lines.Add(Describe(decoder.Read(avro, PathTable.Value)));
        });
        return lines;
    }

    public static List<string> GenericList(byte[] bytes, string name)
    {
        var lines = new List<string>();
        foreach (var record in AvroFileReader.Read(bytes, name).Records)
        {
            lines.Add(DescribeGenericListEntry((AvroRecord)record!));
        }

        return lines;
    }

    /// <summary>Decodes with both paths, asserts they agree and returns the lines.</summary>
    public static List<string> AssertEntriesAgree(byte[] bytes, string name)
    {
        var direct = DirectEntries(bytes, name);
        var generic = GenericEntries(bytes, name);
        Assert.Equal(generic, direct);
        return direct;
    }

    public static List<string> AssertListsAgree(byte[] bytes, string name)
    {
        var direct = DirectList(bytes, name);
        var generic = GenericList(bytes, name);
        Assert.Equal(generic, direct);
        return direct;
    }

    public static string Describe(RawManifestEntry e)
    {
        var text = new StringBuilder();
        Field(text, "status", e.Status);
        Field(text, "snapshot_id", e.SnapshotId);
        Field(text, "sequence_number", e.SequenceNumber);
        Field(text, "file_sequence_number", e.FileSequenceNumber);
        if (!e.HasDataFile)
        {
            return text.Append("data_file=null").ToString();
        }

        Field(text, "content", e.Content);
        Field(text, "file_path", Value(e.FilePath));
        Field(text, "file_format", Value(e.FileFormat));
        Field(text, "partition", e.Partition is null ? "null" : Value(e.Partition.Values));
        Field(text, "record_count", e.RecordCount);
        Field(text, "file_size_in_bytes", e.FileSizeInBytes);
        Field(text, "column_sizes", Map(e.ColumnSizes));
        Field(text, "value_counts", Map(e.ValueCounts));
        Field(text, "null_value_counts", Map(e.NullValueCounts));
        Field(text, "nan_value_counts", Map(e.NanValueCounts));
        Field(text, "lower_bounds", Map(e.LowerBounds));
        Field(text, "upper_bounds", Map(e.UpperBounds));
        Field(text, "equality_ids", Longs(e.EqualityIds));
        Field(text, "split_offsets", Longs(e.SplitOffsets));
        Field(text, "sort_order_id", e.SortOrderId);
        Field(text, "referenced_data_file", Value(e.ReferencedDataFile));
        Field(text, "content_offset", e.ContentOffset);
        Field(text, "content_size_in_bytes", e.ContentSizeInBytes);
        Field(text, "first_row_id", e.FirstRowId);
        return text.ToString();
    }

    public static string Describe(ManifestFile m)
    {
        var text = new StringBuilder();
        Field(text, "manifest_path", Value(m.RecordedPath));
        Field(text, "manifest_length", m.Length);
        Field(text, "partition_spec_id", m.PartitionSpecId);
        Field(text, "content", (long)m.Content);
        Field(text, "sequence_number", m.SequenceNumber);
        Field(text, "min_sequence_number", m.MinSequenceNumber);
        Field(text, "added_snapshot_id", m.AddedSnapshotId);
        Field(text, "added_files_count", m.AddedFilesCount);
        Field(text, "existing_files_count", m.ExistingFilesCount);
        Field(text, "deleted_files_count", m.DeletedFilesCount);
        Field(text, "added_rows_count", m.AddedRowsCount);
        Field(text, "existing_rows_count", m.ExistingRowsCount);
        Field(text, "deleted_rows_count", m.DeletedRowsCount);
        if (m.Partitions is null)
        {
            Field(text, "partitions", "null");
        }
        else
        {
            var parts = new List<string>();
            foreach (var p in m.Partitions)
            {
                parts.Add(Summary(p.ContainsNull, p.ContainsNaN, p.LowerBound, p.UpperBound));
            }

            Field(text, "partitions", "[" + string.Join(",", parts) + "]");
        }

        Field(text, "key_metadata", Value(m.KeyMetadata));
        Field(text, "first_row_id", m.FirstRowId);
        return text.ToString();
    }

    private static string DescribeGenericEntry(AvroRecord entry)
    {
        var text = new StringBuilder();
        Field(text, "status", Long(entry, "status"));
        Field(text, "snapshot_id", Long(entry, "snapshot_id"));
        Field(text, "sequence_number", Long(entry, "sequence_number"));
        Field(text, "file_sequence_number", Long(entry, "file_sequence_number"));
        if (Get(entry, "data_file") is not AvroRecord df)
        {
            return text.Append("data_file=null").ToString();
        }

        Field(text, "content", Long(df, "content"));
        Field(text, "file_path", Value(Get(df, "file_path")));
        Field(text, "file_format", Value(Get(df, "file_format")));
        Field(text, "partition", Get(df, "partition") is AvroRecord partition ? Value(partition.Values) : "null");
        Field(text, "record_count", Long(df, "record_count"));
        Field(text, "file_size_in_bytes", Long(df, "file_size_in_bytes"));
        Field(text, "column_sizes", GenericMap(Get(df, "column_sizes"), bytes: false));
        Field(text, "value_counts", GenericMap(Get(df, "value_counts"), bytes: false));
        Field(text, "null_value_counts", GenericMap(Get(df, "null_value_counts"), bytes: false));
        Field(text, "nan_value_counts", GenericMap(Get(df, "nan_value_counts"), bytes: false));
        Field(text, "lower_bounds", GenericMap(Get(df, "lower_bounds"), bytes: true));
        Field(text, "upper_bounds", GenericMap(Get(df, "upper_bounds"), bytes: true));
        Field(text, "equality_ids", Longs(Get(df, "equality_ids")));
        Field(text, "split_offsets", Longs(Get(df, "split_offsets")));
        Field(text, "sort_order_id", Long(df, "sort_order_id"));
        Field(text, "referenced_data_file", Value(Get(df, "referenced_data_file")));
        Field(text, "content_offset", Long(df, "content_offset"));
        Field(text, "content_size_in_bytes", Long(df, "content_size_in_bytes"));
        Field(text, "first_row_id", Long(df, "first_row_id"));
        return text.ToString();
    }

    private static string DescribeGenericListEntry(AvroRecord r)
    {
        var text = new StringBuilder();
        Field(text, "manifest_path", Value(Get(r, "manifest_path")));
        Field(text, "manifest_length", Long(r, "manifest_length") ?? 0);
        Field(text, "partition_spec_id", Long(r, "partition_spec_id") ?? 0);
        Field(text, "content", Long(r, "content") ?? 0);
        Field(text, "sequence_number", Long(r, "sequence_number") ?? 0);
        Field(text, "min_sequence_number", Long(r, "min_sequence_number") ?? 0);
        Field(text, "added_snapshot_id", Long(r, "added_snapshot_id"));
        Field(text, "added_files_count", Long(r, "added_files_count") ?? Long(r, "added_data_files_count"));
        Field(text, "existing_files_count", Long(r, "existing_files_count") ?? Long(r, "existing_data_files_count"));
        Field(text, "deleted_files_count", Long(r, "deleted_files_count") ?? Long(r, "deleted_data_files_count"));
        Field(text, "added_rows_count", Long(r, "added_rows_count"));
        Field(text, "existing_rows_count", Long(r, "existing_rows_count"));
        Field(text, "deleted_rows_count", Long(r, "deleted_rows_count"));
        if (Get(r, "partitions") is List<object?> summaries)
        {
            var parts = new List<string>();
            foreach (var item in summaries)
            {
                var s = (AvroRecord)item!;
                parts.Add(Summary(Get(s, "contains_null") as bool? ?? true, Get(s, "contains_nan") as bool?, Get(s, "lower_bound") as byte[], Get(s, "upper_bound") as byte[]));
            }

            Field(text, "partitions", "[" + string.Join(",", parts) + "]");
        }
        else
        {
            Field(text, "partitions", "null");
        }

        Field(text, "key_metadata", Value(Get(r, "key_metadata")));
        Field(text, "first_row_id", Long(r, "first_row_id"));
        return text.ToString();
    }

    private static object? Get(AvroRecord record, string name) => record.Has(name) ? record.Get(name) : null;

    private static long? Long(AvroRecord record, string name) => Get(record, name) switch
    {
        null => null,
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    private static string Summary(bool containsNull, bool? containsNaN, byte[]? lower, byte[]? upper) =>
        $"({containsNull},{Value(containsNaN)},{Value(lower)},{Value(upper)})";

    /// <summary>Int-keyed maps: arrays of key/value records (by field name, in any order), or Avro maps with numeric string keys; null values left out.</summary>
    private static string GenericMap(object? raw, bool bytes)
    {
        if (raw is null)
        {
            return "null";
        }

        var pairs = new SortedDictionary<int, string>();
        switch (raw)
        {
            case List<object?> list:
                foreach (var item in list)
                {
                    var pair = (AvroRecord)item!;
                    if (pair.Has("key") && pair.Has("value"))
                    {
                        Add(Convert.ToInt32(pair.Get("key"), CultureInfo.InvariantCulture), pair.Get("value"));
                    }
                    else if (pair.Values.Length == 2)
                    {
                        // Pair records with other field names are read as key then value.
                        Add(Convert.ToInt32(pair.Values[0], CultureInfo.InvariantCulture), pair.Values[1]);
                    }
                }

                break;
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    Add(int.Parse(key, CultureInfo.InvariantCulture), value);
                }

                break;
            default:
                throw new InvalidOperationException($"unexpected metrics map {raw.GetType().Name}");
        }

        return MapText(pairs);

        void Add(int key, object? value)
        {
            if (value is null || (bytes && value is not byte[]))
            {
                return;
            }

            pairs[key] = bytes ? Value(value) : Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string Map(IReadOnlyDictionary<int, long>? map)
    {
        if (map is null)
        {
            return "null";
        }

        var pairs = new SortedDictionary<int, string>();
        foreach (var (key, value) in map)
        {
            pairs[key] = value.ToString(CultureInfo.InvariantCulture);
        }

        return MapText(pairs);
    }

    private static string Map(IReadOnlyDictionary<int, byte[]>? map)
    {
        if (map is null)
        {
            return "null";
        }

        var pairs = new SortedDictionary<int, string>();
        foreach (var (key, value) in map)
        {
            pairs[key] = Value(value);
        }

        return MapText(pairs);
    }

    private static string MapText(SortedDictionary<int, string> pairs)
    {
        var parts = new List<string>(pairs.Count);
        foreach (var (key, value) in pairs)
        {
            parts.Add(key.ToString(CultureInfo.InvariantCulture) + ":" + value);
        }

        return "{" + string.Join(",", parts) + "}";
    }

    private static string Longs(object? raw)
    {
        if (raw is not List<object?> list)
        {
            return raw is null ? "null" : Value(raw);
        }

        var parts = new List<string>(list.Count);
        foreach (var item in list)
        {
            parts.Add(Convert.ToInt64(item, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }

        return "[" + string.Join(",", parts) + "]";
    }

    /// <summary>A value with its type, so that an int and a long, or a string and bytes, never look alike.</summary>
    public static string Value(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "0x" + Convert.ToHexStringLower(bytes),
        string s => "'" + s + "'",
        bool b => b ? "true" : "false",
        float f => "float:" + f.ToString("R", CultureInfo.InvariantCulture),
        double d => "double:" + d.ToString("R", CultureInfo.InvariantCulture),
        int i => "int:" + i.ToString(CultureInfo.InvariantCulture),
        long l => "long:" + l.ToString(CultureInfo.InvariantCulture),
        AvroRecord r => "{" + Value(r.Values) + "}",
        object?[] values => "[" + string.Join(",", values.Select(Value)) + "]",
        List<object?> list => "[" + string.Join(",", list.Select(Value)) + "]",
        Dictionary<string, object?> map => "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Value(p.Value))) + "}",
        _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static void Field(StringBuilder text, string name, long? value) =>
        Field(text, name, value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null");

    private static void Field(StringBuilder text, string name, string value) => text.Append(name).Append('=').Append(value).Append(';');
}
