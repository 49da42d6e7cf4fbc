using System.Numerics;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Tests;

public class TransformTests
{
    public static IEnumerable<object[]> HashVectors()
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(IcebergSharedFolder.Iceberg, "spec-vectors", "murmur3_bucket_vectors.json")))!;
        foreach (var group in new[] { "valid_for_bucketing", "not_valid_for_bucketing_but_defined" })
        {
            foreach (var v in doc[group]!.AsArray())
            {
                yield return [v!.ToJsonString()];
            }
        }
    }

    [Theory]
    [MemberData(nameof(HashVectors))]
    public void Murmur3HashMatchesSpecVector(string vectorJson)
    {
        var v = JsonNode.Parse(vectorJson)!;
        var typeText = v["type"]!.GetValue<string>();
        var expected = v["hash"]!.GetValue<int>();
        IcebergType type;
        object value;
        switch (typeText)
        {
            case "decimal(P,S)":
                var text = v["value"]!.GetValue<string>();
                var scale = text.Length - text.IndexOf('.') - 1;
                type = new DecimalType(9, scale);
                value = ValueText.ParseDecimal(text, scale);
                break;
            case "fixed(4)":
                type = new FixedType(4);
                value = Convert.FromHexString(v["value_hex"]!.GetValue<string>());
                break;
            case "binary":
                type = PrimitiveType.Binary;
                value = Convert.FromHexString(v["value_hex"]!.GetValue<string>());
                break;
            default:
                type = SchemaJson.ParsePrimitive(typeText);
                value = JsonSingleValue.FromJson(type, v["value"])!;
                break;
        }

        Assert.Equal(expected, BucketTransform.Hash(type, value));
        Assert.Equal((expected & int.MaxValue) % 16, new BucketTransform(16).Apply(type, value));
    }

    [Fact]
    public void TransformsApplyPerSpec()
    {
        var ts = ValueText.ParseTimestampMicros("2017-11-16T22:31:08");
        Assert.Equal(47, Transform.Parse("year").Apply(PrimitiveType.Timestamp, ts));
        Assert.Equal(574, Transform.Parse("month").Apply(PrimitiveType.Timestamp, ts));
        Assert.Equal(17486, Transform.Parse("day").Apply(PrimitiveType.Timestamp, ts));
        Assert.Equal(419686, Transform.Parse("hour").Apply(PrimitiveType.Timestamp, ts));
        Assert.Equal(17486, Transform.Parse("day").Apply(PrimitiveType.TimestampNs, ts * 1000 + 1));
        Assert.Equal(-1, Transform.Parse("day").Apply(PrimitiveType.Timestamp, -1L));
        Assert.Equal(-1, Transform.Parse("year").Apply(PrimitiveType.Date, -1));
        Assert.Equal(0, Transform.Parse("truncate[10]").Apply(PrimitiveType.Int, 1));
        Assert.Equal(-10, Transform.Parse("truncate[10]").Apply(PrimitiveType.Int, -1));
        Assert.Equal(new BigInteger(1050), Transform.Parse("truncate[50]").Apply(new DecimalType(9, 2), new BigInteger(1065)));
        Assert.Equal("ice", Transform.Parse("truncate[3]").Apply(PrimitiveType.String, "iceberg"));
        Assert.Null(Transform.Parse("void").Apply(PrimitiveType.Int, 5));
        Assert.IsType<UnknownTransform>(Transform.Parse("zorder"));
        Assert.Equal("bucket[16]", Transform.Parse("bucket[16]").ToString());
        Assert.Throws<IcebergException>(() => Transform.Parse("bucket[0]"));
    }

    [Fact]
    public void ProjectionIsInclusive()
    {
        var day = Transform.Parse("day");
        var ts = ValueText.ParseTimestampMicros("2017-11-16T22:31:08");
        var projected = day.Project(1000, PrimitiveType.Timestamp, new Comparison(1, ComparisonOperator.LessThan, ts));
        Assert.Equal(new Comparison(1000, ComparisonOperator.LessThanOrEqual, 17486), projected);
        var bucket = new BucketTransform(4);
        Assert.Equal(new Comparison(1000, ComparisonOperator.Equal, bucket.Apply(PrimitiveType.Int, 34)!), bucket.Project(1000, PrimitiveType.Int, new Comparison(1, ComparisonOperator.Equal, 34)));
        Assert.IsType<AlwaysTrue>(bucket.Project(1000, PrimitiveType.Int, new Comparison(1, ComparisonOperator.LessThan, 34)));
        Assert.IsType<AlwaysTrue>(Transform.Void.Project(1000, PrimitiveType.Int, new Comparison(1, ComparisonOperator.Equal, 34)));
        Assert.Equal(new Comparison(1000, ComparisonOperator.Equal, "abc"), Transform.Parse("truncate[3]").Project(1000, PrimitiveType.String, new StartsWith(1, "abcd")));
        Assert.Equal(new StartsWith(1000, "ab"), Transform.Parse("truncate[3]").Project(1000, PrimitiveType.String, new StartsWith(1, "ab")));
    }

    [Fact]
    public void BinarySingleValuesRoundTrip()
    {
        var cases = new (PrimitiveType Type, object Value)[]
        {
            (PrimitiveType.Boolean, true),
            (PrimitiveType.Int, -7),
            (PrimitiveType.Long, long.MinValue),
            (PrimitiveType.Float, 1.5f),
            (PrimitiveType.Double, -2.25),
            (PrimitiveType.Date, 17486),
            (PrimitiveType.TimestampTz, 1510871468000000L),
            (PrimitiveType.String, "iceberg ❄"),
            (PrimitiveType.Uuid, Guid.Parse("f79c3e09-677c-4bbd-a479-3f349cb785e7")),
            (new DecimalType(9, 2), new BigInteger(-1420)),
            (PrimitiveType.Binary, new byte[] { 0, 1, 2 }),
        };
        foreach (var (type, value) in cases)
        {
            Assert.Equal(value, SingleValueSerialization.FromBytes(type, SingleValueSerialization.ToBytes(type, value)));
        }

        Assert.Equal(new byte[] { 0xf7, 0x9c, 0x3e, 0x09 }, SingleValueSerialization.ToBytes(PrimitiveType.Uuid, Guid.Parse("f79c3e09-677c-4bbd-a479-3f349cb785e7"))[..4]);
        Assert.Equal(new byte[] { 0x05, 0x8c }, SingleValueSerialization.ToBytes(new DecimalType(9, 2), new BigInteger(1420)));
        Assert.Equal(5L, SingleValueSerialization.FromBytes(PrimitiveType.Long, new byte[] { 5, 0, 0, 0 }));
        Assert.Equal(IcebergException.InvalidValue, Assert.Throws<IcebergException>(() => SingleValueSerialization.FromBytes(PrimitiveType.Int, new byte[] { 1 })).Code);
    }

    [Fact]
    public void JsonSingleValuesRoundTrip()
    {
        var cases = new (IcebergType Type, string Json)[]
        {
            (new DecimalType(9, 2), "\"14.20\""),
            (PrimitiveType.Date, "\"2017-11-16\""),
            (PrimitiveType.Time, "\"22:31:08.123456\""),
            (PrimitiveType.Timestamp, "\"2017-11-16T22:31:08.123456\""),
            (PrimitiveType.TimestampTz, "\"2017-11-16T22:31:08.123456+00:00\""),
            (PrimitiveType.TimestampNs, "\"2017-11-16T22:31:08.123456789\""),
            (PrimitiveType.Uuid, "\"f79c3e09-677c-4bbd-a479-3f349cb785e7\""),
            (PrimitiveType.Binary, "\"0001FF\""),
            (PrimitiveType.Long, "34"),
            (new StructType([new NestedField(1, "a", false, PrimitiveType.Int), new NestedField(2, "b", false, PrimitiveType.String)]), "{\"1\":1,\"2\":\"bar\"}"),
            (new MapType(3, PrimitiveType.String, 4, false, PrimitiveType.Int), "{\"keys\":[\"a\"],\"values\":[1]}"),
        };
        foreach (var (type, json) in cases)
        {
            var value = JsonSingleValue.FromJson(type, JsonNode.Parse(json));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonSingleValue.ToJson(type, value)), $"{type}: {json}");
        }

        Assert.Equal(ValueText.ParseTimestampMicros("2017-11-16T22:31:08"), JsonSingleValue.FromJson(PrimitiveType.TimestampTz, JsonValue.Create("2017-11-16T14:31:08-08:00")));
    }
}
