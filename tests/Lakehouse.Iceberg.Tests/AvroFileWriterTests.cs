using Lakehouse.Iceberg.Manifests;

namespace Lakehouse.Iceberg.Tests;

public sealed class AvroFileWriterTests
{
    private const string SchemaJson = """
        {"type": "record", "name": "sample", "fields": [
          {"name": "id", "type": "long", "field-id": 1},
          {"name": "small", "type": "int", "field-id": 2},
          {"name": "name", "type": ["null", "string"], "default": null, "field-id": 3},
          {"name": "flag", "type": "boolean", "field-id": 4},
          {"name": "ratio", "type": "double", "field-id": 5},
          {"name": "weight", "type": "float", "field-id": 6},
          {"name": "payload", "type": ["null", "bytes"], "default": null, "field-id": 7},
          {"name": "digest", "type": {"type": "fixed", "name": "digest4", "size": 4}, "field-id": 8},
          {"name": "tags", "type": {"type": "array", "items": "string", "element-id": 9}, "field-id": 10},
          {"name": "attributes", "type": {"type": "map", "values": "long"}, "field-id": 11},
          {"name": "color", "type": {"type": "enum", "name": "color", "symbols": ["red", "green"]}, "field-id": 12},
          {"name": "pairs", "type": ["null", {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "k1_v2",
            "fields": [{"name": "key", "type": "int", "field-id": 13}, {"name": "value", "type": "bytes", "field-id": 14}]}}], "default": null, "field-id": 15}
        ]}
        """;

    [Theory]
    [InlineData(AvroCodec.Null, "null")]
    [InlineData(AvroCodec.Deflate, "deflate")]
    public void RecordsRoundTripThroughTheReader(AvroCodec codec, string codecName)
    {
        var writer = new AvroFileWriter(SchemaJson, codec);
        writer.SetMetadata("format-version", "2");
        const int count = 2500;
        for (var i = 0; i < count; i++)
        {
            writer.Append(Row(i));
        }

        var file = AvroFileReader.Read(writer.ToBytes(), "sample.avro");

        Assert.Equal(codecName, file.MetadataString("avro.codec"));
        Assert.Equal("2", file.MetadataString("format-version"));
        Assert.Equal(count, file.Records.Count);
        for (var i = 0; i < count; i += 97)
        {
            var record = Assert.IsType<AvroRecord>(file.Records[i]);
            Assert.Equal((long)i * 1_000_003 - 5, record.Get("id"));
            Assert.Equal(-i, record.Get("small"));
            Assert.Equal(i % 3 == 0 ? null : "name-" + i, record.Get("name"));
            Assert.Equal(i % 2 == 0, record.Get("flag"));
            Assert.Equal(i / 7.0, record.Get("ratio"));
            Assert.Equal(i * 0.5f, record.Get("weight"));
            Assert.Equal(i % 5 == 0 ? null : new byte[] { (byte)i, 0, 255 }, record.Get("payload") as byte[]);
            Assert.Equal(BitConverter.GetBytes(i), record.Get("digest") as byte[]);
            Assert.Equal(Enumerable.Range(0, i % 4).Select(t => "t" + t).Cast<object?>().ToList(), record.Get("tags"));
            var attributes = Assert.IsType<Dictionary<string, object?>>(record.Get("attributes"));
            Assert.Equal(i % 3, attributes.Count);
            Assert.Equal(i % 2 == 0 ? "red" : "green", record.Get("color"));
            var pairs = Assert.IsType<List<object?>>(record.Get("pairs"));
            var pair = Assert.IsType<AvroRecord>(Assert.Single(pairs));
            Assert.Equal(i, pair.Get("key"));
        }
    }

    [Fact]
    public void EmbedsTheSchemaUnchanged()
    {
        var writer = new AvroFileWriter(SchemaJson);
        var file = AvroFileReader.Read(writer.ToBytes(), "empty.avro");

        Assert.Empty(file.Records);
        Assert.Equal(SchemaJson, file.MetadataString("avro.schema"));
        var fields = ((AvroRecordSchema)file.Schema).Fields;
        Assert.Equal(Enumerable.Range(1, 8).Append(10).Append(11).Append(12).Append(15), fields.Select(f => f.FieldId!.Value));
    }

    [Fact]
    public void ValueOfTheWrongTypeIsRejectedWithItsPosition()
    {
        var writer = new AvroFileWriter(SchemaJson);
        var row = Row(1);
        row[1] = "not an int";
        writer.Append(row);

        var error = Assert.Throws<IcebergException>(() => writer.ToBytes());
        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.Contains("record 0.small", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservedMetadataKeysAreRejected()
    {
        var writer = new AvroFileWriter(SchemaJson);
        var error = Assert.Throws<IcebergException>(() => writer.SetMetadata("avro.codec", "snappy"));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
    }

    [Fact]
    public void FixedOfTheWrongSizeIsRejected()
    {
        var writer = new AvroFileWriter(SchemaJson);
        var row = Row(2);
        row[7] = new byte[] { 1, 2 };
        writer.Append(row);

        var error = Assert.Throws<IcebergException>(() => writer.ToBytes());
        Assert.Contains("fixed[4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaMustBeValidAvro()
    {
        var error = Assert.Throws<IcebergException>(() => new AvroFileWriter("""{"type": "record", "name": "x"}"""));
        Assert.Equal(IcebergException.InvalidManifest, error.Code);
    }

    private static object?[] Row(int i)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var a = 0; a < i % 3; a++)
        {
            attributes["a" + a] = (long)a * i;
        }

        return
        [
            (long)i * 1_000_003 - 5,
            -i,
            i % 3 == 0 ? null : "name-" + i,
            i % 2 == 0,
            i / 7.0,
            i * 0.5f,
            i % 5 == 0 ? null : new byte[] { (byte)i, 0, 255 },
            BitConverter.GetBytes(i),
            Enumerable.Range(0, i % 4).Select(t => (object?)("t" + t)).ToList(),
            attributes,
            i % 2 == 0 ? "red" : "green",
            new object?[] { new object?[] { i, new byte[] { 7 } } },
        ];
    }
}
