using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;
using Lakehouse.Server.Formatting;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class ResultFormatterTests
{
    private static string JsonOf(IArrowArray array) =>
        ResultFormatter.ToJsonLines(TestArrays.Batch(("v", array)).Schema, [TestArrays.Batch(("v", array))]);

    private static string[] JsonValues(IArrowArray array)
    {
        var lines = JsonOf(array).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var values = new string[lines.Length];
        for (var index = 0; index < lines.Length; index++)
        {
            Assert.StartsWith("{\"v\":", lines[index]);
            values[index] = lines[index]["{\"v\":".Length..^1];
        }

        return values;
    }

    [Fact]
    public void IntegersOfEveryWidthAreJsonNumbers()
    {
        Assert.Equal(["-128", "127", "null"], JsonValues(TestArrays.Primitive<sbyte>(Int8Type.Default, sbyte.MinValue, sbyte.MaxValue, null)));
        Assert.Equal(["-32768", "7"], JsonValues(TestArrays.Primitive<short>(Int16Type.Default, short.MinValue, (short)7)));
        Assert.Equal(["-2147483648", "0"], JsonValues(TestArrays.Primitive<int>(Int32Type.Default, int.MinValue, 0)));
        Assert.Equal(["-9223372036854775808", "9223372036854775807"], JsonValues(TestArrays.Primitive<long>(Int64Type.Default, long.MinValue, long.MaxValue)));
        Assert.Equal(["255"], JsonValues(TestArrays.Primitive<byte>(UInt8Type.Default, byte.MaxValue)));
        Assert.Equal(["65535"], JsonValues(TestArrays.Primitive<ushort>(UInt16Type.Default, ushort.MaxValue)));
        Assert.Equal(["4294967295"], JsonValues(TestArrays.Primitive<uint>(UInt32Type.Default, uint.MaxValue)));
        Assert.Equal(["18446744073709551615"], JsonValues(TestArrays.Primitive<ulong>(UInt64Type.Default, ulong.MaxValue)));
    }

    [Fact]
    public void FloatsUseShortestRoundTripAndSpecialValuesAreStrings()
    {
        Assert.Equal(
            ["0.1", "1E+300", "-2.5", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null"],
            JsonValues(TestArrays.Primitive<double>(DoubleType.Default, 0.1, 1e300, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, null)));
        Assert.Equal(["0.1", "3.4028235E+38"], JsonValues(TestArrays.Primitive<float>(FloatType.Default, 0.1f, float.MaxValue)));
        Assert.Equal(["1.5"], JsonValues(TestArrays.Primitive<Half>(HalfFloatType.Default, (Half)1.5)));
    }

    [Fact]
    public void DecimalsAreStringsWithFullScaleAndExactUpTo38Digits()
    {
        var max38 = Int128.Parse("99999999999999999999999999999999999999");
        Assert.Equal(
            ["\"5.00\"", "\"-0.07\"", "\"0.00\"", "\"123.45\"", "null"],
            JsonValues(TestArrays.Decimal128(10, 2, 500, -7, 0, 12345, null)));
        Assert.Equal(
            ["\"9999999999999999999999999999.9999999999\"", "\"-9999999999999999999999999999.9999999999\""],
            JsonValues(TestArrays.Decimal128(38, 10, max38, -max38)));
        Assert.Equal(["\"42\""], JsonValues(TestArrays.Decimal128(5, 0, 42)));
        Assert.Equal(["\"0.000001\""], JsonValues(TestArrays.Decimal128(9, 6, 1)));
    }

    [Fact]
    public void BooleansAndStringsAreJsonValuesWithEscaping()
    {
        var booleans = new BooleanArray.Builder().Append(true).Append(false).AppendNull().Build();
        Assert.Equal(["true", "false", "null"], JsonValues(booleans));

        var strings = new StringArray.Builder().Append("plain").Append("quote\" back\\ tab\t nl\n").Append("é€😀").Append("\u0001").AppendNull().Build();
        Assert.Equal(
            ["\"plain\"", "\"quote\\\" back\\\\ tab\\t nl\\n\"", "\"é€😀\"", "\"\\u0001\"", "null"],
            JsonValues(strings));
    }

    [Fact]
    public void DatesAndTimesUseIsoTextWithTrimmedFractions()
    {
        Assert.Equal(
            ["\"1970-01-01\"", "\"2024-02-29\"", "\"1969-12-31\"", "\"0001-01-01\"", "\"9999-12-31\""],
            JsonValues(TestArrays.Primitive<int>(Date32Type.Default, 0, 19_782, -1, -719_162, 2_932_896)));
        Assert.Equal(["\"2024-01-02\""], JsonValues(TestArrays.Primitive<long>(Date64Type.Default, 1_704_153_600_000L)));

        Assert.Equal(
            ["\"00:00:00\"", "\"12:34:56.5\"", "\"23:59:59.999999\"", "\"01:00:00.000001\""],
            JsonValues(TestArrays.Primitive<long>(new Time64Type(TimeUnit.Microsecond), 0L, 45_296_500_000L, 86_399_999_999L, 3_600_000_001L)));
        Assert.Equal(["\"00:00:01.000000001\""], JsonValues(TestArrays.Primitive<long>(new Time64Type(TimeUnit.Nanosecond), 1_000_000_001L)));
        Assert.Equal(["\"10:00:00.25\""], JsonValues(TestArrays.Primitive<int>(new Time32Type(TimeUnit.Millisecond), 36_000_250)));
        Assert.Equal(["\"00:01:01\""], JsonValues(TestArrays.Primitive<int>(new Time32Type(TimeUnit.Second), 61)));
    }

    [Fact]
    public void TimestampsWithAndWithoutZone()
    {
        var micros = new TimestampType(TimeUnit.Microsecond, (string?)null);
        Assert.Equal(
            ["\"2024-01-01 00:00:00\"", "\"2024-01-01 10:30:00.123\"", "\"1969-12-31 23:59:59.999999\""],
            JsonValues(TestArrays.Primitive<long>(micros, 1_704_067_200_000_000L, 1_704_105_000_123_000L, -1L)));

        var zoned = new TimestampType(TimeUnit.Microsecond, "UTC");
        Assert.Equal(["\"2024-01-01 10:30:00+00:00\""], JsonValues(TestArrays.Primitive<long>(zoned, 1_704_105_000_000_000L)));

        var nanos = new TimestampType(TimeUnit.Nanosecond, "+00:00");
        Assert.Equal(["\"2024-01-01 00:00:00.000000001+00:00\""], JsonValues(TestArrays.Primitive<long>(nanos, 1_704_067_200_000_000_001L)));

        var seconds = new TimestampType(TimeUnit.Second, (string?)null);
        Assert.Equal(["\"2001-09-09 01:46:40\""], JsonValues(TestArrays.Primitive<long>(seconds, 1_000_000_000L)));
    }

    [Fact]
    public void BinaryFixedAndUuid()
    {
        var binary = new BinaryArray.Builder().Append([0x00, 0xAB, 0x1F]).Append(System.Array.Empty<byte>()).AppendNull().Build();
        Assert.Equal(["\"0x00ab1f\"", "\"0x\"", "null"], JsonValues(binary));

        var fixedBinary = new FixedSizeBinaryArray(new ArrayData(
            new FixedSizeBinaryType(2), 2, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF })]));
        Assert.Equal(["\"0xdead\"", "\"0xbeef\""], JsonValues(fixedBinary));

        var guid = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");
        var uuids = new GuidArray.Builder().Append(guid).AppendNull().Build();
        Assert.Equal(["\"01234567-89ab-cdef-0123-456789abcdef\"", "null"], JsonValues(uuids));
    }

    [Fact]
    public void NestedValuesAreJsonObjectsAndArrays()
    {
        var listBuilder = new ListArray.Builder(Int32Type.Default);
        var items = (Int32Array.Builder)listBuilder.ValueBuilder;
        listBuilder.Append();
        items.Append(1).AppendNull().Append(3);
        listBuilder.Append();
        listBuilder.AppendNull();
        Assert.Equal(["[1,null,3]", "[]", "null"], JsonValues(listBuilder.Build()));

        var structType = new StructType([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, true)]);
        var structArray = new StructArray(
            structType,
            2,
            [new Int32Array.Builder().Append(1).Append(2).Build(), new StringArray.Builder().Append("x").AppendNull().Build()],
            ArrowBuffer.Empty,
            nullCount: 0);
        Assert.Equal(["{\"a\":1,\"b\":\"x\"}", "{\"a\":2,\"b\":null}"], JsonValues(structArray));

        var mapType = new MapType(new Field("key", StringType.Default, false), new Field("value", Int64Type.Default, true));
        var keys = new StringArray.Builder().Append("k1").Append("k2").Append("k3").Build();
        var values = new Int64Array.Builder().Append(10).AppendNull().Append(30).Build();
        var entries = new StructArray(mapType.KeyValueType, 3, [keys, values], ArrowBuffer.Empty, 0);
        var offsets = new ArrowBuffer.Builder<int>().Append(0).Append(2).Append(3).Build();
        var map = new MapArray(mapType, 2, offsets, entries, ArrowBuffer.Empty, 0);
        Assert.Equal(["{\"k1\":10,\"k2\":null}", "{\"k3\":30}"], JsonValues(map));
    }

    [Fact]
    public void JsonLinesKeepColumnOrderAndDuplicateNames()
    {
        var batch = TestArrays.Batch(
            ("x", new Int32Array.Builder().Append(1).Build()),
            ("x", new StringArray.Builder().Append("a").Build()),
            ("na\"me", new Int32Array.Builder().AppendNull().Build()));
        Assert.Equal("{\"x\":1,\"x\":\"a\",\"na\\\"me\":null}\n", ResultFormatter.ToJsonLines(batch.Schema, [batch]));
    }

    [Fact]
    public void CsvQuotesPerRfc4180AndLeavesNullEmpty()
    {
        var batch = TestArrays.Batch(
            ("id", new Int32Array.Builder().Append(1).Append(2).Append(3).Build()),
            ("text", new StringArray.Builder().Append("a,b").Append("say \"hi\"").AppendNull().Build()),
            ("d", TestArrays.Decimal128(10, 2, 500, null, 1)),
            ("s", new StringArray.Builder().Append("").Append("line\nbreak").Append("plain").Build()));
        var expected =
            "id,text,d,s\n" +
            "1,\"a,b\",5.00,\"\"\n" +
            "2,\"say \"\"hi\"\"\",,\"line\nbreak\"\n" +
            "3,,0.01,plain\n";
        Assert.Equal(expected, ResultFormatter.ToCsv(batch.Schema, [batch]));
    }

    [Fact]
    public void CsvUsesSameTextAsJsonWithoutQuotes()
    {
        var batch = TestArrays.Batch(
            ("ts", TestArrays.Primitive<long>(new TimestampType(TimeUnit.Microsecond, "UTC"), 1_704_105_000_500_000L)),
            ("f", TestArrays.Primitive<double>(DoubleType.Default, double.NaN)),
            ("l", BuildList()));
        Assert.Equal("ts,f,l\n2024-01-01 10:30:00.5+00:00,NaN,\"[1, 2]\"\n", ResultFormatter.ToCsv(batch.Schema, [batch]));

        static IArrowArray BuildList()
        {
            var builder = new ListArray.Builder(Int32Type.Default);
            builder.Append();
            ((Int32Array.Builder)builder.ValueBuilder).Append(1).Append(2);
            return builder.Build();
        }
    }

    [Fact]
    public void TableAlignsColumnsAndCountsRows()
    {
        var first = TestArrays.Batch(
            ("id", new Int64Array.Builder().Append(1).Append(100).Build()),
            ("name", new StringArray.Builder().Append("alice").AppendNull().Build()));
        var second = TestArrays.Batch(
            ("id", new Int64Array.Builder().Append(7).Build()),
            ("name", new StringArray.Builder().Append("b").Build()));
        var table = ResultFormatter.ToTable(first.Schema, [first, second]);
        Assert.Equal(
            " id  | name\n" +
            "-----+-------\n" +
            "   1 | alice\n" +
            " 100 | NULL\n" +
            "   7 | b\n" +
            "(3 rows)\n",
            table);
    }

    [Fact]
    public void TableOfNoRowsAndOneRow()
    {
        var empty = TestArrays.Batch(("x", new Int32Array.Builder().Build()));
        Assert.Equal(" x\n---\n(0 rows)\n", ResultFormatter.ToTable(empty.Schema, [empty]));

        var one = TestArrays.Batch(("value", new StringArray.Builder().Append("v").Build()));
        Assert.Equal(" value\n-------\n v\n(1 row)\n", ResultFormatter.ToTable(one.Schema, [one]));
    }

    [Fact]
    public void SlicedArraysFormatTheirOwnRows()
    {
        var full = TestArrays.Decimal128(10, 2, 100, 200, 300);
        var sliced = ArrowArrayFactory.BuildArray(full.Data.Slice(1, 2));
        Assert.Equal(["\"2.00\"", "\"3.00\""], JsonValues(sliced));

        var strings = new StringArray.Builder().Append("a").Append("b").Append("c").Build();
        Assert.Equal(["\"b\"", "\"c\""], JsonValues(ArrowArrayFactory.BuildArray(strings.Data.Slice(1, 2))));
    }

    [Fact]
    public void FormatNamesParse()
    {
        Assert.True(ResultFormatter.TryParseFormat("JSONL", out var jsonl));
        Assert.Equal(ResultFormat.JsonLines, jsonl);
        Assert.True(ResultFormatter.TryParseFormat("csv", out var csv));
        Assert.Equal(ResultFormat.Csv, csv);
        Assert.False(ResultFormatter.TryParseFormat("xml", out _));
    }
}
