using System.Globalization;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>
/// Date/time kernels: dates are days since 1970-01-01, timestamps microseconds since the epoch (UTC for
/// timestamp with time zone; a zone other than UTC in the type shifts fields to that zone's wall clock).
/// </summary>
public static class DateTimeKernels
{
    private const long MicrosPerDay = ScalarText.MicrosPerDay;
    private const long MicrosPerHour = 3_600L * ScalarText.MicrosPerSecond;
    private const long MicrosPerMinute = 60L * ScalarText.MicrosPerSecond;
    private const long MicrosPerMillisecond = 1_000L;
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    private static readonly long MinDays = DateOnly.MinValue.DayNumber - (long)new DateOnly(1970, 1, 1).DayNumber;
    private static readonly long MaxDays = DateOnly.MaxValue.DayNumber - (long)new DateOnly(1970, 1, 1).DayNumber;

    public static DateOnly ToDate(long days)
    {
        if (days < MinDays || days > MaxDays)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"day {days} since 1970-01-01 is outside the years 1 to 9999");
        }

        return DateOnly.FromDayNumber((int)(days + EpochDayNumber));
    }

    public static int FromDate(DateOnly date) => date.DayNumber - EpochDayNumber;

    private static long FloorDiv(long value, long divisor)
    {
        long quotient = Math.DivRem(value, divisor, out long remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static string? DisplayZone(IArrowType type) => TimeZones.DisplayZone(type);

    private static IArrowArray Longs(IArrowType type, byte[] output, byte[]? validity, int nullCount, int length) =>
        ArrayFactory.Primitive(type, output, validity, nullCount, length);

    /// <summary>EXTRACT(field FROM x) as bigint.</summary>
    public static IArrowArray Extract(string field, IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = new byte[length * sizeof(long)];
        var result = MemoryMarshal.Cast<byte, long>(output.AsSpan());
        var zoneName = DisplayZone(type);
        var zone = zoneName is null ? default : TimeZones.Resolve(zoneName);
        for (int row = 0; row < length; row++)
        {
            if (validity is not null && !ArrayAccess.GetBit(validity, row))
            {
                continue;
            }

            long days;
            long timeOfDay;
            switch (type)
            {
                case Date32Type:
                    days = ArrayAccess.Values<int>(input)[row];
                    timeOfDay = 0;
                    break;
                case Time64Type:
                    days = 0;
                    timeOfDay = ArrayAccess.Values<long>(input)[row];
                    break;
                default:
                    long micros = ArrayAccess.Values<long>(input)[row];
                    if (zoneName is not null)
                    {
                        micros += zone.OffsetMicros(micros);
                    }

                    days = FloorDiv(micros, MicrosPerDay);
                    timeOfDay = micros - (days * MicrosPerDay);
                    break;
            }

            result[row] = ExtractField(field, days, timeOfDay);
        }

        return Longs(Int64Type.Default, output, validity, nullCount, length);
    }

    private static long ExtractField(string field, long days, long timeOfDay)
    {
        switch (field)
        {
            case "HOUR":
                return timeOfDay / MicrosPerHour;
            case "MINUTE":
                return timeOfDay / MicrosPerMinute % 60;
            case "SECOND":
                return timeOfDay / ScalarText.MicrosPerSecond % 60;
            case "MILLISECOND":
                return timeOfDay / MicrosPerMillisecond % 1000;
        }

        var date = ToDate(days);
        return field switch
        {
            "YEAR" => date.Year,
            "QUARTER" => ((date.Month - 1) / 3) + 1,
            "MONTH" => date.Month,
            "DAY" => date.Day,
            "DAY_OF_WEEK" => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek,
            "DAY_OF_YEAR" => date.DayOfYear,
            "WEEK" => ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)),
            "YEAR_OF_WEEK" => ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue)),
            _ => throw new ExecutionException(ExecutionException.InvalidArgument, $"unknown EXTRACT field {field}"),
        };
    }

    /// <summary>date_trunc(unit, x) for dates (days) and timestamps (micros).</summary>
    public static IArrowArray Truncate(string unit, IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        bool isDate = type is Date32Type;
        var zoneName = DisplayZone(type);
        var zone = zoneName is null ? default : TimeZones.Resolve(zoneName);
        var output = new byte[length * (isDate ? sizeof(int) : sizeof(long))];
        for (int row = 0; row < length; row++)
        {
            if (validity is not null && !ArrayAccess.GetBit(validity, row))
            {
                continue;
            }

            if (isDate)
            {
                MemoryMarshal.Cast<byte, int>(output.AsSpan())[row] = (int)TruncateDays(unit, ArrayAccess.Values<int>(input)[row]);
                continue;
            }

            long micros = ArrayAccess.Values<long>(input)[row];
            long offset = zoneName is null ? 0 : zone.OffsetMicros(micros);
            long local = micros + offset;
            long truncated = unit switch
            {
                "millisecond" => FloorDiv(local, MicrosPerMillisecond) * MicrosPerMillisecond,
                "second" => FloorDiv(local, ScalarText.MicrosPerSecond) * ScalarText.MicrosPerSecond,
                "minute" => FloorDiv(local, MicrosPerMinute) * MicrosPerMinute,
                "hour" => FloorDiv(local, MicrosPerHour) * MicrosPerHour,
                _ => TruncateDays(unit, FloorDiv(local, MicrosPerDay)) * MicrosPerDay,
            };
            MemoryMarshal.Cast<byte, long>(output.AsSpan())[row] = truncated - offset;
        }

        return ArrayFactory.Primitive(type, output, validity, nullCount, length);
    }

    private static long TruncateDays(string unit, long days)
    {
        var date = ToDate(days);
        return unit switch
        {
            "day" => days,
            "week" => days - (date.DayOfWeek == DayOfWeek.Sunday ? 6 : (int)date.DayOfWeek - 1),
            "month" => FromDate(new DateOnly(date.Year, date.Month, 1)),
            "quarter" => FromDate(new DateOnly(date.Year, (((date.Month - 1) / 3) * 3) + 1, 1)),
            "year" => FromDate(new DateOnly(date.Year, 1, 1)),
            _ => throw new ExecutionException(ExecutionException.InvalidArgument, $"'{unit}' is not a valid unit for a date"),
        };
    }

    /// <summary>Adds months to a day number, clamping to the last day of the target month.</summary>
    public static long AddMonthsToDays(long days, long months)
    {
        var date = ToDate(days);
        long monthIndex = checked((date.Year * 12L) + date.Month - 1 + months);
        long year = FloorDiv(monthIndex, 12);
        int month = (int)(monthIndex - (year * 12)) + 1;
        if (year is < 1 or > 9999)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"date out of range after adding {months} months");
        }

        int day = Math.Min(date.Day, DateTime.DaysInMonth((int)year, month));
        return FromDate(new DateOnly((int)year, month, day));
    }

    private static long AddMonthsToMicros(long micros, long months)
    {
        long days = FloorDiv(micros, MicrosPerDay);
        long timeOfDay = micros - (days * MicrosPerDay);
        return checked((AddMonthsToDays(days, months) * MicrosPerDay) + timeOfDay);
    }

    /// <summary>date_add(unit, amount, x).</summary>
    public static IArrowArray Add(string unit, IArrowArray amounts, IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(amounts, input);
        bool isDate = type is Date32Type;
        var output = new byte[length * (isDate ? sizeof(int) : sizeof(long))];
        var amountValues = ArrayAccess.Values<long>(amounts);
        try
        {
            for (int row = 0; row < length; row++)
            {
                if (validity is not null && !ArrayAccess.GetBit(validity, row))
                {
                    continue;
                }

                long amount = amountValues[row];
                if (isDate)
                {
                    long days = ArrayAccess.Values<int>(input)[row];
                    long shifted = unit switch
                    {
                        "day" => checked(days + amount),
                        "week" => checked(days + (amount * 7)),
                        "month" => AddMonthsToDays(days, amount),
                        "quarter" => AddMonthsToDays(days, checked(amount * 3)),
                        "year" => AddMonthsToDays(days, checked(amount * 12)),
                        _ => throw new ExecutionException(ExecutionException.InvalidArgument, $"'{unit}' is not a valid unit for a date"),
                    };
                    MemoryMarshal.Cast<byte, int>(output.AsSpan())[row] = checked((int)shifted);
                    continue;
                }

                long micros = ArrayAccess.Values<long>(input)[row];
                MemoryMarshal.Cast<byte, long>(output.AsSpan())[row] = unit switch
                {
                    "millisecond" => checked(micros + (amount * MicrosPerMillisecond)),
                    "second" => checked(micros + (amount * ScalarText.MicrosPerSecond)),
                    "minute" => checked(micros + (amount * MicrosPerMinute)),
                    "hour" => checked(micros + (amount * MicrosPerHour)),
                    "day" => checked(micros + (amount * MicrosPerDay)),
                    "week" => checked(micros + (amount * 7 * MicrosPerDay)),
                    "month" => AddMonthsToMicros(micros, amount),
                    "quarter" => AddMonthsToMicros(micros, checked(amount * 3)),
                    _ => AddMonthsToMicros(micros, checked(amount * 12)),
                };
            }
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"date_add({unit}) result is out of range for {SqlTypes.Display(type)}");
        }

        return ArrayFactory.Primitive(type, output, validity, nullCount, length);
    }

    /// <summary>date_diff(unit, a, b): whole units from a to b, truncated toward zero.</summary>
    public static IArrowArray Difference(string unit, IArrowArray first, IArrowArray second, IArrowType type)
    {
        int length = first.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(first, second);
        var output = new byte[length * sizeof(long)];
        var result = MemoryMarshal.Cast<byte, long>(output.AsSpan());
        bool isDate = type is Date32Type;
        for (int row = 0; row < length; row++)
        {
            if (validity is not null && !ArrayAccess.GetBit(validity, row))
            {
                continue;
            }

            long a = isDate ? ArrayAccess.Values<int>(first)[row] * MicrosPerDay : ArrayAccess.Values<long>(first)[row];
            long b = isDate ? ArrayAccess.Values<int>(second)[row] * MicrosPerDay : ArrayAccess.Values<long>(second)[row];
            result[row] = unit switch
            {
                "millisecond" => (b - a) / MicrosPerMillisecond,
                "second" => (b - a) / ScalarText.MicrosPerSecond,
                "minute" => (b - a) / MicrosPerMinute,
                "hour" => (b - a) / MicrosPerHour,
                "day" => (b - a) / MicrosPerDay,
                "week" => (b - a) / (7 * MicrosPerDay),
                "month" => MonthsBetween(a, b),
                "quarter" => MonthsBetween(a, b) / 3,
                _ => MonthsBetween(a, b) / 12,
            };
        }

        return Longs(Int64Type.Default, output, validity, nullCount, length);
    }

    /// <summary>
    /// Whole months from a to b as Trino counts them: the month difference, less one when b's position in its
    /// month is before a's; a day of month past the end of a shorter month counts as that month's last day.
    /// </summary>
    private static long MonthsBetween(long a, long b) => b >= a ? MonthsAfter(b, a) : -MonthsAfter(a, b);

    private static long MonthsAfter(long later, long earlier)
    {
        long laterDays = FloorDiv(later, MicrosPerDay);
        long earlierDays = FloorDiv(earlier, MicrosPerDay);
        var laterDate = ToDate(laterDays);
        var earlierDate = ToDate(earlierDays);
        long difference = ((laterDate.Year - earlierDate.Year) * 12L) + laterDate.Month - earlierDate.Month;
        int laterDay = laterDate.Day;
        int earlierDay = earlierDate.Day;
        if (laterDay == DateTime.DaysInMonth(laterDate.Year, laterDate.Month) && earlierDay > laterDay)
        {
            earlierDay = laterDay;
        }

        long laterRemainder = ((laterDay - 1) * MicrosPerDay) + (later - (laterDays * MicrosPerDay));
        long earlierRemainder = ((earlierDay - 1) * MicrosPerDay) + (earlier - (earlierDays * MicrosPerDay));
        return laterRemainder < earlierRemainder ? difference - 1 : difference;
    }

    /// <summary>date/timestamp + interval (year-month intervals clamp to the month end).</summary>
    public static IArrowArray AddInterval(IArrowArray input, IArrowArray interval, IArrowType type, IArrowType intervalType)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(input, interval);
        bool isDate = type is Date32Type;
        bool months = intervalType is IntervalType;
        var output = new byte[length * (isDate ? sizeof(int) : sizeof(long))];
        try
        {
            for (int row = 0; row < length; row++)
            {
                if (validity is not null && !ArrayAccess.GetBit(validity, row))
                {
                    continue;
                }

                long amount = months ? ArrayAccess.Values<int>(interval)[row] : ArrayAccess.Values<long>(interval)[row];
                if (isDate)
                {
                    long days = ArrayAccess.Values<int>(input)[row];
                    long shifted = months ? AddMonthsToDays(days, amount) : FloorDiv(checked((days * MicrosPerDay) + amount), MicrosPerDay);
                    MemoryMarshal.Cast<byte, int>(output.AsSpan())[row] = checked((int)shifted);
                }
                else
                {
                    long micros = ArrayAccess.Values<long>(input)[row];
                    MemoryMarshal.Cast<byte, long>(output.AsSpan())[row] = months ? AddMonthsToMicros(micros, amount) : checked(micros + amount);
                }
            }
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(type)} + {SqlTypes.Display(intervalType)} is out of range");
        }

        return ArrayFactory.Primitive(type, output, validity, nullCount, length);
    }

    public static IArrowArray TimestampDifference(IArrowArray left, IArrowArray right, IArrowType resultType)
    {
        int length = left.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(left, right);
        var output = new byte[length * sizeof(long)];
        var result = MemoryMarshal.Cast<byte, long>(output.AsSpan());
        var a = ArrayAccess.Values<long>(left);
        var b = ArrayAccess.Values<long>(right);
        try
        {
            for (int row = 0; row < length; row++)
            {
                result[row] = checked(a[row] - b[row]);
            }
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, "timestamp difference is out of range");
        }

        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }

    public static IArrowArray FromUnixtime(IArrowArray input, IArrowType resultType)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = new byte[length * sizeof(long)];
        var result = MemoryMarshal.Cast<byte, long>(output.AsSpan());
        var seconds = ArrayAccess.Values<double>(input);
        for (int row = 0; row < length; row++)
        {
            if (validity is not null && !ArrayAccess.GetBit(validity, row))
            {
                continue;
            }

            // Trino keeps milliseconds, rounding half up.
            double millis = Math.Floor((seconds[row] * 1000) + 0.5);
            if (!double.IsFinite(millis) || Math.Abs(millis) > 9.2e15)
            {
                throw new ExecutionException(ExecutionException.NumericOverflow, $"from_unixtime({seconds[row].ToString(CultureInfo.InvariantCulture)}) is out of range");
            }

            result[row] = (long)millis * MicrosPerMillisecond;
        }

        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }

    public static IArrowArray ToUnixtime(IArrowArray input)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = new byte[length * sizeof(double)];
        var result = MemoryMarshal.Cast<byte, double>(output.AsSpan());
        var micros = ArrayAccess.Values<long>(input);
        for (int row = 0; row < length; row++)
        {
            result[row] = micros[row] / (double)ScalarText.MicrosPerSecond;
        }

        return ArrayFactory.Primitive(DoubleType.Default, output, validity, nullCount, length);
    }

    /// <summary>The same instants typed with another zone: only the wall clock they show changes.</summary>
    public static IArrowArray Retype(IArrowArray input, IArrowType type)
    {
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = MemoryMarshal.AsBytes(ArrayAccess.Values<long>(input)).ToArray();
        return ArrayFactory.Primitive(type, output, validity, nullCount, input.Length);
    }

    public static IArrowArray LastDayOfMonth(IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = new byte[length * sizeof(int)];
        var result = MemoryMarshal.Cast<byte, int>(output.AsSpan());
        for (int row = 0; row < length; row++)
        {
            if (validity is not null && !ArrayAccess.GetBit(validity, row))
            {
                continue;
            }

            long days = type is Date32Type ? ArrayAccess.Values<int>(input)[row] : FloorDiv(ArrayAccess.Values<long>(input)[row], MicrosPerDay);
            var date = ToDate(days);
            result[row] = FromDate(new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)));
        }

        return ArrayFactory.Primitive(Date32Type.Default, output, validity, nullCount, length);
    }

    /// <summary>to_iso8601: dates as YYYY-MM-DD, timestamps as YYYY-MM-DDTHH:MM:SS.ffffff with Z or the zone offset when zoned.</summary>
    public static IArrowArray ToIso8601(IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, length);
        var zoneName = DisplayZone(type);
        var zone = zoneName is null ? default : TimeZones.Resolve(zoneName);
        bool zoned = SqlTypes.IsTimestampTz(type);
        Span<char> text = stackalloc char[48];
        Span<byte> bytes = stackalloc byte[48];
        for (int row = 0; row < length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            int written;
            if (type is Date32Type)
            {
                ToDate(ArrayAccess.Values<int>(input)[row]).TryFormat(text, out written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else
            {
                long micros = ArrayAccess.Values<long>(input)[row];
                long offset = zoneName is null ? 0 : zone.OffsetMicros(micros);
                long local = micros + offset;
                long days = FloorDiv(local, MicrosPerDay);
                var clock = DateTime.SpecifyKind(ToDate(days).ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified).AddTicks((local - (days * MicrosPerDay)) * 10);
                clock.TryFormat(text, out written, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
                if (zoned)
                {
                    if (offset == 0)
                    {
                        text[written++] = 'Z';
                    }
                    else
                    {
                        long minutes = Math.Abs(offset) / MicrosPerMinute;
                        text[written++] = offset < 0 ? '-' : '+';
                        text[written++] = (char)('0' + (minutes / 600));
                        text[written++] = (char)('0' + (minutes / 60 % 10));
                        text[written++] = ':';
                        text[written++] = (char)('0' + (minutes % 60 / 10));
                        text[written++] = (char)('0' + (minutes % 10));
                    }
                }
            }

            int byteCount = System.Text.Encoding.ASCII.GetBytes(text[..written], bytes);
            builder.Append(bytes[..byteCount]);
        }

        return builder.Build();
    }

    /// <summary>from_iso8601_timestamp / from_iso8601_date.</summary>
    public static IArrowArray FromIso8601(IArrowArray input, IArrowType resultType)
    {
        int length = input.Length;
        bool date = resultType is Date32Type;
        var builder = ColumnBuilder.Create(resultType, length);
        Span<char> text = stackalloc char[64];
        for (int row = 0; row < length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(input, row);
            bool parsed = false;
            if (bytes.Length <= text.Length)
            {
                int count = System.Text.Encoding.UTF8.GetChars(bytes, text);
                var value = text[..count];
                if (date)
                {
                    parsed = ScalarText.TryParseDate(value, out int days) && value.IndexOfAny('T', ' ') < 0;
                    if (parsed)
                    {
                        ((PrimitiveColumnBuilder<int>)builder).Append(days);
                    }
                }
                else
                {
                    parsed = ScalarText.TryParseTimestamp(value, out long micros, out _);
                    if (parsed)
                    {
                        ((PrimitiveColumnBuilder<long>)builder).Append(micros);
                    }
                }
            }

            if (!parsed)
            {
                throw new ExecutionException(
                    ExecutionException.InvalidArgument,
                    $"'{System.Text.Encoding.UTF8.GetString(bytes)}' is not an ISO 8601 {(date ? "date" : "timestamp")}");
            }
        }

        return builder.Build();
    }

    /// <summary>with_timezone: each wall-clock value read in the zone, as an instant.</summary>
    public static IArrowArray WithTimeZone(IArrowArray input, ZoneRule zone, IArrowType resultType)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        var output = new byte[length * sizeof(long)];
        var result = MemoryMarshal.Cast<byte, long>(output.AsSpan());
        var values = ArrayAccess.Values<long>(input);
        for (int row = 0; row < length; row++)
        {
            if (validity is null || ArrayAccess.GetBit(validity, row))
            {
                result[row] = values[row] - zone.OffsetForLocal(values[row]);
            }
        }

        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }
}
