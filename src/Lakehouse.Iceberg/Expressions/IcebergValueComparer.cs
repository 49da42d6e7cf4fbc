using System.Numerics;
using System.Text;

namespace Lakehouse.Iceberg.Expressions;

/// <summary>
/// Orders values in the .NET forms of Iceberg types: numbers across widths (a column promoted from
/// int to long, float to double), strings by Unicode code point, uuids and binary by unsigned bytes.
/// </summary>
public static class IcebergValueComparer
{
    /// <summary>Compares two non-null values; returns null when they cannot be ordered against each other.</summary>
    public static int? Compare(object left, object right)
    {
        switch (left)
        {
            case string ls when right is string rs:
                return CompareCodePoints(ls, rs);
            case byte[] lb when right is byte[] rb:
                return lb.AsSpan().SequenceCompareTo(rb);
            case Guid lg when right is Guid rg:
                return CompareGuids(lg, rg);
            case bool lbool when right is bool rbool:
                return lbool.CompareTo(rbool);
        }

        if (IsIntegral(left) && IsIntegral(right))
        {
            if (left is BigInteger || right is BigInteger)
            {
                return ToBigInteger(left).CompareTo(ToBigInteger(right));
            }

            return ToLong(left).CompareTo(ToLong(right));
        }

        if (IsNumber(left) && IsNumber(right))
        {
            var l = ToDouble(left);
            var r = ToDouble(right);
            if (double.IsNaN(l) || double.IsNaN(r))
            {
                return null;
            }

            return l.CompareTo(r);
        }

        return null;
    }

    public static bool IsNaN(object value) => value switch
    {
        double d => double.IsNaN(d),
        float f => float.IsNaN(f),
        _ => false,
    };

    public static int CompareCodePoints(string left, string right)
    {
        var l = left.AsSpan().EnumerateRunes();
        var r = right.AsSpan().EnumerateRunes();
        while (true)
        {
            var hasLeft = l.MoveNext();
            var hasRight = r.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft == hasRight ? 0 : (hasLeft ? 1 : -1);
            }

            var c = l.Current.Value.CompareTo(r.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    private static int CompareGuids(Guid left, Guid right)
    {
        Span<byte> l = stackalloc byte[16];
        Span<byte> r = stackalloc byte[16];
        left.TryWriteBytes(l, bigEndian: true, out _);
        right.TryWriteBytes(r, bigEndian: true, out _);
        return l.SequenceCompareTo(r);
    }

    private static bool IsIntegral(object v) => v is int or long or short or sbyte or byte or BigInteger;

    private static bool IsNumber(object v) => IsIntegral(v) || v is float or double or decimal;

    private static long ToLong(object v) => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);

    private static BigInteger ToBigInteger(object v) => v is BigInteger b ? b : new BigInteger(ToLong(v));

    private static double ToDouble(object v) => v is BigInteger b ? (double)b : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);

    internal static string Utf8Prefix(string s, int codePoints)
    {
        var sb = new StringBuilder();
        var count = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            if (count++ == codePoints)
            {
                break;
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }
}
