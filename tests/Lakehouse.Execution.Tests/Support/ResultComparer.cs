using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Support;

/// <summary>
/// Canonical cell values: exact values are tagged strings (so an integer never equals a decimal or a
/// date), doubles stay doubles and compare with a relative tolerance.
/// </summary>
public static class Cell
{
    public static string Integer(string digits) => "int:" + digits;

    public static string Decimal(string text) => "dec:" + text;

    public static string Text(string text) => "str:" + text;

    public static string Boolean(bool value) => value ? "bool:true" : "bool:false";

    public static string Date(string text) => "date:" + text;

    public static string Timestamp(long micros) => "ts:" + ScalarText.FormatTimestamp(micros, false);

    public static string TimestampTz(long micros) => "tstz:" + ScalarText.FormatTimestamp(micros, false);

    public static string Time(long micros) => "time:" + ScalarText.FormatTime(micros);

    public static string Uuid(Guid value) => "uuid:" + ScalarText.FormatUuid(value);

    public static string Binary(byte[] value) => "bin:" + Convert.ToHexString(value);

    /// <summary>Our engine's value at one row, in canonical form.</summary>
    public static object? FromArrow(IArrowArray array, IArrowType type, int row)
    {
        var value = ScalarReader.Get(array, row);
        return value switch
        {
            null => null,
            double v => v,
            float v => (double)v,
            int v when type is Date32Type => Date(ScalarText.FormatDate(v)),
            int v => Integer(v.ToString(CultureInfo.InvariantCulture)),
            long v when type is TimestampType ts => SqlTypes.IsTimestampTz(ts) ? TimestampTz(v) : Timestamp(v),
            long v when type is Time64Type => Time(v),
            sbyte or short or long => Integer(Convert.ToString(value, CultureInfo.InvariantCulture)!),
            Int128 v when type is Decimal128Type d => Decimal(ScalarText.FormatDecimal(v, d.Scale)),
            string v => Text(v),
            bool v => Boolean(v),
            Guid v => Uuid(v),
            byte[] v => Binary(v),
            _ => throw new InvalidOperationException($"no canonical form for {SqlTypes.Display(type)} value {value}"),
        };
    }
}

/// <summary>Rows of one query result in canonical cells, with the engine's column type names for messages.</summary>
public sealed record QueryResult(IReadOnlyList<string> ColumnTypes, IReadOnlyList<object?[]> Rows);

public static class ResultComparer
{
    private const double RelativeTolerance = 1e-9;

    public static async Task<QueryResult> CollectAsync(Engine.PreparedQuery prepared)
    {
        var schema = prepared.Schema;
        var types = new string[schema.FieldsList.Count];
        for (int c = 0; c < types.Length; c++)
        {
            types[c] = SqlTypes.Display(schema.FieldsList[c].DataType);
        }

        var rows = new List<object?[]>();
        await foreach (var batch in prepared.ExecuteAsync(CancellationToken.None))
        {
            Assert.Equal(types.Length, batch.ColumnCount);
            for (int r = 0; r < batch.Length; r++)
            {
                var row = new object?[types.Length];
                for (int c = 0; c < row.Length; c++)
                {
                    row[c] = Cell.FromArrow(batch.Column(c), schema.FieldsList[c].DataType, r);
                }

                rows.Add(row);
            }
        }

        return new QueryResult(types, rows);
    }

    /// <summary>Fails with the first differing row when the results differ; unordered results are sorted first.</summary>
    public static void AssertSame(QueryResult expected, QueryResult actual, bool ordered, string sql)
    {
        Assert.True(
            expected.ColumnTypes.Count == actual.ColumnTypes.Count,
            $"column count: DuckDB {expected.ColumnTypes.Count} [{string.Join(", ", expected.ColumnTypes)}], ours {actual.ColumnTypes.Count} [{string.Join(", ", actual.ColumnTypes)}]\n{sql}");
        Assert.True(expected.Rows.Count == actual.Rows.Count, $"row count: DuckDB {expected.Rows.Count}, ours {actual.Rows.Count}\n{sql}");
        var left = Arrange(expected.Rows, ordered);
        var right = Arrange(actual.Rows, ordered);
        for (int r = 0; r < left.Count; r++)
        {
            for (int c = 0; c < left[r].Length; c++)
            {
                if (!CellsEqual(left[r][c], right[r][c]))
                {
                    Assert.Fail(
                        $"row {r} column {c} ({actual.ColumnTypes[c]}): DuckDB {Show(left[r][c])}, ours {Show(right[r][c])}\n" +
                        $"DuckDB row: {ShowRow(left[r])}\nour row:    {ShowRow(right[r])}\n{sql}");
                }
            }
        }
    }

    public static bool CellsEqual(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (double a, double b) => DoublesClose(a, b),
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        _ => false,
    };

    private static bool DoublesClose(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b);
        }

        if (double.IsInfinity(a) || double.IsInfinity(b))
        {
            return a.Equals(b);
        }

        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return Math.Abs(a - b) <= RelativeTolerance * Math.Max(scale, 1e-3);
    }

    private static List<object?[]> Arrange(IReadOnlyList<object?[]> rows, bool ordered)
    {
        var copy = new List<object?[]>(rows);
        if (!ordered)
        {
            copy.Sort(CompareRows);
        }

        return copy;
    }

    private static int CompareRows(object?[] left, object?[] right)
    {
        for (int c = 0; c < left.Length; c++)
        {
            int order = CompareCells(left[c], right[c]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    private static int CompareCells(object? left, object? right) => (left, right) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (double a, double b) => DoublesClose(a, b) ? 0 : a.CompareTo(b),
        (double, _) => -1,
        (_, double) => 1,
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => 0,
    };

    private static string Show(object? cell) => cell switch
    {
        null => "NULL",
        double v => v.ToString("R", CultureInfo.InvariantCulture) + " (double)",
        _ => cell.ToString()!,
    };

    private static string ShowRow(object?[] row)
    {
        var builder = new StringBuilder("(");
        for (int c = 0; c < row.Length; c++)
        {
            builder.Append(c == 0 ? string.Empty : ", ").Append(Show(row[c]));
        }

        return builder.Append(')').ToString();
    }
}
