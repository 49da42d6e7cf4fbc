using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Lakehouse.Integration.Tests;

/// <summary>Compares query output (JSON lines) with the expected rows of a case, by the rules of the cases README.</summary>
internal static class CaseComparison
{
    public static List<List<JsonElement>> ParseJsonLines(string output)
    {
        var rows = new List<List<JsonElement>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var row = new List<JsonElement>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                row.Add(property.Value.Clone());
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Column names from the first output line, or null when there are no rows.</summary>
    public static List<string>? ParseColumnNames(string output)
    {
        var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(first);
        return doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }

    /// <summary>Returns null when equal, else a description of the first difference.</summary>
    public static string? Compare(JsonElement expectedRows, List<List<JsonElement>> actual, bool ordered)
    {
        var expected = new List<List<JsonElement>>();
        foreach (var row in expectedRows.EnumerateArray())
        {
            expected.Add(row.EnumerateArray().ToList());
        }

        if (expected.Count != actual.Count)
        {
            return $"expected {expected.Count} rows, got {actual.Count}: {Show(actual)}";
        }

        if (ordered)
        {
            for (var i = 0; i < expected.Count; i++)
            {
                if (!RowEquals(expected[i], actual[i]))
                {
                    return $"row {i}: expected {Show(expected[i])}, got {Show(actual[i])}";
                }
            }

            return null;
        }

        var remaining = new List<List<JsonElement>>(actual);
        foreach (var row in expected)
        {
            var index = remaining.FindIndex(candidate => RowEquals(row, candidate));
            if (index < 0)
            {
                return $"expected row {Show(row)} not found in {Show(actual)}";
            }

            remaining.RemoveAt(index);
        }

        return null;
    }

    private static bool RowEquals(List<JsonElement> expected, List<JsonElement> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (!ValueEquals(expected[i], actual[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValueEquals(JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
        {
            return expected.ValueKind == actual.ValueKind;
        }

        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number)
        {
            if (expected.TryGetInt64(out var e) && actual.TryGetInt64(out var a))
            {
                return e == a;
            }

            return Close(expected.GetDouble(), actual.GetDouble());
        }

        if (expected.ValueKind == JsonValueKind.String && actual.ValueKind == JsonValueKind.String)
        {
            var es = expected.GetString()!;
            var @as = actual.GetString()!;
            if (es == @as)
            {
                return true;
            }

            // Decimals are compared by numeric value.
            if (TryParseDecimal(es, out var ed) && TryParseDecimal(@as, out var ad))
            {
                return ed == ad;
            }

            return false;
        }

        if (expected.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return expected.ValueKind == actual.ValueKind;
        }

        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.String)
        {
            return double.TryParse(actual.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && Close(expected.GetDouble(), v);
        }

        return expected.GetRawText() == actual.GetRawText();
    }

    private static bool Close(double expected, double actual)
    {
        if (expected == actual)
        {
            return true;
        }

        var scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        return Math.Abs(expected - actual) <= 1e-6 * scale;
    }

    /// <summary>Parses a plain decimal number into an exact (unscaled, scale) pair normalised by trailing zeros.</summary>
    private static bool TryParseDecimal(string text, out (BigInteger Unscaled, int Scale) value)
    {
        value = default;
        if (text.Length == 0)
        {
            return false;
        }

        var negative = text[0] == '-';
        var body = negative || text[0] == '+' ? text.AsSpan(1) : text.AsSpan();
        var dot = body.IndexOf('.');
        var integerPart = dot < 0 ? body : body[..dot];
        var fractionPart = dot < 0 ? ReadOnlySpan<char>.Empty : body[(dot + 1)..];
        if (integerPart.Length + fractionPart.Length == 0)
        {
            return false;
        }

        foreach (var c in integerPart)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        foreach (var c in fractionPart)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        fractionPart = fractionPart.TrimEnd('0');
        var digits = string.Concat(integerPart, fractionPart);
        var unscaled = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        value = (negative ? -unscaled : unscaled, fractionPart.Length);
        return true;
    }

    private static string Show(List<JsonElement> row) => "[" + string.Join(", ", row.Select(v => v.GetRawText())) + "]";

    private static string Show(List<List<JsonElement>> rows)
    {
        var shown = rows.Take(5).Select(Show);
        return "[" + string.Join(", ", shown) + (rows.Count > 5 ? $", ... ({rows.Count} rows)" : string.Empty) + "]";
    }
}
