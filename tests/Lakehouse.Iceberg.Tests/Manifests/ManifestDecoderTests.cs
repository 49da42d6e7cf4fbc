using System.Numerics;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

/// <summary>
/// The direct manifest and manifest list decoders against known values and against the generic Avro decoding:
/// files as this project writes them, format v1 files, and layouts other writers produce.
/// </summary>
public sealed class ManifestDecoderTests : IDisposable
{
    private const string PartitionedTableJson =
        """
        {"format-version": 2, "table-uuid": "6a0c2f57-58c5-4ad4-9b2f-3c1c5ae7b1d1", "location": "/warehouse/t",
         "last-sequence-number": 9, "last-updated-ms": 0, "last-column-id": 8, "current-schema-id": 0,
         "schemas": [{"type": "struct", "schema-id": 0, "fields": [
           {"id": 1, "name": "id", "required": true, "type": "long"},
           {"id": 2, "name": "day", "required": false, "type": "date"},
           {"id": 3, "name": "price", "required": false, "type": "decimal(9, 2)"},
           {"id": 4, "name": "name", "required": false, "type": "string"},
           {"id": 5, "name": "flag", "required": false, "type": "boolean"},
           {"id": 6, "name": "ratio", "required": false, "type": "double"},
           {"id": 7, "name": "uid", "required": false, "type": "uuid"},
           {"id": 8, "name": "at", "required": false, "type": "timestamptz"}]}],
         "default-spec-id": 0,
         "partition-specs": [{"spec-id": 0, "fields": [
           {"name": "day", "transform": "identity", "source-id": 2, "field-id": 1000},
           {"name": "price", "transform": "identity", "source-id": 3, "field-id": 1001},
           {"name": "name", "transform": "identity", "source-id": 4, "field-id": 1002},
           {"name": "flag", "transform": "identity", "source-id": 5, "field-id": 1003},
           {"name": "ratio", "transform": "identity", "source-id": 6, "field-id": 1004},
           {"name": "uid", "transform": "identity", "source-id": 7, "field-id": 1005},
           {"name": "at_hour", "transform": "hour", "source-id": 8, "field-id": 1006}]}],
         "last-partition-id": 1006, "default-sort-order-id": 0, "sort-orders": [{"order-id": 0, "fields": []}]}
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void V2ManifestAndListFromOurWriterDecodeToTheWrittenValues(AvroCodec codec)
    {
        var table = PartitionedTable();
        var metadata = table.Metadata;
        var uid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        DataFile[] files =
        [
            DataFileOf("a.parquet", [19_000, new BigInteger(-12_345), "north", true, 2.5, uid, 480_000]) with
            {
                ColumnSizes = new Dictionary<int, long> { [1] = 100, [4] = 4_000_000_000 },
                ValueCounts = new Dictionary<int, long> { [1] = 10, [4] = 10 },
                NullValueCounts = new Dictionary<int, long> { [1] = 0, [4] = 3 },
                NanValueCounts = new Dictionary<int, long> { [6] = 1 },
                LowerBounds = new Dictionary<int, byte[]> { [1] = BitConverter.GetBytes(-5L), [4] = "a"u8.ToArray() },
                UpperBounds = new Dictionary<int, byte[]> { [1] = BitConverter.GetBytes(99L), [4] = "zz"u8.ToArray() },
                SplitOffsets = [4L, 1_048_576L, 5_000_000_000L],
                SortOrderId = 0,
            },
            DataFileOf("b.parquet", [null, null, null, null, null, null, null]),
            DataFileOf("c.parquet", [-1, new BigInteger(999_999_999), "", false, double.NaN, Guid.Empty, -1]) with
            {
                ValueCounts = new Dictionary<int, long>(),
                LowerBounds = new Dictionary<int, byte[]>(),
                SplitOffsets = [],
                SortOrderId = 3,
            },
        ];

        var manifestPath = _temp.File("m0.avro");
        var written = ManifestWriter.WriteDataManifest(LocalFileIO.Instance, manifestPath, manifestPath, metadata.CurrentSchema, metadata.DefaultSpec, 42, 5, files, codec);
        var secondPath = _temp.File("m1.avro");
        var second = ManifestWriter.WriteDataManifest(LocalFileIO.Instance, secondPath, secondPath, metadata.CurrentSchema, metadata.DefaultSpec, 43, 6, [files[1]], codec);
        var listPath = _temp.File("snap-43.avro");
        ManifestWriter.WriteManifestList(LocalFileIO.Instance, listPath, 43, 42, 6, [written, second], codec);

        ManifestDecoding.AssertEntriesAgree(File.ReadAllBytes(manifestPath), manifestPath);
        ManifestDecoding.AssertListsAgree(File.ReadAllBytes(listPath), listPath);

        var manifests = ManifestReader.ReadManifestList(table, listPath);
        Assert.Equal(2, manifests.Count);
        Assert.Equal(ManifestDecoding.Describe(written), ManifestDecoding.Describe(manifests[0]));
        Assert.Equal(ManifestDecoding.Describe(second), ManifestDecoding.Describe(manifests[1]));
        Assert.Equal(7, manifests[0].Partitions!.Count);
        Assert.True(manifests[0].Partitions![4].ContainsNaN);
        Assert.Null(manifests[0].Partitions![0].ContainsNaN);
        Assert.True(manifests[0].Partitions![0].ContainsNull);
        Assert.Equal(BitConverter.GetBytes(-1), manifests[0].Partitions![0].LowerBound);
        Assert.Equal(6, manifests[0].AddedRowsCount);

        var entries = ManifestReader.ReadManifest(table, manifests[0]);
        Assert.Equal(files.Length, entries.Count);
        for (var i = 0; i < files.Length; i++)
        {
            var entry = entries[i];
            Assert.Equal(ManifestEntryStatus.Added, entry.Status);
            Assert.Equal(42, entry.SnapshotId);
            var expected = files[i] with { DataSequenceNumber = 5, FileSequenceNumber = 5 };
            Assert.Equal(DescribeFile(expected), DescribeFile(entry.File));
        }

        var inherited = Assert.Single(ManifestReader.ReadManifest(table, manifests[1]));
        Assert.Equal(6, inherited.File.DataSequenceNumber);
        Assert.Equal(43, inherited.SnapshotId);
    }

    [Fact]
    public void V2DeleteManifestWithExplicitAndInheritedSequenceNumbers()
    {
        var table = PartitionedTable();
        var partitionType = table.Metadata.DefaultSpec.PartitionType(table.Metadata.CurrentSchema);
        var writer = new AvroFileWriter(ManifestAvroSchemas.ManifestEntry(partitionType).ToJsonString());
        object?[] partition = [19_000, null, "x", null, null, null, null];
        writer.Append(new object?[] { 0, 7L, 3L, 4L, DeleteFileRecord(2, "eq.parquet", partition, [1, 4]) });
        writer.Append(new object?[] { 2, null, null, null, DeleteFileRecord(2, "eq-old.parquet", partition, [4]) });
        writer.Append(new object?[] { 1, null, null, null, DeleteFileRecord(1, "pos.parquet", partition, null) });
        var path = _temp.File("deletes.avro");
        File.WriteAllBytes(path, writer.ToBytes());

        var lines = ManifestDecoding.AssertEntriesAgree(File.ReadAllBytes(path), path);
        Assert.Contains("equality_ids=[1,4];", lines[0]);
        Assert.Contains("sequence_number=3;file_sequence_number=4;", lines[0]);

        var manifest = new ManifestFile
        {
            RecordedPath = path,
            Path = path,
            PartitionSpecId = 0,
            Content = ManifestContent.Deletes,
            SequenceNumber = 9,
            AddedSnapshotId = 11,
        };
        var entries = ManifestReader.ReadManifest(table, manifest);
        Assert.Equal(3, entries.Count);

        Assert.Equal("Existing/7/3/4", Sequences(entries[0]));
        Assert.Equal(FileContent.EqualityDeletes, entries[0].File.Content);
        Assert.Equal([1, 4], entries[0].File.EqualityFieldIds!);
        Assert.Equal(19_000, entries[0].File.Partition[0]);
        Assert.Equal("x", entries[0].File.Partition[2]);
        Assert.Null(entries[0].File.Partition[1]);

        // Deleted and existing entries inherit the file sequence number from their data sequence number.
        Assert.Equal("Deleted/11/9/9", Sequences(entries[1]));
        Assert.Equal("Added/11/9/9", Sequences(entries[2]));
        Assert.Equal(FileContent.PositionDeletes, entries[2].File.Content);
        Assert.Null(entries[2].File.EqualityFieldIds);
        Assert.Equal(3, entries[2].File.SortOrderId);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void V1ManifestAndListDecodeToTheWrittenValues(AvroCodec codec)
    {
        var folder = _temp.FullPath;
        var table = IcebergTable.FromMetadata(LocalFileIO.Instance, folder, folder + "/metadata/v1.metadata.json", TableMetadataParser.Parse(
            """
            {"format-version": 1, "location": "/warehouse/v1", "last-updated-ms": 0, "last-column-id": 2,
             "schema": {"type": "struct", "fields": [
               {"id": 1, "name": "id", "required": true, "type": "long"},
               {"id": 2, "name": "category", "required": false, "type": "string"}]},
             "partition-spec": [{"name": "category", "transform": "identity", "source-id": 2, "field-id": 1000}]}
            """));

        var manifest = new AvroFileWriter(V1EntrySchema, codec);
        manifest.SetMetadata("partition-spec-id", "0");
        manifest.Append(new object?[]
        {
            1, 100L,
            new object?[]
            {
                "/warehouse/v1/data/a.avro", "AVRO", new object?[] { "tools" }, 17L, 2048L, 67_108_864L, null, null,
                new object?[] { new object?[] { 1, 80L } },
                new object?[] { new object?[] { 1, 17L }, new object?[] { 2, 17L } },
                new object?[] { new object?[] { 2, 4L } },
                null,
                new object?[] { new object?[] { 1, BitConverter.GetBytes(1L) } },
                new object?[] { new object?[] { 1, BitConverter.GetBytes(17L) } },
                null,
                new object?[] { 4L },
            },
        });
        manifest.Append(new object?[]
        {
            2, 101L,
            new object?[] { "/warehouse/v1/data/b.parquet", "PARQUET", new object?[] { null }, 3L, 512L, 67_108_864L, 7, new object?[] { 1 }, null, null, null, null, null, null, null, null },
        });
        var manifestPath = _temp.File("v1-m0.avro");
        File.WriteAllBytes(manifestPath, manifest.ToBytes());

        var list = new AvroFileWriter(V1ListSchema, codec);
        list.Append(new object?[]
        {
            "/warehouse/v1/v1-m0.avro", new FileInfo(manifestPath).Length, 0, 101L, 1, null, 1, 17L, null, 3L,
            new object?[] { new object?[] { true, "tools"u8.ToArray(), null } },
        });
        var listPath = _temp.File("v1-snap.avro");
        File.WriteAllBytes(listPath, list.ToBytes());

        ManifestDecoding.AssertEntriesAgree(File.ReadAllBytes(manifestPath), manifestPath);
        ManifestDecoding.AssertListsAgree(File.ReadAllBytes(listPath), listPath);

        var manifestFile = Assert.Single(ManifestReader.ReadManifestList(table, listPath));
        Assert.Equal((1, (int?)null, 1), (manifestFile.AddedFilesCount!.Value, manifestFile.ExistingFilesCount, manifestFile.DeletedFilesCount!.Value));
        Assert.Equal((17L, (long?)null, 3L), (manifestFile.AddedRowsCount!.Value, manifestFile.ExistingRowsCount, manifestFile.DeletedRowsCount!.Value));
        Assert.Equal(101, manifestFile.AddedSnapshotId);
        Assert.Equal(0, manifestFile.SequenceNumber);
        var summary = Assert.Single(manifestFile.Partitions!);
        Assert.Equal((true, (bool?)null), (summary.ContainsNull, summary.ContainsNaN));
        Assert.Equal("tools"u8.ToArray(), summary.LowerBound);
        Assert.Null(summary.UpperBound);
        Assert.Equal(manifestPath, manifestFile.Path);

        var entries = ManifestReader.ReadManifest(table, manifestFile);
        Assert.Equal(2, entries.Count);
        var first = entries[0].File;
        Assert.Equal("Added/100//", Sequences(entries[0]));
        Assert.Equal((FileContent.Data, FileFormat.Avro, 17L, 2048L), (first.Content, first.Format, first.RecordCount, first.FileSizeInBytes));
        Assert.Equal("tools", Assert.Single(first.Partition));
        Assert.Equal(new Dictionary<int, long> { [1] = 17, [2] = 17 }, first.ValueCounts);
        Assert.Equal(new Dictionary<int, long> { [2] = 4 }, first.NullValueCounts);
        Assert.Null(first.NanValueCounts);
        Assert.Equal(BitConverter.GetBytes(17L), first.UpperBounds![1]);
        Assert.Equal([4L], first.SplitOffsets!);
        Assert.Null(first.DataSequenceNumber);
        Assert.Null(first.FileSequenceNumber);
        Assert.Equal((ManifestEntryStatus.Deleted, FileFormat.Parquet), (entries[1].Status, entries[1].File.Format));
        Assert.Null(Assert.Single(entries[1].File.Partition));
        Assert.Null(entries[1].File.ValueCounts);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void ManySmallEntriesSpanSeveralBlocksAndReuseTheEntryObject(AvroCodec codec)
    {
        var table = PartitionedTable();
        var partitionType = table.Metadata.DefaultSpec.PartitionType(table.Metadata.CurrentSchema);
        var writer = new AvroFileWriter(ManifestAvroSchemas.ManifestEntry(partitionType).ToJsonString(), codec);
        const int count = 2_345;
        for (var i = 0; i < count; i++)
        {
            // Every other entry has no metrics: a value left over from the previous entry would show.
            var withMetrics = i % 2 == 0;
            writer.Append(new object?[]
            {
                1, (long)i, i % 3 == 0 ? null : (long)i, null,
                new object?[]
                {
                    0, $"/warehouse/t/data/{i}.parquet", "PARQUET", new object?[] { i, null, $"p{i % 7}", i % 2 == 0, null, null, i },
                    (long)i + 1, 1000L + i,
                    withMetrics ? new object?[] { new object?[] { 1, (long)i } } : null,
                    withMetrics ? new object?[] { new object?[] { 1, 10L }, new object?[] { 4, 11L } } : null,
                    withMetrics ? new object?[] { new object?[] { 4, 0L } } : null,
                    null,
                    withMetrics ? new object?[] { new object?[] { 1, BitConverter.GetBytes((long)i) } } : null,
                    withMetrics ? new object?[] { new object?[] { 1, BitConverter.GetBytes((long)i + 5) } } : null,
                    null,
                    withMetrics ? new object?[] { 4L, (long)i } : null,
                    null,
                    withMetrics ? 1 : null,
                },
            });
        }

        var bytes = writer.ToBytes();
        var lines = ManifestDecoding.AssertEntriesAgree(bytes, "blocks.avro");
        Assert.Equal(count, lines.Count);
        Assert.Contains("file_path='/warehouse/t/data/2344.parquet';", lines[^1]);
        Assert.Contains("column_sizes=null;", lines[^2]);
        Assert.Contains("column_sizes={1:2342};", lines[^3]);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void DataFileInsideAUnion(AvroCodec codec)
    {
        var schema = EntrySchema(
            entryFields: """{"name": "status", "type": "int"}, {"name": "snapshot_id", "type": ["null", "long"]}, {"name": "data_file", "type": ["null", DATA_FILE]}""",
            dataFileFields: RequiredDataFileFields + """, {"name": "value_counts", "type": ["null", {"type": "array", "items": {"type": "record", "name": "k119_v120", "fields": [{"name": "key", "type": "int"}, {"name": "value", "type": "long"}]}}]}""");
        var writer = new AvroFileWriter(schema, codec);
        writer.Append(new object?[] { 1, 5L, new object?[] { "/d/a.parquet", "PARQUET", Array.Empty<object?>(), 10L, 100L, new object?[] { new object?[] { 3, 10L } } } });
        writer.Append(new object?[] { 2, null, null });
        writer.Append(new object?[] { 0, 6L, new object?[] { "/d/b.parquet", "parquet", Array.Empty<object?>(), 11L, 101L, null } });

        var lines = ManifestDecoding.AssertEntriesAgree(writer.ToBytes(), "union.avro");
        Assert.Equal(3, lines.Count);
        Assert.Contains("file_path='/d/a.parquet';", lines[0]);
        Assert.Contains("value_counts={3:10};", lines[0]);
        Assert.EndsWith("data_file=null", lines[1]);
        Assert.Contains("record_count=11;", lines[2]);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void FieldsInAnotherOrderAndOnlyRequiredFields(AvroCodec codec)
    {
        var schema = EntrySchema(
            entryFields: """{"name": "data_file", "type": DATA_FILE}, {"name": "file_sequence_number", "type": ["null", "long"]}, {"name": "status", "type": "int"}""",
            dataFileFields: """
                {"name": "file_size_in_bytes", "type": "long"}, {"name": "record_count", "type": "long"},
                {"name": "partition", "type": {"type": "record", "name": "r102", "fields": [{"name": "bucket", "type": ["null", "int"], "field-id": 1000}]}},
                {"name": "file_format", "type": "string"}, {"name": "file_path", "type": "string"}, {"name": "content", "type": "int"}
                """);
        var writer = new AvroFileWriter(schema, codec);
        writer.Append(new object?[] { new object?[] { 4096L, 12L, new object?[] { 3 }, "ORC", "/d/x.orc", 0 }, 8L, 1 });
        writer.Append(new object?[] { new object?[] { 1L, 2L, new object?[] { null }, "PARQUET", "/d/y.parquet", 1 }, null, 0 });

        var bytes = writer.ToBytes();
        var lines = ManifestDecoding.AssertEntriesAgree(bytes, "reordered.avro");
        Assert.Equal(
            "status=1;snapshot_id=null;sequence_number=null;file_sequence_number=8;content=0;file_path='/d/x.orc';file_format='ORC';partition=[int:3];record_count=12;file_size_in_bytes=4096;"
            + "column_sizes=null;value_counts=null;null_value_counts=null;nan_value_counts=null;lower_bounds=null;upper_bounds=null;equality_ids=null;split_offsets=null;sort_order_id=null;"
            + "referenced_data_file=null;content_offset=null;content_size_in_bytes=null;first_row_id=null;",
            lines[0]);

        // Through the reader: missing sequence numbers and snapshot ids are inherited, missing metrics stay null.
        var path = _temp.File("reordered.avro");
        File.WriteAllBytes(path, bytes);
        var table = BucketTable();
        var entries = ManifestReader.ReadManifest(table, new ManifestFile { RecordedPath = path, Path = path, PartitionSpecId = 0, SequenceNumber = 4, AddedSnapshotId = 77 });
        Assert.Equal("Added/77/4/8", Sequences(entries[0]));
        Assert.Equal(FileFormat.Orc, entries[0].File.Format);
        Assert.Equal(3, entries[0].File.Partition[0]);
        Assert.Null(entries[0].File.ValueCounts);
        Assert.Equal(FileContent.PositionDeletes, entries[1].File.Content);
        Assert.Equal("Existing/77/4/4", Sequences(entries[1]));
        Assert.Null(entries[1].File.Partition[0]);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void MapRecordsWithValueFirstNullableValuesAndIntValues(AvroCodec codec)
    {
        var schema = EntrySchema(
            entryFields: """{"name": "status", "type": "int"}, {"name": "snapshot_id", "type": ["null", "long"]}, {"name": "data_file", "type": DATA_FILE}""",
            dataFileFields: RequiredDataFileFields + """
                , {"name": "value_counts", "type": ["null", {"type": "array", "items": {"type": "record", "name": "k119_v120", "fields": [{"name": "value", "type": "long"}, {"name": "key", "type": "int"}]}}]}
                , {"name": "null_value_counts", "type": {"type": "array", "items": {"type": "record", "name": "k121_v122", "fields": [{"name": "key", "type": "int"}, {"name": "value", "type": ["null", "long"]}]}}}
                , {"name": "nan_value_counts", "type": ["null", {"type": "array", "items": {"type": "record", "name": "k138_v139", "fields": [{"name": "key", "type": "long"}, {"name": "value", "type": "int"}]}}]}
                , {"name": "lower_bounds", "type": ["null", {"type": "array", "items": {"type": "record", "name": "k126_v127", "fields": [{"name": "value", "type": ["null", "bytes"]}, {"name": "key", "type": "int"}]}}]}
                , {"name": "upper_bounds", "type": ["null", {"type": "array", "items": {"type": "record", "name": "k129_v130", "fields": [{"name": "key", "type": "int"}, {"name": "extra", "type": "string"}, {"name": "value", "type": "bytes"}]}}]}
                , {"name": "column_sizes", "type": ["null", {"type": "map", "values": "long"}]}
                """);
        var writer = new AvroFileWriter(schema, codec);
        writer.Append(new object?[]
        {
            1, 1L,
            new object?[]
            {
                "/d/a.parquet", "PARQUET", Array.Empty<object?>(), 10L, 100L,
                new object?[] { new object?[] { 10L, 1 }, new object?[] { 7L, 2 } },
                new object?[] { new object?[] { 1, 0L }, new object?[] { 2, null }, new object?[] { 3, 5L } },
                new object?[] { new object?[] { 5L, 2 } },
                new object?[] { new object?[] { new byte[] { 1, 2 }, 1 }, new object?[] { null, 2 }, new object?[] { Array.Empty<byte>(), 3 } },
                new object?[] { new object?[] { 1, "ignored", new byte[] { 9 } } },
                new Dictionary<string, object?> { ["1"] = 64L, ["12"] = 128L },
            },
        });
        writer.Append(new object?[]
        {
            1, 2L,
            new object?[] { "/d/b.parquet", "PARQUET", Array.Empty<object?>(), 1L, 1L, null, Array.Empty<object?>(), null, null, null, null },
        });

        var lines = ManifestDecoding.AssertEntriesAgree(writer.ToBytes(), "maps.avro");
        Assert.Contains("value_counts={1:10,2:7};", lines[0]);
        Assert.Contains("null_value_counts={1:0,3:5};", lines[0]);
        Assert.Contains("nan_value_counts={5:2};", lines[0]);
        Assert.Contains("lower_bounds={1:0x0102,3:0x};", lines[0]);
        Assert.Contains("upper_bounds={1:0x09};", lines[0]);
        Assert.Contains("column_sizes={1:64,12:128};", lines[0]);
        Assert.Contains("value_counts=null;null_value_counts={};nan_value_counts=null;lower_bounds=null;", lines[1]);
    }

    [Fact]
    public void MapRecordsWithNullableKeysAfterTheirValuesAreReadByFieldName()
    {
        var schema = EntrySchema(
            entryFields: """{"name": "status", "type": "int"}, {"name": "data_file", "type": DATA_FILE}""",
            dataFileFields: RequiredDataFileFields + """
                , {"name": "value_counts", "type": {"type": "array", "items": {"type": "record", "name": "k119_v120", "fields": [{"name": "value", "type": "long"}, {"name": "key", "type": ["null", "int"]}]}}}
                , {"name": "upper_bounds", "type": {"type": "array", "items": {"type": "record", "name": "k129_v130", "fields": [{"name": "value", "type": "bytes"}, {"name": "key", "type": ["null", "int"]}]}}}
                """);
        var writer = new AvroFileWriter(schema);
        writer.Append(new object?[]
        {
            1,
            new object?[]
            {
                "/d/a.parquet", "PARQUET", Array.Empty<object?>(), 10L, 100L,
                new object?[] { new object?[] { 10L, 1 }, new object?[] { 7L, 2 } },
                new object?[] { new object?[] { new byte[] { 5 }, 3 } },
            },
        });

        var line = Assert.Single(ManifestDecoding.AssertEntriesAgree(writer.ToBytes(), "nullable-keys.avro"));
        Assert.Contains("value_counts={1:10,2:7};", line);
        Assert.Contains("upper_bounds={3:0x05};", line);
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void UnknownFieldsAtTheTopAndInsideTheDataFileAreSkipped(AvroCodec codec)
    {
        var schema = EntrySchema(
            entryFields: """
                {"name": "writer_tag", "type": {"type": "map", "values": ["null", "string"]}},
                {"name": "status", "type": "int"},
                {"name": "audit", "type": ["null", {"type": "record", "name": "audit", "fields": [{"name": "who", "type": "string"}, {"name": "when", "type": "double"}]}]},
                {"name": "data_file", "type": DATA_FILE},
                {"name": "trailer", "type": {"type": "array", "items": "float"}}
                """,
            dataFileFields: """
                {"name": "block_size_in_bytes", "type": "long"},
                {"name": "file_path", "type": "string"},
                {"name": "checksum", "type": {"type": "fixed", "name": "md5", "size": 16}},
                {"name": "file_format", "type": {"type": "enum", "name": "format", "symbols": ["AVRO", "ORC", "PARQUET"]}},
                {"name": "partition", "type": {"type": "record", "name": "r102", "fields": []}},
                {"name": "record_count", "type": "long"},
                {"name": "distinct_counts", "type": ["null", {"type": "map", "values": "long"}]},
                {"name": "file_size_in_bytes", "type": "long"},
                {"name": "flags", "type": {"type": "array", "items": "boolean"}},
                {"name": "split_offsets", "type": ["null", {"type": "array", "items": "long"}]},
                {"name": "sort_order_id", "type": ["null", "long"]},
                {"name": "key_metadata", "type": ["null", "bytes"]}
                """);
        var writer = new AvroFileWriter(schema, codec);
        var checksum = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        writer.Append(new object?[]
        {
            new Dictionary<string, object?> { ["engine"] = "other", ["empty"] = null }, 1, new object?[] { "ci", 1.5 },
            new object?[] { 67_108_864L, "/d/a.parquet", checksum, "PARQUET", Array.Empty<object?>(), 9L, new Dictionary<string, object?> { ["1"] = 3L }, 900L, new object?[] { true, false }, new object?[] { 4L, 500L }, 2L, new byte[] { 7 } },
            new object?[] { 0.5f, -1f },
        });
        writer.Append(new object?[]
        {
            new Dictionary<string, object?>(), 0, null,
            new object?[] { 1L, "/d/b.avro", checksum, "AVRO", Array.Empty<object?>(), 1L, null, 10L, Array.Empty<object?>(), null, null, null },
            Array.Empty<object?>(),
        });

        var lines = ManifestDecoding.AssertEntriesAgree(writer.ToBytes(), "extra.avro");
        Assert.Contains("status=1;", lines[0]);
        Assert.Contains("file_path='/d/a.parquet';file_format='PARQUET';partition=[];record_count=9;file_size_in_bytes=900;", lines[0]);
        Assert.Contains("split_offsets=[4,500];sort_order_id=2;", lines[0]);
        Assert.Contains("file_path='/d/b.avro';file_format='AVRO';", lines[1]);
        Assert.Contains("split_offsets=null;sort_order_id=null;", lines[1]);
    }

    [Fact]
    public void V3FieldsOfDeletionVectorsAndRowLineage()
    {
        var schema = EntrySchema(
            entryFields: """{"name": "status", "type": "int"}, {"name": "snapshot_id", "type": ["null", "long"]}, {"name": "sequence_number", "type": ["null", "long"]}, {"name": "file_sequence_number", "type": ["null", "long"]}, {"name": "data_file", "type": DATA_FILE}""",
            dataFileFields: """{"name": "content", "type": "int"}, """ + RequiredDataFileFields + """
                , {"name": "first_row_id", "type": ["null", "long"]}
                , {"name": "referenced_data_file", "type": ["null", "string"]}
                , {"name": "content_offset", "type": ["null", "long"]}
                , {"name": "content_size_in_bytes", "type": ["null", "long"]}
                """);
        var writer = new AvroFileWriter(schema);
        writer.Append(new object?[] { 1, 1L, 2L, 2L, new object?[] { 0, "/d/a.parquet", "PARQUET", Array.Empty<object?>(), 10L, 100L, 1000L, null, null, null } });
        writer.Append(new object?[] { 1, 1L, null, null, new object?[] { 1, "/d/dv.puffin", "PUFFIN", Array.Empty<object?>(), 3L, 64L, null, "/d/a.parquet", 4L, 40L } });

        var lines = ManifestDecoding.AssertEntriesAgree(writer.ToBytes(), "v3.avro");
        Assert.Contains("first_row_id=1000;", lines[0]);
        Assert.Contains("referenced_data_file='/d/a.parquet';content_offset=4;content_size_in_bytes=40;first_row_id=null;", lines[1]);
    }

    [Fact]
    public void ManifestListLayoutsOfOtherWriters()
    {
        const string schema =
            """
            {"type": "record", "name": "manifest_file", "fields": [
              {"name": "partitions", "type": ["null", {"type": "array", "items": {"type": "record", "name": "r508", "fields": [
                {"name": "upper_bound", "type": ["null", "bytes"]},
                {"name": "note", "type": "string"},
                {"name": "contains_null", "type": "boolean"},
                {"name": "lower_bound", "type": ["null", "bytes"]}]}}]},
              {"name": "added_snapshot_id", "type": ["null", "long"]},
              {"name": "manifest_path", "type": "string"},
              {"name": "extra", "type": {"type": "map", "values": "int"}},
              {"name": "content", "type": "int"},
              {"name": "manifest_length", "type": "long"},
              {"name": "partition_spec_id", "type": "int"},
              {"name": "sequence_number", "type": "long"},
              {"name": "added_data_files_count", "type": ["null", "int"]},
              {"name": "key_metadata", "type": ["null", "bytes"]},
              {"name": "first_row_id", "type": ["null", "long"]}]}
            """;
        var writer = new AvroFileWriter(schema, AvroCodec.Deflate);
        writer.Append(new object?[]
        {
            new object?[] { new object?[] { new byte[] { 9 }, "n", false, new byte[] { 1 } }, new object?[] { null, "", true, null } },
            12L, "/warehouse/t/metadata/m.avro", new Dictionary<string, object?> { ["x"] = 1 }, 1, 4321L, 2, 8L, 3, new byte[] { 0xAB }, 500L,
        });
        writer.Append(new object?[] { null, null, "s3://b/t/metadata/n.avro", new Dictionary<string, object?>(), 0, 1L, 0, 1L, null, null, null });

        var lines = ManifestDecoding.AssertListsAgree(writer.ToBytes(), "list.avro");
        Assert.Equal(
            "manifest_path='/warehouse/t/metadata/m.avro';manifest_length=4321;partition_spec_id=2;content=1;sequence_number=8;min_sequence_number=0;added_snapshot_id=12;"
            + "added_files_count=3;existing_files_count=null;deleted_files_count=null;added_rows_count=null;existing_rows_count=null;deleted_rows_count=null;"
            + "partitions=[(False,null,0x01,0x09),(True,null,null,null)];key_metadata=0xab;first_row_id=500;",
            lines[0]);
        Assert.Contains("manifest_path='s3://b/t/metadata/n.avro';", lines[1]);
        Assert.Contains("partitions=null;", lines[1]);
    }

    [Fact]
    public void EveryManifestAndManifestListInTheSharedTablesDecodesAsTheGenericPathDoes()
    {
        var manifests = 0;
        var lists = 0;
        var entries = 0;
        var rejected = 0;
        foreach (var path in Directory.EnumerateFiles(IcebergSharedFolder.Iceberg, "*.avro", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            AvroRecordSchema? schema;
            try
            {
                schema = AvroFileReader.Read(bytes, path).Schema as AvroRecordSchema;
            }
            catch (IcebergException generic)
            {
                // Files the generic decoding rejects (an encrypted manifest list) the direct decoders reject alike.
                Assert.Equal(generic.Code, Assert.Throws<IcebergException>(() => ManifestDecoding.DirectEntries(bytes, path)).Code);
                Assert.Equal(generic.Code, Assert.Throws<IcebergException>(() => ManifestDecoding.DirectList(bytes, path)).Code);
                rejected++;
                continue;
            }

            if (schema?.IndexOf("data_file") >= 0)
            {
                var lines = ManifestDecoding.AssertEntriesAgree(bytes, path);
                Assert.All(lines, line => Assert.Contains("file_path='", line));
                entries += lines.Count;
                manifests++;
            }
            else if (schema?.IndexOf("manifest_path") >= 0)
            {
                var lines = ManifestDecoding.AssertListsAgree(bytes, path);
                Assert.All(lines, line => Assert.StartsWith("manifest_path='", line));
                lists++;
            }
        }

        Assert.True(manifests > 20, $"only {manifests} manifests found");
        Assert.True(lists > 20, $"only {lists} manifest lists found");
        Assert.True(entries >= manifests);
        Assert.True(rejected <= 1, $"{rejected} files are not readable Avro");
    }

    private static string Sequences(ManifestEntry e) => $"{e.Status}/{e.SnapshotId}/{e.File.DataSequenceNumber}/{e.File.FileSequenceNumber}";

    internal static IcebergTable PartitionedTable() =>
        IcebergTable.FromMetadata(LocalFileIO.Instance, "/warehouse/t", "/warehouse/t/metadata/v1.metadata.json", TableMetadataParser.Parse(PartitionedTableJson));

    private static IcebergTable BucketTable() =>
        IcebergTable.FromMetadata(LocalFileIO.Instance, "/warehouse/b", "/warehouse/b/metadata/v1.metadata.json", TableMetadataParser.Parse(
            """
            {"format-version": 2, "table-uuid": "0b0e8f5c-7d65-4c43-8f1a-4f8b2b7e6a10", "location": "/warehouse/b",
             "last-sequence-number": 4, "last-updated-ms": 0, "last-column-id": 1, "current-schema-id": 0,
             "schemas": [{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]}],
             "default-spec-id": 0,
             "partition-specs": [{"spec-id": 0, "fields": [{"name": "bucket", "transform": "bucket[8]", "source-id": 1, "field-id": 1000}]}],
             "last-partition-id": 1000, "default-sort-order-id": 0, "sort-orders": [{"order-id": 0, "fields": []}]}
            """));

    internal static DataFile DataFileOf(string name, object?[] partition) => new()
    {
        Content = FileContent.Data,
        Path = "/warehouse/t/data/" + name,
        RecordedPath = "/warehouse/t/data/" + name,
        Format = FileFormat.Parquet,
        SpecId = 0,
        Partition = partition,
        RecordCount = 2,
        FileSizeInBytes = 1000 + name[0],
    };

    private static object?[] DeleteFileRecord(int content, string name, object?[] partition, object?[]? equalityIds) =>
    [
        content, "/warehouse/t/data/" + name, "PARQUET", partition, 2L, 300L,
        null, null, null, null, null, null, null, null, equalityIds, content == 1 ? 3 : null,
    ];

    private const string RequiredDataFileFields =
        """
        {"name": "file_path", "type": "string"}, {"name": "file_format", "type": "string"},
        {"name": "partition", "type": {"type": "record", "name": "r102", "fields": []}},
        {"name": "record_count", "type": "long"}, {"name": "file_size_in_bytes", "type": "long"}
        """;

    private static string EntrySchema(string entryFields, string dataFileFields) =>
        """{"type": "record", "name": "manifest_entry", "fields": [""" + entryFields.Replace(
            "DATA_FILE", """{"type": "record", "name": "r2", "fields": [""" + dataFileFields + "]}", StringComparison.Ordinal) + "]}";

    private static string DescribeFile(DataFile f) =>
        string.Join(";",
            f.Content, f.Path, f.RecordedPath, f.Format, f.SpecId, ManifestDecoding.Value(f.Partition.Select(PartitionText).ToArray()), f.RecordCount, f.FileSizeInBytes,
            MapText(f.ColumnSizes), MapText(f.ValueCounts), MapText(f.NullValueCounts), MapText(f.NanValueCounts), MapText(f.LowerBounds), MapText(f.UpperBounds),
            f.EqualityFieldIds is null ? "null" : string.Join(",", f.EqualityFieldIds), f.SplitOffsets is null ? "null" : "[" + string.Join(",", f.SplitOffsets) + "]",
            f.SortOrderId?.ToString() ?? "null", f.ReferencedDataFile ?? "null", f.ContentOffset?.ToString() ?? "null", f.ContentSizeInBytes?.ToString() ?? "null",
            f.FirstRowId?.ToString() ?? "null", f.DataSequenceNumber?.ToString() ?? "null", f.FileSequenceNumber?.ToString() ?? "null");

    private static object? PartitionText(object? value) => value is null ? null : value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string MapText<T>(IReadOnlyDictionary<int, T>? map) =>
        map is null ? "null" : "{" + string.Join(",", map.OrderBy(p => p.Key).Select(p => p.Key + ":" + ManifestDecoding.Value(p.Value))) + "}";

    private const string V1EntrySchema =
        """
        {"type": "record", "name": "manifest_entry", "fields": [
          {"name": "status", "type": "int", "field-id": 0},
          {"name": "snapshot_id", "type": "long", "field-id": 1},
          {"name": "data_file", "field-id": 2, "type": {"type": "record", "name": "r2", "fields": [
            {"name": "file_path", "type": "string", "field-id": 100},
            {"name": "file_format", "type": "string", "field-id": 101},
            {"name": "partition", "field-id": 102, "type": {"type": "record", "name": "r102", "fields": [
              {"name": "category", "type": ["null", "string"], "field-id": 1000}]}},
            {"name": "record_count", "type": "long", "field-id": 103},
            {"name": "file_size_in_bytes", "type": "long", "field-id": 104},
            {"name": "block_size_in_bytes", "type": "long", "field-id": 105},
            {"name": "file_ordinal", "type": ["null", "int"], "field-id": 106},
            {"name": "sort_columns", "type": ["null", {"type": "array", "items": "int", "element-id": 112}], "field-id": 107},
            {"name": "column_sizes", "field-id": 108, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k117_v118", "fields": [
              {"name": "key", "type": "int", "field-id": 117}, {"name": "value", "type": "long", "field-id": 118}]}}]},
            {"name": "value_counts", "field-id": 109, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k119_v120", "fields": [
              {"name": "key", "type": "int", "field-id": 119}, {"name": "value", "type": "long", "field-id": 120}]}}]},
            {"name": "null_value_counts", "field-id": 110, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k121_v122", "fields": [
              {"name": "key", "type": "int", "field-id": 121}, {"name": "value", "type": "long", "field-id": 122}]}}]},
            {"name": "distinct_counts", "field-id": 111, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k123_v124", "fields": [
              {"name": "key", "type": "int", "field-id": 123}, {"name": "value", "type": "long", "field-id": 124}]}}]},
            {"name": "lower_bounds", "field-id": 125, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k126_v127", "fields": [
              {"name": "key", "type": "int", "field-id": 126}, {"name": "value", "type": "bytes", "field-id": 127}]}}]},
            {"name": "upper_bounds", "field-id": 128, "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k129_v130", "fields": [
              {"name": "key", "type": "int", "field-id": 129}, {"name": "value", "type": "bytes", "field-id": 130}]}}]},
            {"name": "key_metadata", "type": ["null", "bytes"], "field-id": 131},
            {"name": "split_offsets", "type": ["null", {"type": "array", "items": "long", "element-id": 133}], "field-id": 132}]}}]}
        """;

    private const string V1ListSchema =
        """
        {"type": "record", "name": "manifest_file", "fields": [
          {"name": "manifest_path", "type": "string", "field-id": 500},
          {"name": "manifest_length", "type": "long", "field-id": 501},
          {"name": "partition_spec_id", "type": "int", "field-id": 502},
          {"name": "added_snapshot_id", "type": ["null", "long"], "field-id": 503},
          {"name": "added_data_files_count", "type": ["null", "int"], "field-id": 504},
          {"name": "existing_data_files_count", "type": ["null", "int"], "field-id": 505},
          {"name": "deleted_data_files_count", "type": ["null", "int"], "field-id": 506},
          {"name": "added_rows_count", "type": ["null", "long"], "field-id": 512},
          {"name": "existing_rows_count", "type": ["null", "long"], "field-id": 513},
          {"name": "deleted_rows_count", "type": ["null", "long"], "field-id": 514},
          {"name": "partitions", "field-id": 507, "type": ["null", {"type": "array", "element-id": 508, "items": {"type": "record", "name": "r508", "fields": [
            {"name": "contains_null", "type": "boolean", "field-id": 509},
            {"name": "lower_bound", "type": ["null", "bytes"], "field-id": 510},
            {"name": "upper_bound", "type": ["null", "bytes"], "field-id": 511}]}}]}]}
        """;
}
