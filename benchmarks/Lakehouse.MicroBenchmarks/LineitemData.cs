using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Types;
using ArrowSchema = Apache.Arrow.Schema;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// Deterministic lineitem-like rows held as Arrow batches: the same input for every run, so that
/// numbers from different commits can be compared.
/// </summary>
public static class LineitemData
{
    public const int RowCount = 1 << 20;
    public const int BatchRows = 65536;

    public const int OrderKey = 0;
    public const int Quantity = 1;
    public const int ExtendedPrice = 2;
    public const int Discount = 3;
    public const int Tax = 4;
    public const int ReturnFlag = 5;
    public const int LineStatus = 6;
    public const int ShipDate = 7;
    public const int ShipMode = 8;
    public const int Comment = 9;

    /// <summary>(l_returnflag, l_linestatus) pairs as in TPC-H: the four groups of Q1.</summary>
    private static readonly (string ReturnFlag, string LineStatus)[] StatusGroups = [("A", "F"), ("N", "F"), ("N", "O"), ("R", "F")];

    private static readonly string[] ShipModes = ["AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"];

    private static readonly string[] CommentWords =
        ["carefully", "final", "deposits", "quickly", "express", "packages", "slyly", "ironic", "requests", "furiously", "pending", "accounts"];

    public static readonly IcebergSchema IcebergSchema = new(0, [
        new NestedField(1, "l_orderkey", true, PrimitiveType.Long),
        new NestedField(2, "l_quantity", true, new DecimalType(15, 2)),
        new NestedField(3, "l_extendedprice", true, new DecimalType(15, 2)),
        new NestedField(4, "l_discount", true, new DecimalType(15, 2)),
        new NestedField(5, "l_tax", true, new DecimalType(15, 2)),
        new NestedField(6, "l_returnflag", true, PrimitiveType.String),
        new NestedField(7, "l_linestatus", true, PrimitiveType.String),
        new NestedField(8, "l_shipdate", true, PrimitiveType.Date),
        new NestedField(9, "l_shipmode", true, PrimitiveType.String),
        new NestedField(10, "l_comment", true, PrimitiveType.String),
    ]);

    public static readonly ArrowSchema ArrowSchema = IcebergArrowSchema.ToArrowSchema(IcebergSchema.Columns);

    /// <summary><see cref="RowCount"/> rows in batches of <see cref="BatchRows"/>.</summary>
    public static List<RecordBatch> Generate()
    {
        var batches = new List<RecordBatch>(RowCount / BatchRows);
        var random = new SplitMix64(20240601);
        for (int start = 0; start < RowCount; start += BatchRows)
        {
            batches.Add(GenerateBatch(start, Math.Min(BatchRows, RowCount - start), ref random));
        }

        return batches;
    }

    private static RecordBatch GenerateBatch(int start, int count, ref SplitMix64 random)
    {
        var orderKeys = new long[count];
        var quantities = new long[count];
        var prices = new long[count];
        var discounts = new long[count];
        var taxes = new long[count];
        var shipDates = new int[count];
        var returnFlags = new StringArray.Builder();
        var lineStatuses = new StringArray.Builder();
        var shipModes = new StringArray.Builder();
        var comments = new StringArray.Builder();
        var commentText = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++)
        {
            long row = start + i;

            // Four lines per order: the high-cardinality grouping key has RowCount / 4 distinct values.
            orderKeys[i] = (row / 4) * 32 + 1;
            long quantity = 1 + random.Below(50);
            quantities[i] = quantity * 100;
            prices[i] = quantity * (90_000 + random.Below(11_000_000));
            discounts[i] = random.Below(11);
            taxes[i] = random.Below(9);
            shipDates[i] = 8036 + (int)random.Below(2526);
            var group = StatusGroups[random.Below(StatusGroups.Length)];
            returnFlags.Append(group.ReturnFlag);
            lineStatuses.Append(group.LineStatus);
            shipModes.Append(ShipModes[random.Below(ShipModes.Length)]);
            commentText.Clear();
            int words = 2 + (int)random.Below(5);
            for (int w = 0; w < words; w++)
            {
                commentText.Append(CommentWords[random.Below(CommentWords.Length)]).Append(' ');
            }

            commentText.Append(random.Below(1_000_000_000));
            comments.Append(commentText.ToString());
        }

        var decimalType = new Decimal128Type(15, 2);
        IArrowArray[] columns =
        [
            new Int64Array(new ArrowBuffer(AsBytes<long>(orderKeys)), ArrowBuffer.Empty, count, 0, 0),
            Decimals(decimalType, quantities),
            Decimals(decimalType, prices),
            Decimals(decimalType, discounts),
            Decimals(decimalType, taxes),
            returnFlags.Build(),
            lineStatuses.Build(),
            new Date32Array(new ArrowBuffer(AsBytes<int>(shipDates)), ArrowBuffer.Empty, count, 0, 0),
            shipModes.Build(),
            comments.Build(),
        ];
        return new RecordBatch(ArrowSchema, columns, count);
    }

    /// <summary>A decimal column from unscaled values (128-bit little-endian, sign-extended).</summary>
    public static Decimal128Array Decimals(Decimal128Type type, long[] unscaled)
    {
        var bytes = new byte[unscaled.Length * 16];
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes.AsSpan());
        for (int i = 0; i < unscaled.Length; i++)
        {
            words[2 * i] = unscaled[i];
            words[(2 * i) + 1] = unscaled[i] < 0 ? -1 : 0;
        }

        return new Decimal128Array(new ArrayData(type, unscaled.Length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]));
    }

    public static byte[] AsBytes<T>(T[] values)
        where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>Keeps only <paramref name="columns"/> of every batch, in that order, labelled with <paramref name="schema"/>.</summary>
    public static List<RecordBatch> Select(IReadOnlyList<RecordBatch> batches, IReadOnlyList<int> columns, ArrowSchema schema)
    {
        var selected = new List<RecordBatch>(batches.Count);
        foreach (var batch in batches)
        {
            var arrays = new IArrowArray[columns.Count];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = batch.Column(columns[i]);
            }

            selected.Add(new RecordBatch(schema, arrays, batch.Length));
        }

        return selected;
    }
}

/// <summary>A small seeded generator, so the data does not depend on the runtime's Random.</summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public long Below(long bound) => (long)(Next() % (ulong)bound);
}
