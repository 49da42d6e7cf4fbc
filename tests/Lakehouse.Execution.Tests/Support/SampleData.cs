using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Tests.Support;

/// <summary>One generated table: its Arrow schema, its rows as engine scalars and its DuckDB column types.</summary>
public sealed record SampleTable(string Name, Schema Schema, IReadOnlyList<string> DuckTypes, IReadOnlyList<object?[]> Rows, IReadOnlyList<int> BatchSizes)
{
    /// <summary>The rows as Arrow batches of <see cref="BatchSizes"/> rows each, so scans see several splits.</summary>
    public IReadOnlyList<RecordBatch> ToBatches()
    {
        var batches = new List<RecordBatch>(BatchSizes.Count);
        int start = 0;
        foreach (int size in BatchSizes)
        {
            var columns = new IArrowArray[Schema.FieldsList.Count];
            for (int c = 0; c < columns.Length; c++)
            {
                var builder = ColumnBuilder.Create(Schema.FieldsList[c].DataType, size);
                for (int r = start; r < start + size; r++)
                {
                    builder.AppendScalar(Rows[r][c]);
                }

                columns[c] = builder.Build();
            }

            batches.Add(new RecordBatch(Schema, columns, size));
            start += size;
        }

        return batches;
    }
}

/// <summary>
/// Deterministic test tables (seeded), held as engine scalars: int, long, double, Int128 unscaled decimals,
/// string, int days for dates, long microseconds for timestamps, bool.
/// </summary>
public static class SampleData
{
    public const int MainRows = 3000;
    public const int SideRows = 200;

    private static readonly string?[] Words =
    [
        "alpha", "Alpha", "beta", "BETA", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
        "iota", "kappa", "lambda", "mu", "", "42", "-7", "50%off", "a_b", "x\\y", "Omega", "omega",
        "apple", "banana", "cherry", "Date", "elderberry", "fig", "grape", "honeydew",
    ];

    private static readonly string[] Names = ["north", "south", "east", "west", "centre", "up", "down", "left", "right", "none"];

    /// <summary>Table t: id is unique and never null, so it can make any ORDER BY total.</summary>
    public static SampleTable MainTable()
    {
        var random = new Random(20241122);
        var schema = new Schema(
            [
                new Field("id", Int32Type.Default, false),
                new Field("a", Int32Type.Default, true),
                new Field("b", Int64Type.Default, true),
                new Field("x", DoubleType.Default, true),
                new Field("d", new Decimal128Type(12, 2), true),
                new Field("e", new Decimal128Type(38, 10), true),
                new Field("s", StringType.Default, true),
                new Field("dt", Date32Type.Default, true),
                new Field("ts", new TimestampType(TimeUnit.Microsecond, (string?)null), true),
                new Field("flag", BooleanType.Default, true),
            ],
            null);
        string[] duckTypes = ["INTEGER", "BIGINT", "DOUBLE", "DECIMAL(12,2)", "DECIMAL(38,10)", "VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN"];
        var rows = new List<object?[]>(MainRows);
        long firstMicros = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Ticks / 10;
        for (int i = 0; i < MainRows; i++)
        {
            rows.Add(
            [
                i + 1,
                NullOr<object>(random, 0.05, () => random.Next(0, 100)),
                NullOr<object>(random, 0.05, () => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000)),
                NullOr<object>(random, 0.05, () => Math.Round((random.NextDouble() * 2000) - 1000, 3)),
                NullOr<object>(random, 0.05, () => (Int128)random.NextInt64(-1_000_000_000, 1_000_000_000)),
                NullOr<object>(random, 0.05, () => (Int128)random.NextInt64(-1_000_000_000_000_000_000, 1_000_000_000_000_000_000) * 100),
                random.NextDouble() < 0.08 ? null : Words[random.Next(Words.Length)],
                NullOr<object>(random, 0.05, () => 10957 + random.Next(0, 9000)),
                NullOr<object>(random, 0.05, () => firstMicros + random.NextInt64(0, 30L * 365 * 86_400_000_000)),
                NullOr<object>(random, 0.1, () => random.Next(2) == 0),
            ]);
        }

        return new SampleTable("t", schema, ["INTEGER", .. duckTypes], rows, [1000, 1000, 700, 300]);
    }

    /// <summary>Table u: k overlaps t.a partly (0..129 against 0..99), with repeated keys and NULL keys.</summary>
    public static SampleTable SideTable()
    {
        var random = new Random(7);
        var schema = new Schema(
            [
                new Field("uid", Int32Type.Default, false),
                new Field("k", Int32Type.Default, true),
                new Field("name", StringType.Default, true),
                new Field("w", DoubleType.Default, true),
                new Field("amt", new Decimal128Type(12, 2), true),
            ],
            null);
        var rows = new List<object?[]>(SideRows);
        for (int i = 0; i < SideRows; i++)
        {
            rows.Add(
            [
                i + 1,
                NullOr<object>(random, 0.05, () => random.Next(0, 130)),
                NullOr<object>(random, 0.05, () => Names[random.Next(Names.Length)]),
                NullOr<object>(random, 0.05, () => Math.Round(random.NextDouble() * 10, 2)),
                NullOr<object>(random, 0.05, () => (Int128)random.Next(-50_000, 500_000)),
            ]);
        }

        return new SampleTable("u", schema, ["INTEGER", "INTEGER", "VARCHAR", "DOUBLE", "DECIMAL(12,2)"], rows, [120, 80]);
    }

    private static T? NullOr<T>(Random random, double nullFraction, Func<T> value)
        where T : class
    {
        // Draw the value either way so the null pattern does not shift every later value.
        var drawn = value();
        return random.NextDouble() < nullFraction ? null : drawn;
    }
}
