using System.Globalization;
using System.Numerics;
using System.Text;
using Apache.Arrow.Types;

namespace Lakehouse.Planning.Types;

/// <summary>Text forms of scalar values (SQL literals and CAST to/from varchar), in UTC.</summary>
public static class ScalarText
{
    public const long MicrosPerSecond = 1_000_000L;
    public const long MicrosPerDay = 86_400L * MicrosPerSecond;
    private static readonly DateOnly Epoch = new(1970, 1, 1);

    private static readonly Int128[] PowersOfTen = BuildPowers();

    private static Int128[] BuildPowers()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    public static Int128 PowerOfTen(int exponent) => PowersOfTen[exponent];

    /// <summary>Whether an unscaled decimal value fits the given precision.</summary>
    public static bool FitsPrecision(Int128 unscaled, int precision)
    {
        var limit = PowersOfTen[precision];
        return unscaled < limit && unscaled > -limit;
    }

    /// <summary>Parses a decimal literal such as <c>-12.340</c> into unscaled digits, precision and scale; false if not a decimal.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out Int128 unscaled, out int precision, out int scale)
    {
        unscaled = 0;
        precision = 0;
        scale = 0;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        bool negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        int digits = 0;
        bool seenPoint = false;
        bool leading = true;
        BigInteger big = BigInteger.Zero;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (seenPoint)
                {
                    return false;
                }

                seenPoint = true;
                continue;
            }

            if (c < '0' || c > '9')
            {
                return false;
            }

            big = (big * 10) + (c - '0');
            if (seenPoint)
            {
                scale++;
            }

            if (leading && c == '0' && !seenPoint)
            {
                continue;
            }

            leading = false;
            digits++;
        }

        if (digits == 0 && scale == 0 && !text.Contains('0'))
        {
            return false;
        }

        int integerDigits = digits - scale;
        precision = Math.Max(1, Math.Max(integerDigits, 0) + scale);
        if (precision > 38)
        {
            return false;
        }

        unscaled = (Int128)(negative ? -big : big);
        return true;
    }

    public static string FormatDecimal(Int128 unscaled, int scale)
    {
        bool negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        string digits = magnitude.ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            if (digits.Length <= scale)
            {
                digits = new string('0', scale - digits.Length + 1) + digits;
            }

            digits = string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        }

        return negative ? "-" + digits : digits;
    }

    /// <summary>Changes the scale of an unscaled decimal exactly; rounding half away from zero when scale shrinks.</summary>
    public static bool TryRescale(Int128 unscaled, int fromScale, int toScale, out Int128 result)
    {
        if (toScale == fromScale)
        {
            result = unscaled;
            return true;
        }

        if (toScale > fromScale)
        {
            var factor = PowersOfTen[toScale - fromScale];
            var limit = Int128.MaxValue / factor;
            if (unscaled > limit || unscaled < -limit)
            {
                result = 0;
                return false;
            }

            result = unscaled * factor;
            return true;
        }

        result = DivideRoundHalfUp(unscaled, PowersOfTen[fromScale - toScale]);
        return true;
    }

    public static Int128 DivideRoundHalfUp(Int128 dividend, Int128 divisor)
    {
        var quotient = Int128.DivRem(dividend, divisor);
        var remainder = quotient.Remainder;
        var q = quotient.Quotient;
        var absRemainder = remainder < 0 ? -remainder : remainder;
        var absDivisor = divisor < 0 ? -divisor : divisor;
        if (absRemainder >= absDivisor - absRemainder)
        {
            q += (dividend < 0) != (divisor < 0) ? -1 : 1;
        }

        return q;
    }

    public static string FormatDate(int days) =>
        Epoch.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParseDate(ReadOnlySpan<char> text, out int days)
    {
        days = 0;
        text = text.Trim();
        if (!DateOnly.TryParseExact(text, "yyyy-M-d", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        days = date.DayNumber - Epoch.DayNumber;
        return true;
    }

    public static string FormatTime(long micros)
    {
        long seconds = Math.DivRem(micros, MicrosPerSecond, out long fraction);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}.{fraction:000000}");
    }

    public static bool TryParseTime(ReadOnlySpan<char> text, out long micros)
    {
        micros = 0;
        text = text.Trim();
        return TryParseClock(text, out micros) && micros < MicrosPerDay;
    }

    private static bool TryParseClock(ReadOnlySpan<char> text, out long micros)
    {
        micros = 0;
        Span<Range> parts = stackalloc Range[4];
        int count = text.Split(parts, ':');
        if (count is < 2 or > 3)
        {
            return false;
        }

        if (!int.TryParse(text[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(text[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }

        long fractionMicros = 0;
        int seconds = 0;
        if (count == 3)
        {
            var secondsText = text[parts[2]];
            int point = secondsText.IndexOf('.');
            var whole = point >= 0 ? secondsText[..point] : secondsText;
            if (!int.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds > 59)
            {
                return false;
            }

            if (point >= 0)
            {
                var fraction = secondsText[(point + 1)..];
                if (fraction.Length is 0 or > 12)
                {
                    return false;
                }

                long scaleDigits = 0;
                for (int i = 0; i < 6; i++)
                {
                    char c = i < fraction.Length ? fraction[i] : '0';
                    if (c is < '0' or > '9')
                    {
                        return false;
                    }

                    scaleDigits = (scaleDigits * 10) + (c - '0');
                }

                for (int i = 6; i < fraction.Length; i++)
                {
                    if (fraction[i] is < '0' or > '9')
                    {
                        return false;
                    }
                }

                fractionMicros = scaleDigits;
            }
        }

        micros = (((hours * 60L) + minutes) * 60L + seconds) * MicrosPerSecond + fractionMicros;
        return true;
    }

    /// <summary>Parses <c>YYYY-MM-DD[ HH:MM[:SS[.f]]][ zone]</c>; the zone (Z, UTC, +hh:mm) makes it a timestamp with time zone.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long micros, out bool hasZone)
    {
        micros = 0;
        hasZone = false;
        text = text.Trim();
        int split = text.IndexOfAny(' ', 'T');
        var datePart = split < 0 ? text : text[..split];
        if (!TryParseDate(datePart, out int days))
        {
            return false;
        }

        long timeMicros = 0;
        long offsetMicros = 0;
        if (split >= 0)
        {
            var rest = text[(split + 1)..].Trim();
            int zoneStart = rest.IndexOfAny('+', '-', ' ');
            int zLetter = rest.IndexOfAny('Z', 'U');
            if (zLetter >= 0 && (zoneStart < 0 || zLetter < zoneStart))
            {
                zoneStart = zLetter;
            }

            var clock = zoneStart < 0 ? rest : rest[..zoneStart];
            if (!TryParseClock(clock.Trim(), out timeMicros))
            {
                return false;
            }

            if (zoneStart >= 0)
            {
                if (!TryParseZone(rest[zoneStart..].Trim(), out offsetMicros))
                {
                    return false;
                }

                hasZone = true;
            }
        }

        micros = (days * MicrosPerDay) + timeMicros - offsetMicros;
        return true;
    }

    private static bool TryParseZone(ReadOnlySpan<char> zone, out long offsetMicros)
    {
        offsetMicros = 0;
        if (zone.Equals("Z", StringComparison.OrdinalIgnoreCase) || zone.Equals("UTC", StringComparison.OrdinalIgnoreCase)
            || zone.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (zone.StartsWith("UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = zone[3..];
        }

        if (zone.Length < 2 || zone[0] is not ('+' or '-'))
        {
            return false;
        }

        int sign = zone[0] == '-' ? -1 : 1;
        var body = zone[1..];
        int hours;
        int minutes = 0;
        int colon = body.IndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(body[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                || !int.TryParse(body[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            {
                return false;
            }
        }
        else if (body.Length == 4)
        {
            if (!int.TryParse(body[..2], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                || !int.TryParse(body[2..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            {
                return false;
            }
        }
        else if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out hours))
        {
            return false;
        }

        if (hours > 18 || minutes > 59)
        {
            return false;
        }

        offsetMicros = sign * ((hours * 60L) + minutes) * 60L * MicrosPerSecond;
        return true;
    }

    public static string FormatTimestamp(long micros, bool withZone)
    {
        long days = Math.DivRem(micros, MicrosPerDay, out long timeOfDay);
        if (timeOfDay < 0)
        {
            timeOfDay += MicrosPerDay;
            days--;
        }

        var text = FormatDate((int)days) + " " + FormatTime(timeOfDay);
        return withZone ? text + " UTC" : text;
    }

    public static string FormatUuid(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    public static string FormatHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string FormatReal(float value)
    {
        if (float.IsNaN(value))
        {
            return "NaN";
        }

        if (float.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>An instant shown on the wall clock of <paramref name="zone"/>, followed by the zone.</summary>
    public static string FormatZonedTimestamp(long micros, string zone) =>
        FormatTimestamp(micros + TimeZones.OffsetMicros(zone, micros), false) + " " + zone;

    /// <summary>Trino's text of an interval day to second: <c>[-]D HH:MM:SS.mmm</c>.</summary>
    public static string FormatIntervalDayToSecond(long micros)
    {
        string sign = micros < 0 ? "-" : string.Empty;
        var magnitude = micros < 0 ? -(Int128)micros : micros;
        long millis = (long)(magnitude / 1000);
        long days = millis / 86_400_000;
        long rest = millis % 86_400_000;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{sign}{days} {rest / 3_600_000:00}:{rest / 60_000 % 60:00}:{rest / 1000 % 60:00}.{rest % 1000:000}");
    }

    /// <summary>Trino's text of an interval year to month: <c>[-]Y-M</c>.</summary>
    public static string FormatIntervalYearToMonth(int months)
    {
        string sign = months < 0 ? "-" : string.Empty;
        long magnitude = Math.Abs((long)months);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / 12}-{magnitude % 12}");
    }

    /// <summary>Text of a scalar value as CAST(x AS varchar) produces it.</summary>
    public static string Format(object value, IArrowType type) => (value, type) switch
    {
        (bool b, _) => b ? "true" : "false",
        (Int128 d, Decimal128Type dt) => FormatDecimal(d, dt.Scale),
        (int days, Date32Type) => FormatDate(days),
        (long micros, Time64Type) => FormatTime(micros),
        (long micros, TimestampType ts) when TimeZones.DisplayZone(ts) is { } zone => FormatZonedTimestamp(micros, zone),
        (long micros, TimestampType ts) => FormatTimestamp(micros, SqlTypes.IsTimestampTz(ts)),
        (long micros, DurationType) => FormatIntervalDayToSecond(micros),
        (int months, IntervalType) => FormatIntervalYearToMonth(months),
        (double d, _) => FormatDouble(d),
        (float f, _) => FormatReal(f),
        (Guid g, _) => FormatUuid(g),
        (byte[] bytes, _) => FormatHex(bytes),
        (IFormattable f, _) => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The value written as a SQL literal of its type (for EXPLAIN).</summary>
    public static string ToSqlLiteral(object? value, IArrowType type)
    {
        if (value is null)
        {
            return "NULL";
        }

        return type switch
        {
            StringType => "'" + ((string)value).Replace("'", "''", StringComparison.Ordinal) + "'",
            Date32Type => "DATE '" + Format(value, type) + "'",
            Time64Type => "TIME '" + Format(value, type) + "'",
            TimestampType => "TIMESTAMP '" + Format(value, type) + "'",
            DurationType => "INTERVAL '" + Format(value, type) + "' DAY TO SECOND",
            IntervalType => "INTERVAL '" + Format(value, type) + "' YEAR TO MONTH",
            BinaryType or FixedSizeBinaryType when value is byte[] => "X'" + Format(value, type) + "'",
            Apache.Arrow.GuidType => "UUID '" + Format(value, type) + "'",
            _ => Format(value, type),
        };
    }

    public static void AppendQuoted(StringBuilder builder, string text) =>
        builder.Append('\'').Append(text.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
}
