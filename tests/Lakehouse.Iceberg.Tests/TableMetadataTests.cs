using Lakehouse.Iceberg.Metadata;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

public class TableMetadataTests
{
    private static readonly string[] RejectMarkers = ["Missing", "NotFound", "Unsupported", "NoValid", "WithoutCurrentId"];

    public static IEnumerable<object[]> SpecVectorFiles()
    {
        var root = Path.Combine(IcebergSharedFolder.Iceberg, "spec-vectors");
        foreach (var f in Directory.GetFiles(Path.Combine(root, "apache-iceberg"), "TableMetadata*.json")
                     .Concat(Directory.GetFiles(Path.Combine(root, "iceberg-rust", "table_metadata"), "*.json")))
        {
            yield return [Path.GetRelativePath(root, f)];
        }
    }

    [Theory]
    [MemberData(nameof(SpecVectorFiles))]
    public void SpecVectorsParseOrAreRejected(string relativePath)
    {
        var path = Path.Combine(IcebergSharedFolder.Iceberg, "spec-vectors", relativePath);
        var json = File.ReadAllText(path);
        var name = Path.GetFileNameWithoutExtension(path);
        if (RejectMarkers.Any(m => name.Contains(m, StringComparison.Ordinal)))
        {
            var e = Assert.Throws<IcebergException>(() => TableMetadataParser.Parse(json, name));
            Assert.Equal(IcebergException.InvalidMetadata, e.Code);
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
        else
        {
            var metadata = TableMetadataParser.Parse(json, name);
            Assert.InRange(metadata.FormatVersion, 1, 3);
            Assert.NotEmpty(metadata.CurrentSchema.Columns);
            Assert.NotNull(metadata.DefaultSpec);
        }
    }

    [Fact]
    public void V2ValidDocumentHasExpectedContent()
    {
        var json = File.ReadAllText(Path.Combine(IcebergSharedFolder.Iceberg, "spec-vectors", "apache-iceberg", "TableMetadataV2Valid.json"));
        var m = TableMetadataParser.Parse(json);
        Assert.Equal(2, m.FormatVersion);
        Assert.Equal(1, m.CurrentSchemaId);
        Assert.Equal(3, m.CurrentSchema.Columns.Count);
        Assert.Equal([1, 2], m.CurrentSchema.IdentifierFieldIds);
        Assert.Equal("identity", m.DefaultSpec.Fields[0].Transform.ToString());
        Assert.Equal(1000, m.DefaultSpec.Fields[0].FieldId);
        Assert.Equal(3055729675574597004L, m.CurrentSnapshotId);
        Assert.Equal("s3://a/b/2.avro", m.CurrentSnapshot!.ManifestList);
        Assert.Equal(3055729675574597004L, m.Refs["main"].SnapshotId);
        Assert.Equal("bucket[4]", m.SortOrders.Single(o => o.OrderId == 3).Fields[1].Transform.ToString());
        Assert.Equal(2, m.SnapshotLog.Count);
    }

    [Fact]
    public void V1PartitionSpecsWithoutDefaultIdUsesHighestSpec()
    {
        var json = File.ReadAllText(Path.Combine(IcebergSharedFolder.Iceberg, "spec-vectors", "iceberg-rust", "table_metadata", "TableMetadataV1PartitionSpecsWithoutDefaultId.json"));
        var m = TableMetadataParser.Parse(json);
        Assert.Equal(2, m.DefaultSpecId);
        Assert.Null(m.CurrentSnapshotId);
    }

    [Fact]
    public void NestedAndParameterizedTypesParse()
    {
        const string json = """
        {"format-version":3,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1","location":"/t","last-sequence-number":0,
         "last-updated-ms":1,"last-column-id":9,"current-schema-id":0,"next-row-id":5,
         "schemas":[{"type":"struct","schema-id":0,"fields":[
           {"id":1,"name":"d","required":false,"type":"decimal(9,2)","initial-default":"1.50"},
           {"id":2,"name":"f","required":false,"type":"fixed[16]"},
           {"id":3,"name":"l","required":false,"type":{"type":"list","element-id":4,"element":"timestamp_ns","element-required":true}},
           {"id":5,"name":"m","required":false,"type":{"type":"map","key-id":6,"key":"string","value-id":7,"value":"variant","value-required":false}},
           {"id":8,"name":"s","required":true,"type":{"type":"struct","fields":[{"id":9,"name":"g","required":false,"type":"geometry(srid:4326)"}]}}]}],
         "default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[{"name":"d_bucket","transform":"bucket[8]","source-id":1,"field-id":1000}]}],
         "last-partition-id":1000,"default-sort-order-id":0,"sort-orders":[{"order-id":0,"fields":[]}],"current-snapshot-id":null}
        """;
        var m = TableMetadataParser.Parse(json);
        var schema = m.CurrentSchema;
        Assert.Equal("decimal(9, 2)", schema.FindField(1)!.Type.ToString());
        Assert.Equal(new System.Numerics.BigInteger(150), Conversions.JsonSingleValue.FromJson(schema.FindField(1)!.Type, schema.FindField(1)!.InitialDefault));
        Assert.Equal("fixed[16]", schema.FindField(2)!.Type.ToString());
        Assert.Equal(Types.TypeId.TimestampNs, schema.FindField(4)!.Type.Id);
        Assert.Equal(Types.TypeId.Variant, schema.FindField(7)!.Type.Id);
        Assert.Equal(Types.TypeId.Geometry, schema.FindField(9)!.Type.Id);
        Assert.Equal(5L, m.NextRowId);
        Assert.Null(m.CurrentSnapshot);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"format-version":2}""", "location")]
    [InlineData("""{"format-version":4,"location":"x"}""", "format-version 4")]
    public void BadDocumentsAreRejectedWithClearMessage(string json, string expected)
    {
        var e = Assert.Throws<IcebergException>(() => TableMetadataParser.Parse(json, "doc.json"));
        Assert.Equal(IcebergException.InvalidMetadata, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> DuckDbMetadataFiles()
    {
        foreach (var dir in new[] { "duckdb-iceberg", "duckdb-iceberg-generated" })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(IcebergSharedFolder.Iceberg, dir), "*.metadata.json", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(IcebergSharedFolder.Iceberg, f);
                if (!rel.Contains("bad_data", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
                {
                    yield return [rel];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(DuckDbMetadataFiles))]
    public void RealTableMetadataFilesLoad(string relativePath)
    {
        if (relativePath.EndsWith("big_query_error/metadata/v0.metadata.json", StringComparison.Ordinal))
        {
            // A placeholder document holding only properties: it must be rejected, not loaded.
            var e = Assert.Throws<IcebergException>(() => IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, relativePath)));
            Assert.Equal(IcebergException.InvalidMetadata, e.Code);
            return;
        }

        var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, relativePath));
        Assert.NotEmpty(table.Metadata.Schemas);
        Assert.NotNull(table.Metadata.CurrentSchema);
    }

    [Fact]
    public void MissingTableIsReported()
    {
        var e = Assert.Throws<IcebergException>(() => IcebergTable.Load(LocalFileIO.Instance, Path.Combine(Path.GetTempPath(), "no-such-table-" + Guid.NewGuid())));
        Assert.Equal(IcebergException.TableNotFound, e.Code);
        Assert.Contains("no Iceberg table at", e.Message, StringComparison.Ordinal);
    }
}
