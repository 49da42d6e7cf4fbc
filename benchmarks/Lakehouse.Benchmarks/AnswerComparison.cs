using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Benchmarks;

/// <summary>
/// Compares our answer with DuckDB's cell by cell: decimals exactly (within half a unit of the
/// decimal's last digit where DuckDB answers a double), doubles to 1e-9 relative, row order only
/// where the query's ORDER BY fixes it.
/// </summary>
public static class AnswerComparison
{
    private readonly record struct Cell(object? Value, int? Scale);

    /// <summary>Whether the outermost query orders its rows (its text ends with ORDER BY ... [LIMIT n]).</summary>
    public static bool IsOrdered(string sql)
    {
        int orderBy = sql.LastIndexOf("order by", StringComparison.OrdinalIgnoreCase);
        return orderBy >= 0 && sql.IndexOf(')', orderBy) < 0;
    }

    /// <summary>Null when the answers are equal, otherwise what differs first.</summary>
    public static string? Difference(List<object?[]> duckRows, List<RecordBatch> ourBatches, bool ordered)
    {
        var ours = CellsOf(ourBatches);
        if (duckRows.Count != ours.Count)
        {
            return $"DuckDB returned {duckRows.Count} rows, we returned {ours.Count}";
        }

        var expected = duckRows.ConvertAll(row => System.Array.ConvertAll(row, Normalize));
        if (!ordered)
        {
            expected.Sort((a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
            ours.Sort((a, b) => string.CompareOrdinal(SortKey(System.Array.ConvertAll(a, cell => cell.Value)), SortKey(System.Array.ConvertAll(b, cell => cell.Value))));
        }

        for (int r = 0; r < expected.Count; r++)
        {
            if (expected[r].Length != ours[r].Length)
            {
                return $"row {r} has {expected[r].Length} columns in DuckDB, {ours[r].Length} here";
            }

            for (int c = 0; c < expected[r].Length; c++)
            {
                if (!Same(expected[r][c], ours[r][c]))
                {
                    return $"row {r} column {c}: DuckDB {Show(expected[r][c])}, we {Show(ours[r][c].Value)}";
                }
            }
        }

        return null;
    }

    private static List<Cell[]> CellsOf(List<RecordBatch> batches)
    {
        var rows = new List<Cell[]>();
        foreach (var batch in batches)
        {
            for (int r = 0; r < batch.Length; r++)
            {
                var row = new Cell[batch.ColumnCount];
                for (int c = 0; c < row.Length; c++)
                {
                    row[c] = CellOf(batch.Column(c), batch.Schema.FieldsList[c].DataType, r);
                }

                rows.Add(row);
            }
        }

        return rows;
    }

    private static Cell CellOf(IArrowArray array, IArrowType type, int row)
    {
        var value = ScalarReader.Get(array, row);
        return (value, type) switch
        {
            (null, _) => new Cell(null, null),
            (Int128 unscaled, Decimal128Type decimalType) => new Cell(decimal.Parse(ScalarText.FormatDecimal(unscaled, decimalType.Scale), CultureInfo.InvariantCulture), decimalType.Scale),
            (int days, Date32Type) => new Cell(ScalarText.FormatDate(days), null),
            _ => new Cell(value, null),
        };
    }

    private static object? Normalize(object? value) => value switch
    {
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BigInteger big => (decimal)big,
        _ => value,
    };

    private static string SortKey(object?[] row)
    {
        var parts = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            parts[i] = row[i] switch
            {
                null => "\u0000",
                double d => Math.Round(d, 6).ToString("R", CultureInfo.InvariantCulture),
                float f => Math.Round(f, 4).ToString("R", CultureInfo.InvariantCulture),
                decimal m => Math.Round(m, 6).ToString(CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? string.Empty,
            };
        }

        return string.Join('\u0001', parts);
    }

    private static bool Same(object? expected, Cell actual)
    {
        if (expected is null || actual.Value is null)
        {
            return expected is null && actual.Value is null;
        }

        if (IsNumber(expected) && IsNumber(actual.Value))
        {
            if (IsExact(expected) && IsExact(actual.Value))
            {
                return Convert.ToDecimal(expected, CultureInfo.InvariantCulture) == Convert.ToDecimal(actual.Value, CultureInfo.InvariantCulture);
            }

            double e = Convert.ToDouble(expected, CultureInfo.InvariantCulture);
            double a = Convert.ToDouble(actual.Value, CultureInfo.InvariantCulture);
            double allowed = Math.Max(1e-9 * Math.Abs(e), 1e-12);
            if (actual.Scale is { } scale)
            {
                // A decimal answer is the exact value rounded to its scale: it may differ from a double by half a unit of its last digit.
                allowed = Math.Max(allowed, (0.5 * Math.Pow(10, -scale)) + (1e-12 * Math.Abs(e)));
            }

            return Math.Abs(e - a) <= allowed;
        }

        return string.Equals(Convert.ToString(expected, CultureInfo.InvariantCulture), Convert.ToString(actual.Value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static bool IsExact(object value) => value is decimal or long or int or short or sbyte or byte or ulong or uint or ushort;

    private static bool IsNumber(object value) => IsExact(value) || value is double or float;

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture) + " (" + value.GetType().Name + ")",
        _ => value.ToString() + " (" + value.GetType().Name + ")",
    };
}
