using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;

namespace Lakehouse.Server.Formatting;

/// <summary>
/// Appends the text of one Arrow value to a <see cref="StringBuilder"/>, either as a JSON value
/// (<see cref="ValueTextMode.Json"/>) or as plain text for CSV and tables. Works directly on the
/// arrays' buffers; the only allocations are the growth of the caller's builder and the scratch buffer.
/// </summary>
public sealed class ValueTextWriter
{
    private const long SecondsPerDay = 86_400;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private char[] _scratch = new char[256];
    private readonly StringBuilder _mapKeyText = new();
    private bool _mapKeyTextInUse;

    /// <summary>Appends the value at <paramref name="index"/>; a NULL appends <paramref name="nullText"/> (<c>null</c> in JSON).</summary>
    public void Append(StringBuilder output, IArrowArray array, int index, ValueTextMode mode, string nullText = "")
    {
        if (array.IsNull(index))
        {
            output.Append(mode == ValueTextMode.Json ? "null" : nullText);
            return;
        }

        var json = mode == ValueTextMode.Json;
        switch (array)
        {
            case BooleanArray booleans:
                output.Append(booleans.GetValue(index)!.Value ? "true" : "false");
                break;
            case Int8Array values:
                output.Append(values.Values[index]);
                break;
            case Int16Array values:
                output.Append(values.Values[index]);
                break;
            case Int32Array values:
                output.Append(values.Values[index]);
                break;
            case Int64Array values:
                output.Append(values.Values[index]);
                break;
            case UInt8Array values:
                output.Append(values.Values[index]);
                break;
            case UInt16Array values:
                output.Append(values.Values[index]);
                break;
            case UInt32Array values:
                output.Append(values.Values[index]);
                break;
            case UInt64Array values:
                output.Append(values.Values[index]);
                break;
            case HalfFloatArray values:
                AppendFloatingPoint(output, (double)values.Values[index], (float)values.Values[index], isSingle: true, json);
                break;
            case FloatArray values:
                AppendFloatingPoint(output, values.Values[index], values.Values[index], isSingle: true, json);
                break;
            case DoubleArray values:
                AppendFloatingPoint(output, values.Values[index], 0f, isSingle: false, json);
                break;
            case Decimal32Array decimals:
                OpenQuote(output, json);
                AppendDecimal(output, BinaryPrimitives.ReadInt32LittleEndian(FixedWidth(decimals.ValueBuffer.Span, decimals.Offset + index, 4)), ((Decimal32Type)decimals.Data.DataType).Scale);
                CloseQuote(output, json);
                break;
            case Decimal64Array decimals:
                OpenQuote(output, json);
                AppendDecimal(output, BinaryPrimitives.ReadInt64LittleEndian(FixedWidth(decimals.ValueBuffer.Span, decimals.Offset + index, 8)), ((Decimal64Type)decimals.Data.DataType).Scale);
                CloseQuote(output, json);
                break;
            case Decimal128Array decimals:
                OpenQuote(output, json);
                AppendDecimal(output, BinaryPrimitives.ReadInt128LittleEndian(FixedWidth(decimals.ValueBuffer.Span, decimals.Offset + index, 16)), ((Decimal128Type)decimals.Data.DataType).Scale);
                CloseQuote(output, json);
                break;
            case Decimal256Array decimals:
                OpenQuote(output, json);
                AppendDecimal256(output, FixedWidth(decimals.ValueBuffer.Span, decimals.Offset + index, 32), ((Decimal256Type)decimals.Data.DataType).Scale);
                CloseQuote(output, json);
                break;
            case Date32Array dates:
                OpenQuote(output, json);
                AppendDate(output, dates.Values[index]);
                CloseQuote(output, json);
                break;
            case Date64Array dates:
                OpenQuote(output, json);
                AppendDate(output, FloorDivide(dates.Values[index], SecondsPerDay * 1000));
                CloseQuote(output, json);
                break;
            case Time32Array times:
            {
                var unit = ((Time32Type)times.Data.DataType).Unit;
                OpenQuote(output, json);
                AppendTimeOfDay(output, times.Values[index], UnitsPerSecond(unit), FractionDigits(unit));
                CloseQuote(output, json);
                break;
            }

            case Time64Array times:
            {
                var unit = ((Time64Type)times.Data.DataType).Unit;
                OpenQuote(output, json);
                AppendTimeOfDay(output, times.Values[index], UnitsPerSecond(unit), FractionDigits(unit));
                CloseQuote(output, json);
                break;
            }

            case DurationArray durations:
                OpenQuote(output, json);
                AppendDayToSecond(output, durations.Values[index], UnitsPerSecond(((DurationType)durations.Data.DataType).Unit));
                CloseQuote(output, json);
                break;
            case YearMonthIntervalArray intervals:
                OpenQuote(output, json);
                AppendYearToMonth(output, BinaryPrimitives.ReadInt32LittleEndian(FixedWidth(intervals.ValueBuffer.Span, intervals.Offset + index, 4)));
                CloseQuote(output, json);
                break;
            case TimestampArray timestamps:
                OpenQuote(output, json);
                AppendTimestamp(output, timestamps.Values[index], (TimestampType)timestamps.Data.DataType);
                CloseQuote(output, json);
                break;
            case StringArray strings:
                AppendUtf8(output, strings.GetBytes(index), json);
                break;
            case LargeStringArray strings:
                AppendUtf8(output, strings.GetBytes(index), json);
                break;
            case StringViewArray strings:
                AppendUtf8(output, strings.GetBytes(index), json);
                break;
            case GuidArray guids:
                OpenQuote(output, json);
                AppendUuid(output, ((FixedSizeBinaryArray)guids.Storage).GetBytes(index));
                CloseQuote(output, json);
                break;
            case FixedSizeBinaryArray binary:
                AppendHex(output, binary.GetBytes(index), json);
                break;
            case BinaryArray binary:
                AppendHex(output, binary.GetBytes(index), json);
                break;
            case LargeBinaryArray binary:
                AppendHex(output, binary.GetBytes(index), json);
                break;
            case BinaryViewArray binary:
                AppendHex(output, binary.GetBytes(index), json);
                break;
            case MapArray map:
                AppendMap(output, map, index, json);
                break;
            case ListArray list:
            {
                var offsets = list.ValueOffsets;
                AppendSequence(output, list.Values, offsets[index], offsets[index + 1], json);
                break;
            }

            case LargeListArray list:
            {
                var offsets = list.ValueOffsets;
                AppendSequence(output, list.Values, checked((int)offsets[index]), checked((int)offsets[index + 1]), json);
                break;
            }

            case FixedSizeListArray list:
            {
                var size = ((FixedSizeListType)list.Data.DataType).ListSize;
                var start = (list.Offset + index) * size;
                AppendSequence(output, list.Values, start, start + size, json);
                break;
            }

            case StructArray structure:
                AppendStruct(output, structure, index, json);
                break;
            case DictionaryArray dictionary:
                Append(output, dictionary.Dictionary, DictionaryIndex(dictionary.Indices, index), mode, nullText);
                break;
            case ExtensionArray extension:
                Append(output, extension.Storage, index, mode, nullText);
                break;
            default:
                throw new LakehouseServerException(
                    "FORMAT_UNSUPPORTED_TYPE",
                    $"cannot display values of Arrow type {array.Data.DataType.Name}");
        }
    }

    /// <summary>Appends <paramref name="text"/> as a JSON string literal.</summary>
    public static void AppendJsonString(StringBuilder output, ReadOnlySpan<char> text)
    {
        output.Append('"');
        AppendJsonEscaped(output, text);
        output.Append('"');
    }

    private static void AppendJsonString(StringBuilder output, StringBuilder text)
    {
        output.Append('"');
        foreach (var chunk in text.GetChunks())
        {
            AppendJsonEscaped(output, chunk.Span);
        }

        output.Append('"');
    }

    private static void AppendJsonEscaped(StringBuilder output, ReadOnlySpan<char> text)
    {
        var runStart = 0;
        for (var position = 0; position < text.Length; position++)
        {
            var character = text[position];
            if (character >= ' ' && character != '"' && character != '\\')
            {
                continue;
            }

            output.Append(text[runStart..position]);
            switch (character)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                default:
                    output.Append("\\u").Append(((int)character).ToString("x4", Invariant));
                    break;
            }

            runStart = position + 1;
        }

        output.Append(text[runStart..]);
    }

    private static void OpenQuote(StringBuilder output, bool json)
    {
        if (json)
        {
            output.Append('"');
        }
    }

    private static void CloseQuote(StringBuilder output, bool json) => OpenQuote(output, json);

    private static ReadOnlySpan<byte> FixedWidth(ReadOnlySpan<byte> buffer, int position, int width) =>
        buffer.Slice(position * width, width);

    private static void AppendFloatingPoint(StringBuilder output, double value, float single, bool isSingle, bool json)
    {
        if (double.IsNaN(value))
        {
            output.Append(json ? "\"NaN\"" : "NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            output.Append(json ? "\"Infinity\"" : "Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            output.Append(json ? "\"-Infinity\"" : "-Infinity");
        }
        else if (isSingle)
        {
            output.Append(Invariant, $"{single:R}");
        }
        else
        {
            output.Append(Invariant, $"{value:R}");
        }
    }

    private static void AppendDecimal<T>(StringBuilder output, T unscaled, int scale)
        where T : IBinaryInteger<T>
    {
        Span<char> digits = stackalloc char[48];
        var negative = T.IsNegative(unscaled);
        var magnitude = negative ? UInt128.CreateTruncating(-Int128.CreateTruncating(unscaled)) : UInt128.CreateTruncating(unscaled);
        magnitude.TryFormat(digits, out var written, default, Invariant);
        AppendScaledDigits(output, negative, digits[..written], scale);
    }

    private static void AppendDecimal256(StringBuilder output, ReadOnlySpan<byte> littleEndian, int scale)
    {
        var value = new BigInteger(littleEndian, isUnsigned: false, isBigEndian: false);
        var negative = value.Sign < 0;
        Span<char> digits = stackalloc char[96];
        BigInteger.Abs(value).TryFormat(digits, out var written, default, Invariant);
        AppendScaledDigits(output, negative, digits[..written], scale);
    }

    private static void AppendScaledDigits(StringBuilder output, bool negative, ReadOnlySpan<char> digits, int scale)
    {
        if (negative)
        {
            output.Append('-');
        }

        if (scale <= 0)
        {
            output.Append(digits);
            if (digits is not "0")
            {
                output.Append('0', -scale);
            }

            return;
        }

        if (digits.Length <= scale)
        {
            output.Append("0.").Append('0', scale - digits.Length).Append(digits);
            return;
        }

        output.Append(digits[..^scale]).Append('.').Append(digits[^scale..]);
    }

    private static void AppendDate(StringBuilder output, long daysSinceEpoch)
    {
        // Civil-from-days over the proleptic Gregorian calendar, valid for any year.
        var shifted = daysSinceEpoch + 719_468;
        var era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097;
        var dayOfEra = shifted - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1_460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var monthIndex = ((5 * dayOfYear) + 2) / 153;
        var day = dayOfYear - (((153 * monthIndex) + 2) / 5) + 1;
        var month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
        var year = (yearOfEra + (era * 400)) + (month <= 2 ? 1 : 0);

        if (year < 0)
        {
            output.Append('-');
            year = -year;
        }

        AppendPadded(output, year, 4);
        output.Append('-');
        AppendPadded(output, month, 2);
        output.Append('-');
        AppendPadded(output, day, 2);
    }

    private static void AppendTimeOfDay(StringBuilder output, long value, long unitsPerSecond, int fractionDigits)
    {
        var seconds = FloorDivide(value, unitsPerSecond);
        var fraction = value - (seconds * unitsPerSecond);
        var secondOfDay = seconds - (FloorDivide(seconds, SecondsPerDay) * SecondsPerDay);
        AppendClock(output, secondOfDay, fraction, fractionDigits);
    }

    /// <summary>An interval day to second as Trino shows it: <c>[-]D HH:MM:SS.mmm</c>.</summary>
    private static void AppendDayToSecond(StringBuilder output, long value, long unitsPerSecond)
    {
        if (value < 0)
        {
            output.Append('-');
        }

        var magnitude = value < 0 ? -(Int128)value : value;
        var millis = (long)(magnitude * 1000 / unitsPerSecond);
        output.Append(millis / 86_400_000);
        output.Append(' ');
        AppendPadded(output, millis / 3_600_000 % 24, 2);
        output.Append(':');
        AppendPadded(output, millis / 60_000 % 60, 2);
        output.Append(':');
        AppendPadded(output, millis / 1000 % 60, 2);
        output.Append('.');
        AppendPadded(output, millis % 1000, 3);
    }

    /// <summary>An interval year to month as Trino shows it: <c>[-]Y-M</c>.</summary>
    private static void AppendYearToMonth(StringBuilder output, int months)
    {
        long magnitude = Math.Abs((long)months);
        if (months < 0)
        {
            output.Append('-');
        }

        output.Append(magnitude / 12).Append('-').Append(magnitude % 12);
    }

    private static void AppendTimestamp(StringBuilder output, long value, TimestampType type)
    {
        var unitsPerSecond = UnitsPerSecond(type.Unit);
        var zone = Lakehouse.Planning.Types.TimeZones.DisplayZone(type);
        if (zone is not null && type.Unit == TimeUnit.Microsecond)
        {
            // AT TIME ZONE results show the wall clock of their zone, followed by the zone.
            value += Lakehouse.Planning.Types.TimeZones.OffsetMicros(zone, value);
        }

        var seconds = FloorDivide(value, unitsPerSecond);
        var fraction = value - (seconds * unitsPerSecond);
        var days = FloorDivide(seconds, SecondsPerDay);
        AppendDate(output, days);
        output.Append(' ');
        AppendClock(output, seconds - (days * SecondsPerDay), fraction, FractionDigits(type.Unit));
        if (zone is not null && type.Unit == TimeUnit.Microsecond)
        {
            output.Append(' ').Append(zone);
        }
        else if (!string.IsNullOrEmpty(type.Timezone))
        {
            // Values of a zoned timestamp are UTC instants; they are shown in UTC.
            output.Append("+00:00");
        }
    }

    private static void AppendClock(StringBuilder output, long secondOfDay, long fraction, int fractionDigits)
    {
        AppendPadded(output, secondOfDay / 3600, 2);
        output.Append(':');
        AppendPadded(output, secondOfDay / 60 % 60, 2);
        output.Append(':');
        AppendPadded(output, secondOfDay % 60, 2);
        if (fraction == 0)
        {
            return;
        }

        var digits = fractionDigits;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        output.Append('.');
        AppendPadded(output, fraction, digits);
    }

    private static void AppendPadded(StringBuilder output, long value, int width)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, Invariant);
        if (written < width)
        {
            output.Append('0', width - written);
        }

        output.Append(digits[..written]);
    }

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }

    private static long UnitsPerSecond(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1,
        TimeUnit.Millisecond => 1_000,
        TimeUnit.Microsecond => 1_000_000,
        _ => 1_000_000_000,
    };

    private static int FractionDigits(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 0,
        TimeUnit.Millisecond => 3,
        TimeUnit.Microsecond => 6,
        _ => 9,
    };

    private void AppendUtf8(StringBuilder output, ReadOnlySpan<byte> utf8, bool json)
    {
        var maxChars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_scratch.Length < maxChars)
        {
            _scratch = new char[Math.Max(maxChars, _scratch.Length * 2)];
        }

        var length = Encoding.UTF8.GetChars(utf8, _scratch);
        var text = _scratch.AsSpan(0, length);
        if (json)
        {
            AppendJsonString(output, text);
        }
        else
        {
            output.Append(text);
        }
    }

    private static void AppendHex(StringBuilder output, ReadOnlySpan<byte> bytes, bool json)
    {
        OpenQuote(output, json);
        output.Append("0x");
        AppendHexDigits(output, bytes);
        CloseQuote(output, json);
    }

    private static void AppendHexDigits(StringBuilder output, ReadOnlySpan<byte> bytes)
    {
        const string HexDigits = "0123456789abcdef";
        foreach (var value in bytes)
        {
            output.Append(HexDigits[value >> 4]).Append(HexDigits[value & 0xF]);
        }
    }

    /// <summary>arrow.uuid stores the 16 bytes in RFC 4122 (big-endian) order.</summary>
    private static void AppendUuid(StringBuilder output, ReadOnlySpan<byte> bytes)
    {
        AppendHexDigits(output, bytes[..4]);
        output.Append('-');
        AppendHexDigits(output, bytes[4..6]);
        output.Append('-');
        AppendHexDigits(output, bytes[6..8]);
        output.Append('-');
        AppendHexDigits(output, bytes[8..10]);
        output.Append('-');
        AppendHexDigits(output, bytes[10..16]);
    }

    private void AppendSequence(StringBuilder output, IArrowArray values, int start, int end, bool json)
    {
        output.Append('[');
        for (var position = start; position < end; position++)
        {
            if (position > start)
            {
                output.Append(json ? "," : ", ");
            }

            Append(output, values, position, ValueTextMode.Json);
        }

        output.Append(']');
    }

    private void AppendStruct(StringBuilder output, StructArray structure, int index, bool json)
    {
        var fields = ((StructType)structure.Data.DataType).Fields;
        var childIndex = structure.Offset + index;
        output.Append('{');
        for (var field = 0; field < fields.Count; field++)
        {
            if (field > 0)
            {
                output.Append(json ? "," : ", ");
            }

            AppendJsonString(output, fields[field].Name);
            output.Append(json ? ":" : ": ");
            Append(output, structure.Fields[field], childIndex, ValueTextMode.Json);
        }

        output.Append('}');
    }

    private void AppendMap(StringBuilder output, MapArray map, int index, bool json)
    {
        var offsets = map.ValueOffsets;
        var keys = map.Keys;
        var values = map.Values;
        output.Append('{');

        // Map keys become JSON object keys, so their text is built first and then quoted.
        var keyText = _mapKeyTextInUse ? new StringBuilder() : _mapKeyText;
        _mapKeyTextInUse = true;
        for (var entry = offsets[index]; entry < offsets[index + 1]; entry++)
        {
            if (entry > offsets[index])
            {
                output.Append(json ? "," : ", ");
            }

            keyText.Clear();
            Append(keyText, keys, entry, ValueTextMode.Text, "null");
            AppendJsonString(output, keyText);
            output.Append(json ? ":" : ": ");
            Append(output, values, entry, ValueTextMode.Json);
        }

        if (ReferenceEquals(keyText, _mapKeyText))
        {
            _mapKeyTextInUse = false;
        }

        output.Append('}');
    }

    private static int DictionaryIndex(IArrowArray indices, int index) => indices switch
    {
        Int8Array values => values.Values[index],
        Int16Array values => values.Values[index],
        Int32Array values => values.Values[index],
        Int64Array values => checked((int)values.Values[index]),
        UInt8Array values => values.Values[index],
        UInt16Array values => values.Values[index],
        UInt32Array values => checked((int)values.Values[index]),
        UInt64Array values => checked((int)values.Values[index]),
        _ => throw new LakehouseServerException(
            "FORMAT_UNSUPPORTED_TYPE",
            $"dictionary indices of Arrow type {indices.Data.DataType.Name} are not supported"),
    };
}

public enum ValueTextMode
{
    /// <summary>A JSON value: strings and temporal values quoted, NULL as <c>null</c>.</summary>
    Json,

    /// <summary>Plain text for CSV and tables; nested values are written as JSON.</summary>
    Text,
}
