using System.Globalization;
using System.Numerics;
using System.Text;

namespace Lakehouse.Iceberg.Conversions;

/// <summary>
/// Text forms of Iceberg values as written by the spec's JSON single-value serialization:
/// dates <c>2017-11-16</c>, times <c>22:31:08.123456</c>, timestamps <c>2017-11-16T22:31:08.123456[+00:00]</c>,
/// decimals <c>14.20</c>.
/// </summary>
public static class ValueText
{
    private const long MicrosPerSecond = 1_000_000L;
    private const long NanosPerSecond = 1_000_000_000L;

    public static int ParseDate(string text)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw Invalid("date", text);
        }

        return date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    }

    public static string FormatDate(int daysSinceEpoch) =>
        DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + daysSinceEpoch).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>HH:MM:SS[.fraction]</c> into microseconds since midnight.</summary>
    public static long ParseTimeMicros(string text) => ParseTimeOfDay(text, text, 6);

    public static string FormatTimeMicros(long micros) => FormatTimeOfDay(micros, MicrosPerSecond, 6);

    /// <summary>
    /// Parses <c>YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+hh:mm|-hh:mm]</c> into microseconds since the epoch (UTC when an offset is given).
    /// </summary>
    public static long ParseTimestampMicros(string text) => ParseTimestamp(text, 6, MicrosPerSecond);

    public static long ParseTimestampNanos(string text) => ParseTimestamp(text, 9, NanosPerSecond);

    public static string FormatTimestampMicros(long micros, bool withZone) => FormatTimestamp(micros, MicrosPerSecond, 6, withZone);

    public static string FormatTimestampNanos(long nanos, bool withZone) => FormatTimestamp(nanos, NanosPerSecond, 9, withZone);

    /// <summary>Parses a plain decimal number (no exponent) into its unscaled value at <paramref name="scale"/>.</summary>
    public static BigInteger ParseDecimal(string text, int scale)
    {
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        var body = negative || trimmed.StartsWith('+') ? trimmed[1..] : trimmed;
        var dot = body.IndexOf('.');
        var integerPart = dot < 0 ? body : body[..dot];
        var fractionPart = dot < 0 ? string.Empty : body[(dot + 1)..];
        if (body.Length == 0 || !IsDigits(integerPart) || !IsDigits(fractionPart) || (integerPart.Length == 0 && fractionPart.Length == 0))
        {
            throw Invalid("decimal", text);
        }

        if (fractionPart.Length > scale)
        {
            var dropped = fractionPart[scale..];
            if (dropped.Trim('0').Length != 0)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"decimal '{text}' has more than {scale} fraction digits");
            }

            fractionPart = fractionPart[..scale];
        }

        var digits = (integerPart + fractionPart.PadRight(scale, '0')).TrimStart('0');
        var unscaled = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -unscaled : unscaled;
    }

    public static string FormatDecimal(BigInteger unscaled, int scale)
    {
        var negative = unscaled.Sign < 0;
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = digits[..^scale] + "." + digits[^scale..];
        }

        return negative ? "-" + digits : digits;
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static long ParseTimestamp(string text, int fractionDigits, long unitsPerSecond)
    {
        if (text.Length < 19 || (text[10] != 'T' && text[10] != ' '))
        {
            throw Invalid("timestamp", text);
        }

        var days = ParseDate(text[..10]);
        var rest = text[11..];
        var offsetSeconds = 0L;
        if (rest.EndsWith('Z'))
        {
            rest = rest[..^1];
        }
        else if (rest.Length > 6 && (rest[^6] == '+' || rest[^6] == '-') && rest[^3] == ':')
        {
            var sign = rest[^6] == '-' ? -1 : 1;
            if (!int.TryParse(rest.AsSpan(rest.Length - 5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
                || !int.TryParse(rest.AsSpan(rest.Length - 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
            {
                throw Invalid("timestamp", text);
            }

            offsetSeconds = sign * ((hours * 3600L) + (minutes * 60L));
            rest = rest[..^6];
        }

        var timeOfDay = ParseTimeOfDay(rest, text, fractionDigits);
        return (days * 86_400L * unitsPerSecond) + timeOfDay - (offsetSeconds * unitsPerSecond);
    }

    private static long ParseTimeOfDay(string text, string original, int fractionDigits)
    {
        if (text.Length < 8 || text[2] != ':' || text[5] != ':')
        {
            throw Invalid("time", original);
        }

        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            || h > 23 || m > 59 || s > 59)
        {
            throw Invalid("time", original);
        }

        long unitsPerSecond = 1;
        for (var i = 0; i < fractionDigits; i++)
        {
            unitsPerSecond *= 10;
        }

        long fraction = 0;
        if (text.Length > 8)
        {
            var digits = text[9..];
            if (text[8] != '.' || digits.Length == 0 || digits.Length > 9 || !IsDigits(digits))
            {
                throw Invalid("time", original);
            }

            if (digits.Length > fractionDigits)
            {
                digits = digits[..fractionDigits];
            }

            fraction = long.Parse(digits.PadRight(fractionDigits, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return (((h * 3600L) + (m * 60L) + s) * unitsPerSecond) + fraction;
    }

    private static string FormatTimeOfDay(long units, long unitsPerSecond, int fractionDigits)
    {
        var seconds = units / unitsPerSecond;
        var fraction = units % unitsPerSecond;
        var sb = new StringBuilder();
        sb.Append((seconds / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
          .Append((seconds / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
          .Append((seconds % 60).ToString("D2", CultureInfo.InvariantCulture));
        if (fraction != 0)
        {
            sb.Append('.').Append(fraction.ToString("D" + fractionDigits, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string FormatTimestamp(long units, long unitsPerSecond, int fractionDigits, bool withZone)
    {
        var unitsPerDay = 86_400L * unitsPerSecond;
        var days = Math.DivRem(units, unitsPerDay, out var timeOfDay);
        if (timeOfDay < 0)
        {
            timeOfDay += unitsPerDay;
            days--;
        }

        var text = FormatDate(checked((int)days)) + "T" + FormatTimeOfDay(timeOfDay, unitsPerSecond, fractionDigits);
        return withZone ? text + "+00:00" : text;
    }

    private static IcebergException Invalid(string what, string text) =>
        new(IcebergException.InvalidValue, $"invalid {what} text '{text}'");
}
