using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>
/// date_format / date_parse with MySQL-style specifiers as Trino supports them (%Y %y %m %c %d %e %H %k %h %I %l
/// %i %s %S %f %p %j %M %b %W %a %T %r %v %%). The format is parsed once; values are written as ASCII bytes.
/// </summary>
public sealed class DateFormatKernels
{
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private readonly List<(char Specifier, string Literal)> _parts = [];
    private readonly string _format;

    public DateFormatKernels(string format)
    {
        _format = format;
        var literal = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                literal.Append(format[i]);
                continue;
            }

            char specifier = format[++i];
            if (specifier == '%')
            {
                literal.Append('%');
                continue;
            }

            if ("YymcdeHkhIlisSfpjMbWaTrv".IndexOf(specifier) < 0)
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"date format specifier %{specifier} in '{format}' is not supported");
            }

            if (literal.Length > 0)
            {
                _parts.Add(('\0', literal.ToString()));
                literal.Clear();
            }

            _parts.Add((specifier, string.Empty));
        }

        if (literal.Length > 0)
        {
            _parts.Add(('\0', literal.ToString()));
        }
    }

    public IArrowArray Format(IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, length);
        var scratch = new ByteScratch();
        var zoneName = TimeZones.DisplayZone(type);
        var zone = zoneName is null ? default : TimeZones.Resolve(zoneName);
        Span<byte> digits = stackalloc byte[20];
        for (int row = 0; row < length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            long micros = type is Date32Type
                ? ArrayAccess.Values<int>(input)[row] * ScalarText.MicrosPerDay
                : ArrayAccess.Values<long>(input)[row];
            if (zoneName is not null)
            {
                micros += zone.OffsetMicros(micros);
            }

            long days = Math.DivRem(micros, ScalarText.MicrosPerDay, out long timeOfDay);
            if (timeOfDay < 0)
            {
                timeOfDay += ScalarText.MicrosPerDay;
                days--;
            }

            var date = DateTimeKernels.ToDate(days);
            int hour = (int)(timeOfDay / 3_600_000_000L);
            int minute = (int)(timeOfDay / 60_000_000L % 60);
            int second = (int)(timeOfDay / 1_000_000L % 60);
            int fraction = (int)(timeOfDay % 1_000_000L);
            int hour12 = hour % 12 == 0 ? 12 : hour % 12;
            scratch.Clear();
            foreach (var (specifier, literal) in _parts)
            {
                switch (specifier)
                {
                    case '\0': AppendText(scratch, literal); break;
                    case 'Y': AppendNumber(scratch, digits, date.Year, 4); break;
                    case 'y': AppendNumber(scratch, digits, date.Year % 100, 2); break;
                    case 'm': AppendNumber(scratch, digits, date.Month, 2); break;
                    case 'c': AppendNumber(scratch, digits, date.Month, 1); break;
                    case 'd': AppendNumber(scratch, digits, date.Day, 2); break;
                    case 'e': AppendNumber(scratch, digits, date.Day, 1); break;
                    case 'H': AppendNumber(scratch, digits, hour, 2); break;
                    case 'k': AppendNumber(scratch, digits, hour, 1); break;
                    case 'h' or 'I': AppendNumber(scratch, digits, hour12, 2); break;
                    case 'l': AppendNumber(scratch, digits, hour12, 1); break;
                    case 'i': AppendNumber(scratch, digits, minute, 2); break;
                    case 's' or 'S': AppendNumber(scratch, digits, second, 2); break;
                    case 'f': AppendNumber(scratch, digits, fraction, 6); break;
                    case 'p': AppendText(scratch, hour < 12 ? "AM" : "PM"); break;
                    case 'j': AppendNumber(scratch, digits, date.DayOfYear, 3); break;
                    case 'M': AppendText(scratch, MonthNames[date.Month - 1]); break;
                    case 'b': AppendText(scratch, MonthNames[date.Month - 1].AsSpan(0, 3)); break;
                    case 'W': AppendText(scratch, DayNames[(int)date.DayOfWeek]); break;
                    case 'a': AppendText(scratch, DayNames[(int)date.DayOfWeek].AsSpan(0, 3)); break;
                    case 'v': AppendNumber(scratch, digits, System.Globalization.ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)), 2); break;
                    case 'T':
                        AppendNumber(scratch, digits, hour, 2);
                        AppendText(scratch, ":");
                        AppendNumber(scratch, digits, minute, 2);
                        AppendText(scratch, ":");
                        AppendNumber(scratch, digits, second, 2);
                        break;
                    default:
                        AppendNumber(scratch, digits, hour12, 2);
                        AppendText(scratch, ":");
                        AppendNumber(scratch, digits, minute, 2);
                        AppendText(scratch, ":");
                        AppendNumber(scratch, digits, second, 2);
                        AppendText(scratch, hour < 12 ? " AM" : " PM");
                        break;
                }
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }

    private static void AppendText(ByteScratch scratch, ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[64];
        int written = Encoding.UTF8.GetBytes(text.Length > 16 ? text[..16] : text, bytes);
        scratch.Append(bytes[..written]);
        if (text.Length > 16)
        {
            AppendText(scratch, text[16..]);
        }
    }

    private static void AppendNumber(ByteScratch scratch, Span<byte> digits, int value, int width)
    {
        bool negative = value < 0;
        long magnitude = Math.Abs((long)value);
        int count = 0;
        do
        {
            digits[digits.Length - 1 - count] = (byte)('0' + (magnitude % 10));
            magnitude /= 10;
            count++;
        }
        while (magnitude > 0);
        while (count < width)
        {
            digits[digits.Length - 1 - count] = (byte)'0';
            count++;
        }

        if (negative)
        {
            scratch.Append("-"u8);
        }

        scratch.Append(digits[(digits.Length - count)..]);
    }

    /// <summary>Fails when the format has a specifier date_parse cannot read back (names of weekdays, week numbers, %T, %r).</summary>
    public DateFormatKernels ForParsing()
    {
        foreach (var (specifier, _) in _parts)
        {
            if (specifier is 'W' or 'a' or 'v' or 'T' or 'r')
            {
                throw new ExecutionException(ExecutionException.InvalidArgument, $"date_parse does not support %{specifier} (format '{_format}')");
            }
        }

        return this;
    }

    /// <summary>date_parse: the whole string must match the format; fields not in the format default to 1970-01-01 00:00:00.</summary>
    public IArrowArray Parse(IArrowArray input, IArrowType resultType)
    {
        int length = input.Length;
        var builder = new PrimitiveColumnBuilder<long>(resultType, length);
        for (int row = 0; row < length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var text = ArrayAccess.GetBytes(input, row);
            if (!TryParse(text, out long micros))
            {
                throw new ExecutionException(
                    ExecutionException.InvalidArgument,
                    $"invalid format: '{Encoding.UTF8.GetString(text)}' does not match '{_format}'");
            }

            builder.Append(micros);
        }

        return builder.Build();
    }

    private bool TryParse(ReadOnlySpan<byte> text, out long micros)
    {
        micros = 0;
        int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, fraction = 0, dayOfYear = 0;
        bool pm = false, twelveHour = false;
        int position = 0;
        foreach (var (specifier, literal) in _parts)
        {
            if (specifier == '\0')
            {
                foreach (char c in literal)
                {
                    if (position >= text.Length || text[position] != c)
                    {
                        return false;
                    }

                    position++;
                }

                continue;
            }

            bool ok;
            switch (specifier)
            {
                case 'Y':
                    ok = ReadNumber(text, ref position, 4, out year);
                    break;
                case 'y':
                    ok = ReadNumber(text, ref position, 2, out int shortYear);
                    year = shortYear + (shortYear < 70 ? 2000 : 1900);
                    break;
                case 'm' or 'c':
                    ok = ReadNumber(text, ref position, 2, out month);
                    break;
                case 'd' or 'e':
                    ok = ReadNumber(text, ref position, 2, out day);
                    break;
                case 'H' or 'k':
                    ok = ReadNumber(text, ref position, 2, out hour);
                    break;
                case 'h' or 'I' or 'l':
                    ok = ReadNumber(text, ref position, 2, out hour);
                    twelveHour = true;
                    break;
                case 'i':
                    ok = ReadNumber(text, ref position, 2, out minute);
                    break;
                case 's' or 'S':
                    ok = ReadNumber(text, ref position, 2, out second);
                    break;
                case 'f':
                    ok = ReadFraction(text, ref position, out fraction);
                    break;
                case 'j':
                    ok = ReadNumber(text, ref position, 3, out dayOfYear);
                    break;
                case 'p':
                    ok = ReadMeridiem(text, ref position, out pm);
                    twelveHour = true;
                    break;
                case 'M' or 'b':
                    ok = ReadMonthName(text, ref position, specifier == 'b', out month);
                    break;
                default:
                    // Names of weekdays, week numbers and composite specifiers are not read back.
                    ok = false;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (position != text.Length || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || year is < 1 or > 9999)
        {
            return false;
        }

        if (twelveHour)
        {
            if (hour is < 1 or > 12)
            {
                return false;
            }

            hour = (hour % 12) + (pm ? 12 : 0);
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var date = new DateOnly(year, month, day);
        if (dayOfYear > 0)
        {
            if (dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return false;
            }

            date = new DateOnly(year, 1, 1).AddDays(dayOfYear - 1);
        }

        micros = (DateTimeKernels.FromDate(date) * ScalarText.MicrosPerDay) + (((hour * 3600L) + (minute * 60L) + second) * ScalarText.MicrosPerSecond) + fraction;
        return true;
    }

    private static bool ReadNumber(ReadOnlySpan<byte> text, ref int position, int maxDigits, out int value)
    {
        value = 0;
        int start = position;
        while (position < text.Length && position - start < maxDigits && text[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (text[position] - '0');
            position++;
        }

        return position > start;
    }

    private static bool ReadFraction(ReadOnlySpan<byte> text, ref int position, out int micros)
    {
        micros = 0;
        int start = position;
        while (position < text.Length && position - start < 9 && text[position] is >= (byte)'0' and <= (byte)'9')
        {
            if (position - start < 6)
            {
                micros = (micros * 10) + (text[position] - '0');
            }

            position++;
        }

        for (int i = position - start; i < 6; i++)
        {
            micros *= 10;
        }

        return position > start;
    }

    private static bool ReadMeridiem(ReadOnlySpan<byte> text, ref int position, out bool pm)
    {
        pm = false;
        if (position + 2 > text.Length || (text[position + 1] | 0x20) != 'm')
        {
            return false;
        }

        int letter = text[position] | 0x20;
        if (letter != 'a' && letter != 'p')
        {
            return false;
        }

        pm = letter == 'p';
        position += 2;
        return true;
    }

    private static bool ReadMonthName(ReadOnlySpan<byte> text, ref int position, bool abbreviated, out int month)
    {
        month = 0;
        for (int m = 0; m < MonthNames.Length; m++)
        {
            var name = abbreviated ? MonthNames[m].AsSpan(0, 3) : MonthNames[m].AsSpan();
            if (position + name.Length > text.Length)
            {
                continue;
            }

            bool match = true;
            for (int i = 0; i < name.Length; i++)
            {
                if ((text[position + i] | 0x20) != (name[i] | 0x20))
                {
                    match = false;
                    break;
                }
            }

            if (match)
            {
                month = m + 1;
                position += name.Length;
                return true;
            }
        }

        return false;
    }
}
