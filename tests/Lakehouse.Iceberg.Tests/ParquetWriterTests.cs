using Apache.Arrow;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing.Parquet;
using Lakehouse.Storage;
using ParquetSharp;
using static Lakehouse.Iceberg.Tests.ParquetTestSupport;

namespace Lakehouse.Iceberg.Tests;

public class ParquetWriterTests
{
    internal static readonly Types.Schema AllTypes = new(3, [
        new NestedField(1, "flag", false, PrimitiveType.Boolean),
        new NestedField(2, "small", false, PrimitiveType.Int),
        new NestedField(3, "big", true, PrimitiveType.Long),
        new NestedField(4, "real", false, PrimitiveType.Float),
        new NestedField(5, "wide", false, PrimitiveType.Double),
        new NestedField(6, "dec9", false, new DecimalType(9, 2)),
        new NestedField(7, "dec18", false, new DecimalType(18, 3)),
        new NestedField(8, "dec38", false, new DecimalType(38, 4)),
        new NestedField(9, "day", false, PrimitiveType.Date),
        new NestedField(10, "time", false, PrimitiveType.Time),
        new NestedField(11, "ts", false, PrimitiveType.Timestamp),
        new NestedField(12, "tstz", false, PrimitiveType.TimestampTz),
        new NestedField(13, "ts_ns", false, PrimitiveType.TimestampNs),
        new NestedField(14, "text", false, PrimitiveType.String),
        new NestedField(15, "blob", false, PrimitiveType.Binary),
        new NestedField(16, "id", false, PrimitiveType.Uuid),
        new NestedField(17, "code", false, new FixedType(3)),
    ]);

    /// <summary>Row i of the sample table; every optional column is null when i % 4 == 3.</summary>
    internal static object?[] SampleRow(int i)
    {
        var isNull = i % 4 == 3;
        object? Maybe(object value) => isNull ? null : value;
        return
        [
            Maybe(i % 2 == 0), Maybe(i - 50), (long)i * 1_000_000_007L, Maybe(i / 4f), Maybe(-i / 8.0),
            Maybe((Int128)(i * 101)), Maybe((Int128)(-i * 1_000_000_000L)), Maybe(Int128.Parse("12345678901234567890123456789") * (i % 2 == 0 ? 1 : -1)),
            Maybe(18000 + i), Maybe(i * 1_000_000L), Maybe(1_600_000_000_000_000L + i), Maybe(1_600_000_000_000_000L - i), Maybe(1_600_000_000_000_000_000L + i),
            Maybe("row-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), Maybe(new[] { (byte)i, (byte)(i >> 8) }),
            Maybe(new Guid(i, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)), Maybe(new[] { (byte)1, (byte)2, (byte)i }),
        ];
    }

    /// <summary>Writes the sample table through a ParquetSharp low-level file and returns Arrow batches read back from it.</summary>
    internal static string WriteSample(TempFolder temp, int rows, ParquetWriteOptions? options = null, string name = "sample.parquet")
    {
        var path = temp.File(name);
        var batches = SampleBatches(rows, 1000);
        IcebergParquetWriter.Write(LocalFileIO.Instance, path, AllTypes, batches, [], 0, options);
        return path;
    }

    internal static IEnumerable<RecordBatch> SampleBatches(int rows, int batchSize)
    {
        for (var start = 0; start < rows; start += batchSize)
        {
            var count = Math.Min(batchSize, rows - start);
            yield return SampleBatch(start, count);
        }
    }

    private static RecordBatch SampleBatch(int start, int count)
    {
        var schema = IcebergArrowSchema.ToArrowSchema(AllTypes.Columns);
        var arrays = new List<IArrowArray>();
        var flag = new BooleanArray.Builder();
        var small = new Int32Array.Builder();
        var big = new Int64Array.Builder();
        var real = new FloatArray.Builder();
        var wide = new DoubleArray.Builder();
        var dec9 = new Decimal128Array.Builder(new Apache.Arrow.Types.Decimal128Type(9, 2));
        var dec18 = new Decimal128Array.Builder(new Apache.Arrow.Types.Decimal128Type(18, 3));
        var dec38 = new Decimal128Array.Builder(new Apache.Arrow.Types.Decimal128Type(38, 4));
        var day = new Date32Array.Builder();
        var time = new Time64Array.Builder(Apache.Arrow.Types.TimeUnit.Microsecond);
        var longs = new[] { new List<long?>(), new List<long?>(), new List<long?>() };
        var text = new StringArray.Builder();
        var blob = new BinaryArray.Builder();
        var id = new GuidArray.Builder();
        var code = new List<byte[]?>();
        for (var i = start; i < start + count; i++)
        {
            var row = SampleRow(i);
            if (row[0] is bool b) { flag.Append(b); } else { flag.AppendNull(); }
            if (row[1] is int s) { small.Append(s); } else { small.AppendNull(); }
            big.Append((long)row[2]!);
            if (row[3] is float f) { real.Append(f); } else { real.AppendNull(); }
            if (row[4] is double d) { wide.Append(d); } else { wide.AppendNull(); }
            AppendDecimal(dec9, row[5], 2);
            AppendDecimal(dec18, row[6], 3);
            AppendDecimal(dec38, row[7], 4);
            if (row[8] is int days) { day.Append(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days)); } else { day.AppendNull(); }
            if (row[9] is long t) { time.Append(t); } else { time.AppendNull(); }
            for (var k = 0; k < 3; k++)
            {
                longs[k].Add(row[10 + k] as long?);
            }

            if (row[13] is string str) { text.Append(str); } else { text.AppendNull(); }
            if (row[14] is byte[] bin) { blob.Append(bin.AsSpan()); } else { blob.AppendNull(); }
            if (row[15] is Guid g) { id.Append(g); } else { id.AppendNull(); }
            code.Add(row[16] as byte[]);
        }

        arrays.Add(flag.Build());
        arrays.Add(small.Build());
        arrays.Add(big.Build());
        arrays.Add(real.Build());
        arrays.Add(wide.Build());
        arrays.Add(dec9.Build());
        arrays.Add(dec18.Build());
        arrays.Add(dec38.Build());
        arrays.Add(day.Build());
        arrays.Add(time.Build());
        for (var k = 0; k < 3; k++)
        {
            arrays.Add(LongArray(schema.FieldsList[10 + k].DataType, longs[k]));
        }

        arrays.Add(text.Build());
        arrays.Add(blob.Build());
        arrays.Add(id.Build());
        arrays.Add(FixedArray(schema.FieldsList[16].DataType, code, 3));
        return new RecordBatch(schema, arrays, count);
    }

    private static void AppendDecimal(Decimal128Array.Builder builder, object? value, int scale)
    {
        if (value is Int128 unscaled)
        {
            builder.Append(new System.Data.SqlTypes.SqlDecimal(decimal.Parse(Conversions.ValueText.FormatDecimal((System.Numerics.BigInteger)unscaled, scale), System.Globalization.CultureInfo.InvariantCulture)));
        }
        else
        {
            builder.AppendNull();
        }
    }

    private static IArrowArray LongArray(Apache.Arrow.Types.IArrowType type, List<long?> values)
    {
        var bytes = new byte[values.Count * 8];
        var validity = new byte[(values.Count + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is long v)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), v);
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Count, nulls, 0, [new ArrowBuffer(validity), new ArrowBuffer(bytes)]));
    }

    private static IArrowArray FixedArray(Apache.Arrow.Types.IArrowType type, List<byte[]?> values, int width)
    {
        var bytes = new byte[values.Count * width];
        var validity = new byte[(values.Count + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is byte[] v)
            {
                v.CopyTo(bytes, i * width);
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Count, nulls, 0, [new ArrowBuffer(validity), new ArrowBuffer(bytes)]));
    }

    [Fact]
    public void RoundTripsEveryPrimitiveTypeWithNulls()
    {
        using var temp = new TempFolder();
        var path = temp.File("all.parquet");
        var dataFile = IcebergParquetWriter.Write(LocalFileIO.Instance, path, AllTypes, SampleBatches(2500, 700), ["p"], 4);
        Assert.Equal(2500, dataFile.RecordCount);
        Assert.Equal(4, dataFile.SpecId);
        Assert.Equal(["p"], dataFile.Partition);
        Assert.Equal(new FileInfo(path).Length, dataFile.FileSizeInBytes);

        var rows = ReadRows(Task(DataFileAt(path), AllTypes), AllTypes.Columns.Select(c => c.Id).ToList());
        Assert.Equal(2500, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(SampleRow(i), rows[i]);
        }
    }

    [Fact]
    public void RecordsMetricsAndBounds()
    {
        using var temp = new TempFolder();
        var path = temp.File("metrics.parquet");
        var dataFile = IcebergParquetWriter.Write(LocalFileIO.Instance, path, AllTypes, SampleBatches(100, 64), [], 0);
        Assert.All(AllTypes.Columns, c => Assert.Equal(100, dataFile.ValueCounts![c.Id]));
        Assert.Equal(25, dataFile.NullValueCounts![2]);
        Assert.Equal(0, dataFile.NullValueCounts![3]);
        Assert.Equal(0, dataFile.NanValueCounts![5]);
        Assert.All(AllTypes.Columns, c => Assert.True(dataFile.ColumnSizes![c.Id] > 0));

        object? Lower(int id) => SingleValueSerialization.FromBytes((PrimitiveType)AllTypes.FindField(id)!.Type, dataFile.LowerBounds![id]);
        object? Upper(int id) => SingleValueSerialization.FromBytes((PrimitiveType)AllTypes.FindField(id)!.Type, dataFile.UpperBounds![id]);
        Assert.Equal(-50, Lower(2));
        Assert.Equal(98 - 50, Upper(2));
        Assert.Equal(0L, Lower(3));
        Assert.Equal(99L * 1_000_000_007L, Upper(3));
        Assert.Equal(-98 / 8.0, Lower(5));
        Assert.Equal(new System.Numerics.BigInteger(0), Lower(6));
        Assert.Equal(new System.Numerics.BigInteger(98 * 101), Upper(6));
        Assert.Equal("row-0000", Lower(14));
        Assert.Equal("row-0098", Upper(14));
        Assert.Equal(false, Lower(1));
        Assert.Equal(true, Upper(1));
    }

    [Fact]
    public void LongStringBoundsAreTruncated()
    {
        using var temp = new TempFolder();
        var schema = new Types.Schema(0, [new NestedField(1, "s", false, PrimitiveType.String), new NestedField(2, "b", false, PrimitiveType.Binary)]);
        var strings = new StringArray.Builder().Append("aaaaaaaaaaaaaaaaaaaa-low").Append("zzzzzzzzzzzzzzzzzzzz-high").Append("é€€€€€€€€€€€€€€€€€€€").Build();
        var binary = new BinaryArray.Builder().Append(Enumerable.Repeat((byte)0xFF, 20).ToArray().AsSpan()).Append(Enumerable.Repeat((byte)1, 20).ToArray().AsSpan()).AppendNull().Build();
        var batch = new RecordBatch(IcebergArrowSchema.ToArrowSchema(schema.Columns), [strings, binary], 3);
        var dataFile = IcebergParquetWriter.Write(LocalFileIO.Instance, temp.File("s.parquet"), schema, [batch], [], 0);
        Assert.Equal("aaaaaaaaaaaaaaaa", SingleValueSerialization.FromBytes(PrimitiveType.String, dataFile.LowerBounds![1]));
        Assert.Equal("é" + new string('€', 14) + "\u20AD", SingleValueSerialization.FromBytes(PrimitiveType.String, dataFile.UpperBounds![1]));
        Assert.Equal(Enumerable.Repeat((byte)1, 16).ToArray(), dataFile.LowerBounds![2]);

        // All 0xFF bytes cannot be incremented, so binary has no upper bound.
        Assert.False(dataFile.UpperBounds!.ContainsKey(2));
    }

    [Fact]
    public void SplitsRowGroupsAndSetsFieldIds()
    {
        using var temp = new TempFolder();
        var path = WriteSample(temp, 2500, new ParquetWriteOptions { RowGroupRows = 1000, Compression = ParquetCompression.Snappy });
        using (var reader = new ParquetFileReader(path))
        {
            using var metadata = reader.FileMetaData;
            Assert.Equal(3, metadata.NumRowGroups);
            for (var c = 0; c < metadata.Schema.NumColumns; c++)
            {
                Assert.Equal(AllTypes.Columns[c].Id, metadata.Schema.Column(c).SchemaNode.FieldId);
            }
        }

        var ids = ReadRows(Task(DataFileAt(path), AllTypes), [3]).Select(r => (long)r[0]!).ToList();
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => i * 1_000_000_007L), ids);
    }

    [Fact]
    public void NullInRequiredColumnIsRejected()
    {
        using var temp = new TempFolder();
        var schema = new Types.Schema(0, [new NestedField(1, "n", true, PrimitiveType.Long)]);
        var batch = new RecordBatch(IcebergArrowSchema.ToArrowSchema(schema.Columns), [new Int64Array.Builder().Append(1).AppendNull().Build()], 2);
        var error = Assert.Throws<IcebergException>(() => IcebergParquetWriter.Write(LocalFileIO.Instance, temp.File("r.parquet"), schema, [batch], [], 0));
        Assert.Equal(IcebergParquetWriter.InvalidInput, error.Code);
        Assert.Contains("'n'", error.Message);
    }

    [Fact]
    public void ColumnCountMismatchIsRejected()
    {
        using var temp = new TempFolder();
        var schema = new Types.Schema(0, [new NestedField(1, "n", true, PrimitiveType.Long), new NestedField(2, "m", true, PrimitiveType.Long)]);
        var arrow = IcebergArrowSchema.ToArrowSchema([schema.Columns[0]]);
        var batch = new RecordBatch(arrow, [new Int64Array.Builder().Append(1).Build()], 1);
        Assert.Equal(IcebergParquetWriter.InvalidInput, Assert.Throws<IcebergException>(() => IcebergParquetWriter.Write(LocalFileIO.Instance, temp.File("c.parquet"), schema, [batch], [], 0)).Code);
    }

    [Fact]
    public void DecimalWidthsFollowPrecision()
    {
        Assert.Equal(1, IcebergParquetWriter.DecimalBytes(2));
        Assert.Equal(4, IcebergParquetWriter.DecimalBytes(9));
        Assert.Equal(8, IcebergParquetWriter.DecimalBytes(18));
        Assert.Equal(16, IcebergParquetWriter.DecimalBytes(38));
    }
}
