using System.Runtime.InteropServices;
using Lakehouse.Iceberg.Types;
using ParquetSharp;
using ParquetSharp.Schema;
using static Lakehouse.Iceberg.Tests.ParquetTestSupport;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Reads files written with ParquetSharp's low-level API covering every physical encoding the reader maps.</summary>
public class ParquetTypeCoverageTests
{
    private static readonly short[] OptionalDef = [1, 0, 1];

    private static readonly Types.Schema TableSchema = new(0, [
        new NestedField(1, "flag", false, PrimitiveType.Boolean),
        new NestedField(2, "small", false, PrimitiveType.Int),
        new NestedField(3, "big", true, PrimitiveType.Long),
        new NestedField(4, "real", false, PrimitiveType.Float),
        new NestedField(5, "wide", false, PrimitiveType.Double),
        new NestedField(6, "dec_i32", false, new DecimalType(9, 2)),
        new NestedField(7, "dec_i64", false, new DecimalType(18, 3)),
        new NestedField(8, "dec_flba", false, new DecimalType(20, 4)),
        new NestedField(9, "dec_bytes", false, new DecimalType(10, 2)),
        new NestedField(10, "day", false, PrimitiveType.Date),
        new NestedField(11, "time_us", false, PrimitiveType.Time),
        new NestedField(12, "time_ms", false, PrimitiveType.Time),
        new NestedField(13, "ts_ms", false, PrimitiveType.Timestamp),
        new NestedField(14, "tstz_us", false, PrimitiveType.TimestampTz),
        new NestedField(15, "ts_ns", false, PrimitiveType.TimestampNs),
        new NestedField(16, "ts_int96", false, PrimitiveType.Timestamp),
        new NestedField(17, "text", false, PrimitiveType.String),
        new NestedField(18, "blob", false, PrimitiveType.Binary),
        new NestedField(19, "id", false, PrimitiveType.Uuid),
        new NestedField(20, "code", false, new FixedType(3)),
        new NestedField(21, "promoted_long", false, PrimitiveType.Long),
        new NestedField(22, "promoted_double", false, PrimitiveType.Double),
        new NestedField(23, "nested", false, new Types.StructType([
            new NestedField(24, "a", false, PrimitiveType.Int),
            new NestedField(25, "b", false, PrimitiveType.String),
        ])),
        new NestedField(26, "ts_ns_as_us", false, PrimitiveType.Timestamp),
        new NestedField(27, "day_as_ts", false, PrimitiveType.Timestamp),
    ]);

    private static readonly Guid SampleUuid = Guid.Parse("f79c3e09-677c-4bbd-a479-3f349cb785e7");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsEveryPhysicalEncoding(bool withFieldIds)
    {
        using var temp = new TempFolder();
        var path = temp.File("types.parquet");
        WriteCoverageFile(path, withFieldIds);
        var ids = TableSchema.Columns.Select(c => c.Id).ToArray();
        var rows = ReadRows(Task(DataFileAt(path), TableSchema), ids);
        Assert.Equal(3, rows.Count);

        var r0 = rows[0];
        Assert.Equal(true, r0[0]);
        Assert.Equal(-5, r0[1]);
        Assert.Equal(1L << 40, r0[2]);
        Assert.Equal(1.5f, r0[3]);
        Assert.Equal(-2.25, r0[4]);
        Assert.Equal((Int128)12345, r0[5]);
        Assert.Equal((Int128)(-987654321012), r0[6]);
        Assert.Equal(Int128.Parse("-12345678901234567890"), r0[7]);
        Assert.Equal((Int128)(-129), r0[8]);
        Assert.Equal(19000, r0[9]);
        Assert.Equal(3_600_000_001L, r0[10]);
        Assert.Equal(1_234_000L, r0[11]);
        Assert.Equal(1_000_000L, r0[12]);
        Assert.Equal(1_700_000_000_000_001L, r0[13]);
        Assert.Equal(1_700_000_000_000_000_123L, r0[14]);
        Assert.Equal(86_400_000_000L + 1000, r0[15]);
        Assert.Equal("héllo", r0[16]);
        Assert.Equal(new byte[] { 0, 1, 2 }, r0[17]);
        Assert.Equal(SampleUuid, r0[18]);
        Assert.Equal(new byte[] { 9, 8, 7 }, r0[19]);
        Assert.Equal(7L, r0[20]);
        Assert.Equal(0.5, r0[21]);
        Assert.Equal(new object?[] { 7, "x" }, r0[22]);
        Assert.Equal(-2L, r0[23]);
        Assert.Equal(86_400_000_000L, r0[24]);

        // Row 1: every optional column is null, the required one is not.
        var r1 = rows[1];
        for (var c = 0; c < r1.Length; c++)
        {
            if (c == 2)
            {
                Assert.Equal(0L, r1[c]);
            }
            else
            {
                Assert.Null(r1[c]);
            }
        }

        var r2 = rows[2];
        Assert.Equal(false, r2[0]);
        Assert.Equal(int.MaxValue, r2[1]);
        Assert.Equal((Int128)(-1), r2[5]);
        Assert.Equal(Int128.Parse("99999999999999999999"), r2[7]);
        Assert.Equal((Int128)5, r2[8]);
        Assert.Equal(string.Empty, r2[16]);
        Assert.Equal(Array.Empty<byte>(), r2[17]);
        Assert.Equal(new object?[] { null, "z" }, r2[22]);
    }

    [Fact]
    public void ArrowSchemaFollowsTheIcebergTypes()
    {
        var schema = Reading.IcebergArrowSchema.ToArrowSchema(TableSchema.Columns);
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.Decimal128, schema.GetFieldByName("dec_flba").DataType.TypeId);
        Assert.IsType<Apache.Arrow.GuidType>(schema.GetFieldByName("id").DataType);
        Assert.Equal("UTC", ((Apache.Arrow.Types.TimestampType)schema.GetFieldByName("tstz_us").DataType).Timezone);
        Assert.Equal(Apache.Arrow.Types.TimeUnit.Nanosecond, ((Apache.Arrow.Types.TimestampType)schema.GetFieldByName("ts_ns").DataType).Unit);
        Assert.Equal(Apache.Arrow.Types.TimeUnit.Microsecond, ((Apache.Arrow.Types.Time64Type)schema.GetFieldByName("time_us").DataType).Unit);
        Assert.False(schema.GetFieldByName("big").IsNullable);
        Assert.Equal("25", ((Apache.Arrow.Types.StructType)schema.GetFieldByName("nested").DataType).Fields[1].Metadata["PARQUET:field_id"]);
        Assert.IsType<Apache.Arrow.Types.NullType>(Reading.IcebergArrowSchema.ToArrowField(new NestedField(1, "u", false, PrimitiveType.Unknown)).DataType);
    }

    [Fact]
    public void IncompatibleColumnTypeIsRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("types.parquet");
        WriteCoverageFile(path, withFieldIds: true);
        var wrong = new Types.Schema(0, [new NestedField(17, "text", false, PrimitiveType.Long)]);
        var error = Assert.Throws<IcebergException>(() => ReadRows(Task(DataFileAt(path), wrong), [17]));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.Contains("text", error.Message);
    }

    [Fact]
    public void ManyRowsAcrossRowGroupsAndBatches()
    {
        using var temp = new TempFolder();
        var path = temp.File("many.parquet");
        var schema = new GroupNode("schema", Repetition.Required, [
            new PrimitiveNode("n", Repetition.Optional, LogicalType.None(), PhysicalType.Int64, -1, 1),
            new PrimitiveNode("s", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray, -1, 2),
        ]);
        const int groups = 3;
        const int perGroup = 10_000;
        using (var writer = new ParquetFileWriter(path, schema, new WriterPropertiesBuilder().Compression(Compression.Snappy).Build()))
        {
            for (var g = 0; g < groups; g++)
            {
                using var rowGroup = writer.AppendRowGroup();
                var def = new short[perGroup];
                var numbers = new List<long>();
                var strings = new List<string>();
                for (var i = 0; i < perGroup; i++)
                {
                    var n = (g * perGroup) + i;
                    def[i] = (short)(n % 7 == 0 ? 0 : 1);
                    if (def[i] == 1)
                    {
                        numbers.Add(n);
                        strings.Add("value-" + n);
                    }
                }

                using (var column = (ColumnWriter<long>)rowGroup.NextColumn())
                {
                    column.WriteBatch(perGroup, def, null, numbers.ToArray());
                }

                WriteStrings(rowGroup, def, strings);
            }
        }

        var table = new Types.Schema(0, [new NestedField(1, "n", false, PrimitiveType.Long), new NestedField(2, "s", false, PrimitiveType.String)]);
        var rows = ReadRows(Task(DataFileAt(path), table), [1, 2], batchSize: 4096);
        Assert.Equal(groups * perGroup, rows.Count);
        for (var n = 0; n < rows.Count; n++)
        {
            if (n % 7 == 0)
            {
                Assert.Equal([null, null], rows[n]);
            }
            else
            {
                Assert.Equal([(long)n, "value-" + n], rows[n]);
            }
        }
    }

    internal static void WriteStrings(RowGroupWriter rowGroup, short[] def, IReadOnlyList<string> values) =>
        WriteByteArrays(rowGroup, def, values.Select(v => System.Text.Encoding.UTF8.GetBytes(v)).ToList());

    internal static void WriteStringsWithLevels(RowGroupWriter rowGroup, short[] def, short[] rep, IReadOnlyList<string> values) =>
        WriteByteArrays(rowGroup, def, values.Select(v => System.Text.Encoding.UTF8.GetBytes(v)).ToList(), rep);

    internal static void WriteByteArrays(RowGroupWriter rowGroup, short[]? def, IReadOnlyList<byte[]> values, short[]? rep = null)
    {
        var total = values.Sum(v => v.Length);
        var pinned = GC.AllocateArray<byte>(Math.Max(total, 1), pinned: true);
        var arrays = new ByteArray[values.Count];
        var position = 0;
        for (var i = 0; i < values.Count; i++)
        {
            values[i].CopyTo(pinned, position);
            arrays[i] = new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(pinned, position), values[i].Length);
            position += values[i].Length;
        }

        using var column = (ColumnWriter<ByteArray>)rowGroup.NextColumn();
        column.WriteBatch(def?.Length ?? values.Count, def, rep, arrays);
        GC.KeepAlive(pinned);
    }

    private static void WriteFixed(RowGroupWriter rowGroup, short[] def, IReadOnlyList<byte[]> values)
    {
        var width = values[0].Length;
        var pinned = GC.AllocateArray<byte>(width * values.Count, pinned: true);
        var arrays = new FixedLenByteArray[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            values[i].CopyTo(pinned, i * width);
            arrays[i] = new FixedLenByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(pinned, i * width));
        }

        using var column = (ColumnWriter<FixedLenByteArray>)rowGroup.NextColumn();
        column.WriteBatch(def.Length, def, null, arrays);
        GC.KeepAlive(pinned);
    }

    private static void Write<T>(RowGroupWriter rowGroup, short[]? def, T[] values)
        where T : unmanaged
    {
        using var column = (ColumnWriter<T>)rowGroup.NextColumn();
        column.WriteBatch(def?.Length ?? values.Length, def, null, values);
    }

    private static byte[] BigEndian(Int128 value, int width)
    {
        var bytes = new byte[width];
        for (var i = width - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return bytes;
    }

    private static void WriteCoverageFile(string path, bool withFieldIds)
    {
        var id = 0;
        int NextId() => withFieldIds ? ++id : -1;
        PrimitiveNode Leaf(string name, LogicalType logical, PhysicalType physical, int length = -1, Repetition repetition = Repetition.Optional) =>
            new(name, repetition, logical, physical, length, NextId());
        var nodes = new List<Node>
        {
            Leaf("flag", LogicalType.None(), PhysicalType.Boolean),
            Leaf("small", LogicalType.None(), PhysicalType.Int32),
            Leaf("big", LogicalType.None(), PhysicalType.Int64, repetition: Repetition.Required),
            Leaf("real", LogicalType.None(), PhysicalType.Float),
            Leaf("wide", LogicalType.None(), PhysicalType.Double),
            Leaf("dec_i32", LogicalType.Decimal(9, 2), PhysicalType.Int32),
            Leaf("dec_i64", LogicalType.Decimal(18, 3), PhysicalType.Int64),
            Leaf("dec_flba", LogicalType.Decimal(20, 4), PhysicalType.FixedLenByteArray, 9),
            Leaf("dec_bytes", LogicalType.Decimal(10, 2), PhysicalType.ByteArray),
            Leaf("day", LogicalType.Date(), PhysicalType.Int32),
            Leaf("time_us", LogicalType.Time(true, TimeUnit.Micros), PhysicalType.Int64),
            Leaf("time_ms", LogicalType.Time(true, TimeUnit.Millis), PhysicalType.Int32),
            Leaf("ts_ms", LogicalType.Timestamp(false, TimeUnit.Millis), PhysicalType.Int64),
            Leaf("tstz_us", LogicalType.Timestamp(true, TimeUnit.Micros), PhysicalType.Int64),
            Leaf("ts_ns", LogicalType.Timestamp(false, TimeUnit.Nanos), PhysicalType.Int64),
            Leaf("ts_int96", LogicalType.None(), PhysicalType.Int96),
            Leaf("text", LogicalType.String(), PhysicalType.ByteArray),
            Leaf("blob", LogicalType.None(), PhysicalType.ByteArray),
            Leaf("id", LogicalType.Uuid(), PhysicalType.FixedLenByteArray, 16),
            Leaf("code", LogicalType.None(), PhysicalType.FixedLenByteArray, 3),
            Leaf("promoted_long", LogicalType.None(), PhysicalType.Int32),
            Leaf("promoted_double", LogicalType.None(), PhysicalType.Float),
        };
        var structId = NextId();
        nodes.Add(new GroupNode("nested", Repetition.Optional, [Leaf("a", LogicalType.None(), PhysicalType.Int32), Leaf("b", LogicalType.String(), PhysicalType.ByteArray)], null, structId));
        nodes.Add(Leaf("ts_ns_as_us", LogicalType.Timestamp(false, TimeUnit.Nanos), PhysicalType.Int64));
        nodes.Add(Leaf("day_as_ts", LogicalType.Date(), PhysicalType.Int32));

        var schema = new GroupNode("schema", Repetition.Required, nodes);
        using var writer = new ParquetFileWriter(path, schema, new WriterPropertiesBuilder().Compression(Compression.Zstd).Build());
        using var rowGroup = writer.AppendRowGroup();
        var def = OptionalDef;
        Write(rowGroup, def, new[] { true, false });
        Write(rowGroup, def, new[] { -5, int.MaxValue });
        Write<long>(rowGroup, null, [1L << 40, 0, -1]);
        Write(rowGroup, def, new[] { 1.5f, 2f });
        Write(rowGroup, def, new[] { -2.25, 3 });
        Write(rowGroup, def, new[] { 12345, -1 });
        Write(rowGroup, def, new[] { -987654321012L, 1 });
        WriteFixed(rowGroup, def, [BigEndian(Int128.Parse("-12345678901234567890"), 9), BigEndian(Int128.Parse("99999999999999999999"), 9)]);
        WriteByteArrays(rowGroup, def, [[0xFF, 0x7F], [0x05]]);
        Write(rowGroup, def, new[] { 19000, 1 });
        Write(rowGroup, def, new[] { 3_600_000_001L, 2 });
        Write(rowGroup, def, new[] { 1234, 3 });
        Write(rowGroup, def, new[] { 1000L, 4 });
        Write(rowGroup, def, new[] { 1_700_000_000_000_001L, 5 });
        Write(rowGroup, def, new[] { 1_700_000_000_000_000_123L, 6 });
        Write(rowGroup, def, new[] { new Int96(1_000_000, 0, 2_440_589), new Int96(0, 0, 2_440_588) });
        WriteStrings(rowGroup, def, ["héllo", string.Empty]);
        WriteByteArrays(rowGroup, def, [[0, 1, 2], []]);
        WriteFixed(rowGroup, def, [SampleUuid.ToByteArray(bigEndian: true), new byte[16]]);
        WriteFixed(rowGroup, def, [[9, 8, 7], [1, 2, 3]]);
        Write(rowGroup, def, new[] { 7, 8 });
        Write(rowGroup, def, new[] { 0.5f, 1f });

        // nested: row 0 {7, "x"}, row 1 null struct, row 2 {null, "z"}.
        Write(rowGroup, new short[] { 2, 0, 1 }, new[] { 7 });
        WriteStrings(rowGroup, [2, 0, 2], ["x", "z"]);
        Write(rowGroup, def, new[] { -1500L, 0 });
        Write(rowGroup, def, new[] { 1, 0 });
    }
}
