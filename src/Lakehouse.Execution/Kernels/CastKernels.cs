using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>CAST and TRY_CAST between the supported types; TRY_CAST turns a failed value into null.</summary>
public static class CastKernels
{
    private enum SourceKind
    {
        Null,
        Integer,
        Boolean,
        Floating,
        Decimal,
        Date,
        Time,
        Timestamp,
        Text,
        Bytes,
    }

    public static IArrowArray Cast(IArrowArray input, IArrowType from, IArrowType to, bool isTry)
    {
        if (SqlTypes.IsInterval(from) && to is StringType)
        {
            return IntervalText(input, from);
        }

        if (TimeZones.DisplayZone(from) is { } zone && !SqlTypes.IsTimestampTz(to))
        {
            return CastFromZone(input, (TimestampType)from, zone, to, isTry);
        }

        if (SqlTypes.AreEqual(from, to))
        {
            return input;
        }

        if (!SqlTypes.CanCast(from, to))
        {
            throw new ExecutionException(ExecutionException.InvalidCast, $"cannot cast {SqlTypes.Display(from)} to {SqlTypes.Display(to)}");
        }

        int length = input.Length;
        var writer = new CastWriter(to, length, isTry);
        var validity = new Validity(input);
        var kind = Classify(from);
        int scale = from is Decimal128Type decimalType ? decimalType.Scale : 0;
        bool nanos = from is TimestampType { Unit: TimeUnit.Nanosecond };
        switch (kind)
        {
            case SourceKind.Null:
                for (int i = 0; i < length; i++)
                {
                    writer.Builder.AppendNull();
                }

                break;
            case SourceKind.Integer:
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromLong(ReadInteger(input, from, i));
                }

                break;
            case SourceKind.Boolean:
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromBoolean(ArrayAccess.GetBoolean(input, i));
                }

                break;
            case SourceKind.Floating:
                bool isFloat = from is FloatType;
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromDouble(isFloat ? ArrayAccess.Values<float>(input)[i] : ArrayAccess.Values<double>(input)[i], isFloat);
                }

                break;
            case SourceKind.Decimal:
                var decimals = ArrayAccess.Values<Int128>(input);
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromDecimal(decimals[i], scale);
                }

                break;
            case SourceKind.Date:
                var days = ArrayAccess.Values<int>(input);
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromDate(days[i]);
                }

                break;
            case SourceKind.Time:
                var times = ArrayAccess.Values<long>(input);
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromTime(times[i]);
                }

                break;
            case SourceKind.Timestamp:
                var stamps = ArrayAccess.Values<long>(input);
                bool fromZone = SqlTypes.IsTimestampTz(from);
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    long micros = nanos ? Math.DivRem(stamps[i], 1000L, out long rest) - (rest < 0 ? 1 : 0) : stamps[i];
                    writer.FromTimestamp(micros, fromZone, nanos ? stamps[i] : null);
                }

                break;
            case SourceKind.Text:
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromText(Encoding.UTF8.GetString(ArrayAccess.GetBytes(input, i)));
                }

                break;
            case SourceKind.Bytes:
                bool isUuid = from is GuidType;
                for (int i = 0; i < length; i++)
                {
                    if (!validity.IsValid(i))
                    {
                        writer.Builder.AppendNull();
                        continue;
                    }

                    writer.FromBytes(ArrayAccess.GetBytes(input, i), isUuid);
                }

                break;
        }

        return writer.Builder.Build();
    }

    private static SourceKind Classify(IArrowType type) => type switch
    {
        NullType => SourceKind.Null,
        BooleanType => SourceKind.Boolean,
        Int8Type or Int16Type or Int32Type or Int64Type => SourceKind.Integer,
        FloatType or DoubleType => SourceKind.Floating,
        Decimal128Type => SourceKind.Decimal,
        Date32Type => SourceKind.Date,
        Time64Type => SourceKind.Time,
        TimestampType => SourceKind.Timestamp,
        StringType => SourceKind.Text,
        _ => SourceKind.Bytes,
    };

    private static long ReadInteger(IArrowArray array, IArrowType type, int row) => type switch
    {
        Int8Type => ArrayAccess.Values<sbyte>(array)[row],
        Int16Type => ArrayAccess.Values<short>(array)[row],
        Int32Type => ArrayAccess.Values<int>(array)[row],
        _ => ArrayAccess.Values<long>(array)[row],
    };

    /// <summary>Appends converted values to a builder of the target type.</summary>
    private sealed class CastWriter
    {
        private readonly IArrowType _target;
        private readonly bool _isTry;
        private readonly PhysicalKind _kind;

        public CastWriter(IArrowType target, int capacity, bool isTry)
        {
            _target = target;
            _isTry = isTry;
            _kind = SqlTypes.KindOf(target);
            Builder = ColumnBuilder.Create(target, capacity);
        }

        public ColumnBuilder Builder { get; }

        private void Fail(string what, bool outOfRange = false)
        {
            if (_isTry)
            {
                Builder.AppendNull();
                return;
            }

            throw outOfRange
                ? new ExecutionException(ExecutionException.NumericOverflow, $"cannot cast {what} to {SqlTypes.Display(_target)}: out of range")
                : new ExecutionException(ExecutionException.InvalidCast, $"cannot cast {what} to {SqlTypes.Display(_target)}");
        }

        private void AppendString(string text) => ((VariableBinaryColumnBuilder)Builder).AppendString(text);

        /// <param name="fromText">Text that parses but does not fit is a bad cast argument, not an overflow.</param>
        private void AppendLong(long value, string what, bool fromText = false)
        {
            switch (_kind)
            {
                case PhysicalKind.Int8 when value is >= sbyte.MinValue and <= sbyte.MaxValue:
                    ((PrimitiveColumnBuilder<sbyte>)Builder).Append((sbyte)value);
                    return;
                case PhysicalKind.Int16 when value is >= short.MinValue and <= short.MaxValue:
                    ((PrimitiveColumnBuilder<short>)Builder).Append((short)value);
                    return;
                case PhysicalKind.Int32 when value is >= int.MinValue and <= int.MaxValue:
                    ((PrimitiveColumnBuilder<int>)Builder).Append((int)value);
                    return;
                case PhysicalKind.Int64:
                    ((PrimitiveColumnBuilder<long>)Builder).Append(value);
                    return;
                default:
                    Fail(what, outOfRange: !fromText);
                    return;
            }
        }

        private void AppendDecimal(Int128 unscaled, int scale, string what, bool fromText = false)
        {
            var target = (Decimal128Type)_target;
            if (ScalarText.TryRescale(unscaled, scale, target.Scale, out var rescaled) && ScalarText.FitsPrecision(rescaled, target.Precision))
            {
                ((PrimitiveColumnBuilder<Int128>)Builder).Append(rescaled);
            }
            else
            {
                Fail(what, outOfRange: !fromText);
            }
        }

        private void AppendTimestampMicros(long micros)
        {
            if (_target is TimestampType { Unit: TimeUnit.Nanosecond })
            {
                ((PrimitiveColumnBuilder<long>)Builder).Append(checked(micros * 1000L));
            }
            else
            {
                ((PrimitiveColumnBuilder<long>)Builder).Append(micros);
            }
        }

        public void FromLong(long value)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(value.ToString(CultureInfo.InvariantCulture));
                    return;
                case BooleanType:
                    ((BooleanColumnBuilder)Builder).Append(value != 0);
                    return;
                case FloatType:
                    ((PrimitiveColumnBuilder<float>)Builder).Append(value);
                    return;
                case DoubleType:
                    ((PrimitiveColumnBuilder<double>)Builder).Append(value);
                    return;
                case Decimal128Type:
                    AppendDecimal(value, 0, value.ToString(CultureInfo.InvariantCulture));
                    return;
                default:
                    AppendLong(value, value.ToString(CultureInfo.InvariantCulture));
                    return;
            }
        }

        public void FromBoolean(bool value)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(value ? "true" : "false");
                    return;
                case FloatType:
                    ((PrimitiveColumnBuilder<float>)Builder).Append(value ? 1 : 0);
                    return;
                case DoubleType:
                    ((PrimitiveColumnBuilder<double>)Builder).Append(value ? 1 : 0);
                    return;
                case Decimal128Type:
                    AppendDecimal(value ? 1 : 0, 0, value ? "true" : "false");
                    return;
                default:
                    AppendLong(value ? 1 : 0, value ? "true" : "false");
                    return;
            }
        }

        public void FromDouble(double value, bool isFloat)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(isFloat ? ScalarText.FormatReal((float)value) : ScalarText.FormatDouble(value));
                    return;
                case BooleanType:
                    ((BooleanColumnBuilder)Builder).Append(value != 0);
                    return;
                case FloatType:
                    ((PrimitiveColumnBuilder<float>)Builder).Append((float)value);
                    return;
                case DoubleType:
                    ((PrimitiveColumnBuilder<double>)Builder).Append(value);
                    return;
                case Decimal128Type target:
                    if (DecimalMath.TryFromDouble(value, target.Precision, target.Scale, out var unscaled))
                    {
                        ((PrimitiveColumnBuilder<Int128>)Builder).Append(unscaled);
                    }
                    else
                    {
                        Fail(ScalarText.FormatDouble(value), outOfRange: double.IsFinite(value));
                    }

                    return;
                default:
                    double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
                    if (double.IsNaN(rounded) || rounded < long.MinValue || rounded >= 9.2233720368547758E18)
                    {
                        Fail(ScalarText.FormatDouble(value), outOfRange: !double.IsNaN(rounded));
                        return;
                    }

                    AppendLong((long)rounded, ScalarText.FormatDouble(value));
                    return;
            }
        }

        public void FromDecimal(Int128 unscaled, int scale)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(ScalarText.FormatDecimal(unscaled, scale));
                    return;
                case BooleanType:
                    ((BooleanColumnBuilder)Builder).Append(unscaled != 0);
                    return;
                case FloatType:
                    ((PrimitiveColumnBuilder<float>)Builder).Append((float)DecimalMath.ToDouble(unscaled, scale));
                    return;
                case DoubleType:
                    ((PrimitiveColumnBuilder<double>)Builder).Append(DecimalMath.ToDouble(unscaled, scale));
                    return;
                case Decimal128Type:
                    AppendDecimal(unscaled, scale, ScalarText.FormatDecimal(unscaled, scale));
                    return;
                default:
                    ScalarText.TryRescale(unscaled, scale, 0, out var integer);
                    if (integer < long.MinValue || integer > long.MaxValue)
                    {
                        Fail(ScalarText.FormatDecimal(unscaled, scale), outOfRange: true);
                        return;
                    }

                    AppendLong((long)integer, ScalarText.FormatDecimal(unscaled, scale));
                    return;
            }
        }

        public void FromDate(int days)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(ScalarText.FormatDate(days));
                    return;
                default:
                    AppendTimestampMicros(days * ScalarText.MicrosPerDay);
                    return;
            }
        }

        public void FromTime(long micros)
        {
            AppendString(ScalarText.FormatTime(micros));
        }

        public void FromTimestamp(long micros, bool withZone, long? nanos)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(ScalarText.FormatTimestamp(micros, withZone));
                    return;
                case Date32Type:
                    ((PrimitiveColumnBuilder<int>)Builder).Append((int)Math.Floor(micros / (double)ScalarText.MicrosPerDay));
                    return;
                case Time64Type:
                    long timeOfDay = micros % ScalarText.MicrosPerDay;
                    ((PrimitiveColumnBuilder<long>)Builder).Append(timeOfDay < 0 ? timeOfDay + ScalarText.MicrosPerDay : timeOfDay);
                    return;
                case TimestampType { Unit: TimeUnit.Nanosecond } when nanos is not null:
                    ((PrimitiveColumnBuilder<long>)Builder).Append(nanos.Value);
                    return;
                default:
                    AppendTimestampMicros(micros);
                    return;
            }
        }

        public void FromText(string text)
        {
            var trimmed = text.AsSpan().Trim();
            switch (_target)
            {
                case BooleanType:
                    if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.SequenceEqual("t") || trimmed.SequenceEqual("1"))
                    {
                        ((BooleanColumnBuilder)Builder).Append(true);
                    }
                    else if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase) || trimmed.SequenceEqual("f") || trimmed.SequenceEqual("0"))
                    {
                        ((BooleanColumnBuilder)Builder).Append(false);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case Int8Type or Int16Type or Int32Type or Int64Type:
                    if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                    {
                        AppendLong(integer, Quote(text), fromText: true);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case FloatType:
                    if (float.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out float real))
                    {
                        ((PrimitiveColumnBuilder<float>)Builder).Append(real);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case DoubleType:
                    if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                    {
                        ((PrimitiveColumnBuilder<double>)Builder).Append(number);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case Decimal128Type:
                    if (ScalarText.TryParseDecimal(trimmed, out var unscaled, out _, out int scale))
                    {
                        AppendDecimal(unscaled, scale, Quote(text), fromText: true);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case Date32Type:
                    if (ScalarText.TryParseDate(trimmed, out int days))
                    {
                        ((PrimitiveColumnBuilder<int>)Builder).Append(days);
                    }
                    else if (ScalarText.TryParseTimestamp(trimmed, out long stamp, out _))
                    {
                        ((PrimitiveColumnBuilder<int>)Builder).Append((int)Math.Floor(stamp / (double)ScalarText.MicrosPerDay));
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case Time64Type:
                    if (ScalarText.TryParseTime(trimmed, out long time))
                    {
                        ((PrimitiveColumnBuilder<long>)Builder).Append(time);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case TimestampType:
                    if (ScalarText.TryParseTimestamp(trimmed, out long micros, out _))
                    {
                        AppendTimestampMicros(micros);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case GuidType:
                    if (Guid.TryParse(trimmed, out var guid))
                    {
                        Span<byte> bytes = stackalloc byte[16];
                        guid.TryWriteBytes(bytes, bigEndian: true, out _);
                        ((FixedBinaryColumnBuilder)Builder).Append(bytes);
                    }
                    else
                    {
                        Fail(Quote(text));
                    }

                    return;
                case BinaryType:
                    ((VariableBinaryColumnBuilder)Builder).Append(Encoding.UTF8.GetBytes(text));
                    return;
                default:
                    Fail(Quote(text));
                    return;
            }
        }

        public void FromBytes(ReadOnlySpan<byte> bytes, bool isUuid)
        {
            switch (_target)
            {
                case StringType:
                    AppendString(isUuid ? ScalarText.FormatUuid(new Guid(bytes, bigEndian: true)) : Encoding.UTF8.GetString(bytes));
                    return;
                case BinaryType:
                    ((VariableBinaryColumnBuilder)Builder).Append(bytes);
                    return;
                case GuidType when bytes.Length == 16:
                    ((FixedBinaryColumnBuilder)Builder).Append(bytes);
                    return;
                case FixedSizeBinaryType fixedType when fixedType.ByteWidth == bytes.Length:
                    ((FixedBinaryColumnBuilder)Builder).Append(bytes);
                    return;
                default:
                    Fail($"X'{Convert.ToHexString(bytes)}'");
                    return;
            }
        }

        private static string Quote(string text) => "'" + text + "'";
    }

    private static IArrowArray IntervalText(IArrowArray input, IArrowType from)
    {
        var builder = new VariableBinaryColumnBuilder(StringType.Default, input.Length);
        bool months = from is IntervalType;
        for (int row = 0; row < input.Length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
            }
            else
            {
                builder.AppendString(months
                    ? ScalarText.FormatIntervalYearToMonth(ArrayAccess.Values<int>(input)[row])
                    : ScalarText.FormatIntervalDayToSecond(ArrayAccess.Values<long>(input)[row]));
            }
        }

        return builder.Build();
    }

    /// <summary>A timestamp shown in a zone other than UTC converts by its wall clock in that zone.</summary>
    private static IArrowArray CastFromZone(IArrowArray input, TimestampType from, string zone, IArrowType to, bool isTry)
    {
        int length = input.Length;
        var values = ArrayAccess.Values<long>(input);
        if (to is StringType)
        {
            var text = new VariableBinaryColumnBuilder(StringType.Default, length);
            for (int row = 0; row < length; row++)
            {
                if (input.IsNull(row))
                {
                    text.AppendNull();
                }
                else
                {
                    text.AppendString(ScalarText.FormatZonedTimestamp(values[row], zone));
                }
            }

            return text.Build();
        }

        var rule = TimeZones.Resolve(zone);
        var local = new PrimitiveColumnBuilder<long>(new TimestampType(from.Unit, (string?)null), length);
        for (int row = 0; row < length; row++)
        {
            if (input.IsNull(row))
            {
                local.AppendNull();
            }
            else
            {
                local.Append(values[row] + rule.OffsetMicros(values[row]));
            }
        }

        var plain = new TimestampType(from.Unit, (string?)null);
        return SqlTypes.AreEqual(plain, to) ? local.Build() : Cast(local.Build(), plain, to, isTry);
    }
}
