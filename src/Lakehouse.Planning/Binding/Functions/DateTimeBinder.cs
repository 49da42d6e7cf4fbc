using System.Globalization;
using Apache.Arrow.Types;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding.Functions;

/// <summary>Date/time functions, EXTRACT, AT TIME ZONE, INTERVAL literals and date/time arithmetic, as Trino types them.</summary>
internal static class DateTimeBinder
{
    /// <summary>Units accepted by date_trunc, date_add and date_diff, smallest first.</summary>
    public static readonly string[] Units = ["millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"];

    private static readonly Dictionary<string, string> ExtractFunctions = new(StringComparer.Ordinal)
    {
        ["year"] = "YEAR",
        ["quarter"] = "QUARTER",
        ["month"] = "MONTH",
        ["week"] = "WEEK",
        ["week_of_year"] = "WEEK",
        ["year_of_week"] = "YEAR_OF_WEEK",
        ["yow"] = "YEAR_OF_WEEK",
        ["day"] = "DAY",
        ["day_of_month"] = "DAY",
        ["day_of_week"] = "DAY_OF_WEEK",
        ["dow"] = "DAY_OF_WEEK",
        ["day_of_year"] = "DAY_OF_YEAR",
        ["doy"] = "DAY_OF_YEAR",
        ["hour"] = "HOUR",
        ["minute"] = "MINUTE",
        ["second"] = "SECOND",
        ["millisecond"] = "MILLISECOND",
    };

    public static BoundExpression? TryBindFunction(string name, CallContext context)
    {
        if (ExtractFunctions.TryGetValue(name, out var field))
        {
            context.ExpectCount(1, 1);
            return BindExtract(field, context.Arguments[0], context.Call.Span);
        }

        switch (name)
        {
            case "date_trunc":
            {
                context.ExpectCount(2, 2);
                var unit = Unit(context, 0);
                var value = Temporal(context, 1);
                if (value.Type is Date32Type && Array.IndexOf(Units, unit) < Array.IndexOf(Units, "day"))
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: '{unit}' is not a valid date field");
                }

                return new CallExpression(ScalarFunction.DateTrunc, [new Literal(unit, SqlTypes.Varchar), value], value.Type);
            }

            case "date_add":
            {
                context.ExpectCount(3, 3);
                var unit = Unit(context, 0);
                if (!SqlTypes.IsInteger(context.Arguments[1].Type) && context.Arguments[1].Type is not NullType)
                {
                    throw context.Mismatch(1, "an integer");
                }

                var value = Temporal(context, 2);
                if (value.Type is Date32Type && Array.IndexOf(Units, unit) < Array.IndexOf(Units, "day"))
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: '{unit}' is not a valid date field");
                }

                return new CallExpression(
                    ScalarFunction.DateAdd,
                    [new Literal(unit, SqlTypes.Varchar), ExpressionBinder.CastTo(context.Arguments[1], SqlTypes.BigInt), value],
                    value.Type);
            }

            case "date_diff":
            {
                context.ExpectCount(3, 3);
                var unit = Unit(context, 0);
                var first = Temporal(context, 1);
                var second = Temporal(context, 2);
                var common = SqlTypes.CommonSuperType(first.Type, second.Type)
                    ?? throw new PlanningException(PlanningException.TypeMismatch, $"{context.Call.Span}: date_diff arguments {SqlTypes.Display(first.Type)} and {SqlTypes.Display(second.Type)} differ");
                common = MicrosType(common);
                if (common is Date32Type && Array.IndexOf(Units, unit) < Array.IndexOf(Units, "day"))
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: '{unit}' is not a valid date field");
                }

                return new CallExpression(
                    ScalarFunction.DateDiff,
                    [new Literal(unit, SqlTypes.Varchar), ExpressionBinder.CastTo(first, common), ExpressionBinder.CastTo(second, common)],
                    SqlTypes.BigInt);
            }

            case "from_unixtime":
            {
                context.ExpectCount(1, 1);
                var seconds = context.Arguments[0];
                if (!SqlTypes.IsNumeric(seconds.Type) && seconds.Type is not NullType)
                {
                    throw context.Mismatch(0, "a number");
                }

                return new CallExpression(ScalarFunction.FromUnixtime, [ExpressionBinder.CastTo(seconds, SqlTypes.Double)], SqlTypes.TimestampTz);
            }

            case "to_unixtime":
            {
                context.ExpectCount(1, 1);
                var value = context.Arguments[0];
                if (value.Type is not (TimestampType or NullType))
                {
                    throw context.Mismatch(0, "a timestamp");
                }

                return new CallExpression(ScalarFunction.ToUnixtime, [ExpressionBinder.CastTo(Micros(value), SqlTypes.TimestampTz)], SqlTypes.Double);
            }

            case "date_format":
            {
                context.ExpectCount(2, 2);
                var value = Temporal(context, 0);
                var format = context.ConstantText(1, lowerCase: false);
                return new CallExpression(ScalarFunction.DateFormat, [value, new Literal(format, SqlTypes.Varchar)], SqlTypes.Varchar);
            }

            case "date_parse":
            {
                context.ExpectCount(2, 2);
                var text = context.Arguments[0];
                if (text.Type is not (StringType or NullType))
                {
                    throw context.Mismatch(0, "varchar");
                }

                var format = context.ConstantText(1, lowerCase: false);
                return new CallExpression(ScalarFunction.DateParse, [ExpressionBinder.CastTo(text, SqlTypes.Varchar), new Literal(format, SqlTypes.Varchar)], SqlTypes.Timestamp);
            }

            case "last_day_of_month":
            {
                context.ExpectCount(1, 1);
                var value = Temporal(context, 0);
                return new CallExpression(ScalarFunction.LastDayOfMonth, [value], SqlTypes.Date);
            }

            case "to_iso8601":
            {
                context.ExpectCount(1, 1);
                var value = Temporal(context, 0);
                return new CallExpression(ScalarFunction.ToIso8601, [value], SqlTypes.Varchar);
            }

            case "from_iso8601_timestamp" or "from_iso8601_date":
            {
                context.ExpectCount(1, 1);
                var text = context.Arguments[0];
                if (text.Type is not (StringType or NullType))
                {
                    throw context.Mismatch(0, "varchar");
                }

                var result = name == "from_iso8601_date" ? SqlTypes.Date : SqlTypes.TimestampTz;
                return new CallExpression(ScalarFunction.FromIso8601, [ExpressionBinder.CastTo(text, SqlTypes.Varchar)], result);
            }

            case "at_timezone":
                context.ExpectCount(2, 2);
                return BindAtTimeZone(context.Arguments[0], context.Arguments[1], context.Evaluator, context.Call.Span);
            case "with_timezone":
            {
                context.ExpectCount(2, 2);
                var value = context.Arguments[0];
                if (value.Type is not (TimestampType or NullType) || SqlTypes.IsTimestampTz(value.Type))
                {
                    throw context.Mismatch(0, "a timestamp without time zone");
                }

                var zoneName = context.ConstantText(1, lowerCase: false);
                var zoneId = TimeZones.Normalize(zoneName)
                    ?? throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: unknown time zone '{zoneName}'");
                return new CallExpression(
                    ScalarFunction.WithTimeZone,
                    [ExpressionBinder.CastTo(Micros(value), SqlTypes.Timestamp), new Literal(zoneId, SqlTypes.Varchar)],
                    new TimestampType(TimeUnit.Microsecond, zoneId));
            }

            case "current_timezone":
                context.ExpectCount(0, 0);
                return new Literal("UTC", SqlTypes.Varchar);
            case "now":
                context.ExpectCount(0, 0);
                return new Literal(ScalarTextNow(), SqlTypes.TimestampTz);
            case "date":
            {
                context.ExpectCount(1, 1);
                var value = context.Arguments[0];
                if (!SqlTypes.CanCast(value.Type, SqlTypes.Date) || SqlTypes.IsNumeric(value.Type))
                {
                    throw context.Mismatch(0, "a date, timestamp or varchar");
                }

                return ExpressionBinder.CastTo(value, SqlTypes.Date);
            }

            default:
                return null;
        }
    }

    /// <summary>Kernels work on microseconds: nanosecond timestamps are narrowed first.</summary>
    public static BoundExpression Micros(BoundExpression value) => ExpressionBinder.CastTo(value, MicrosType(value.Type));

    private static IArrowType MicrosType(IArrowType type) => type is TimestampType { Unit: TimeUnit.Nanosecond } nanos
        ? (SqlTypes.IsTimestampTz(nanos) ? SqlTypes.TimestampTz : SqlTypes.Timestamp)
        : type;

    private static long ScalarTextNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private static string Unit(CallContext context, int index)
    {
        var unit = context.ConstantText(index);
        if (Array.IndexOf(Units, unit) < 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: '{unit}' is not a valid time unit for {context.Name}");
        }

        return unit;
    }

    private static BoundExpression Temporal(CallContext context, int index)
    {
        var value = context.Arguments[index];
        if (value.Type is NullType)
        {
            return Literal.Null(SqlTypes.Timestamp);
        }

        if (value.Type is not (Date32Type or TimestampType))
        {
            throw context.Mismatch(index, "a date or timestamp");
        }

        return Micros(value);
    }

    public static BoundExpression BindExtract(string field, BoundExpression value, SourceSpan span)
    {
        field = field switch
        {
            "DOW" => "DAY_OF_WEEK",
            "DOY" => "DAY_OF_YEAR",
            "YOW" => "YEAR_OF_WEEK",
            "DAY_OF_MONTH" => "DAY",
            _ => field,
        };
        bool dateField = field is "YEAR" or "QUARTER" or "MONTH" or "WEEK" or "DAY" or "DAY_OF_WEEK" or "DAY_OF_YEAR" or "YEAR_OF_WEEK";
        bool timeField = field is "HOUR" or "MINUTE" or "SECOND" or "MILLISECOND";
        if (!dateField && !timeField)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{span}: EXTRACT field {field} is not supported");
        }

        if (value.Type is NullType)
        {
            return Literal.Null(SqlTypes.BigInt);
        }

        bool valid = value.Type switch
        {
            Date32Type => dateField,
            Time64Type => timeField,
            TimestampType => true,
            _ => false,
        };
        if (!valid)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{span}: cannot extract {field} from {SqlTypes.Display(value.Type)}");
        }

        return new CallExpression(ScalarFunction.Extract, [new Literal(field, SqlTypes.Varchar), Micros(value)], SqlTypes.BigInt);
    }

    public static BoundExpression BindAtTimeZone(BoundExpression value, BoundExpression zone, IConstantEvaluator evaluator, SourceSpan span)
    {
        if (value.Type is not (TimestampType or NullType))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{span}: AT TIME ZONE needs a timestamp, found {SqlTypes.Display(value.Type)}");
        }

        var folded = ConstantFolder.Fold(ExpressionBinder.CastTo(zone, SqlTypes.Varchar), evaluator);
        if (folded is not Literal { Value: string zoneName })
        {
            throw new PlanningException(PlanningException.NotSupported, $"{span}: AT TIME ZONE needs a constant zone");
        }

        var zoneId = TimeZones.Normalize(zoneName)
            ?? throw new PlanningException(PlanningException.InvalidArgument, $"{span}: unknown time zone '{zoneName}'");
        var result = new TimestampType(TimeUnit.Microsecond, zoneId);
        return new CallExpression(ScalarFunction.AtTimeZone, [ExpressionBinder.CastTo(Micros(value), SqlTypes.TimestampTz), new Literal(zoneId, SqlTypes.Varchar)], result);
    }

    public static Literal BindInterval(IntervalLiteral interval)
    {
        string Invalid() => $"{interval.Span}: '{interval.Value}' is not a valid interval {interval.From}{(interval.To is null ? string.Empty : " TO " + interval.To)}";
        var text = interval.Value.Trim();
        bool negative = interval.Sign == IntervalSign.Negative;
        if (text.StartsWith('-'))
        {
            negative = !negative;
            text = text[1..].TrimStart();
        }
        else if (text.StartsWith('+'))
        {
            text = text[1..].TrimStart();
        }

        var to = interval.To ?? interval.From;
        if (interval.From is IntervalField.Year or IntervalField.Month)
        {
            if (to is not (IntervalField.Year or IntervalField.Month) || to < interval.From)
            {
                throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            }

            long months;
            if (interval.From == IntervalField.Year && to == IntervalField.Month)
            {
                var parts = text.Split('-');
                if (parts.Length != 2 || !TryNumber(parts[0], out long years) || !TryNumber(parts[1], out long extra))
                {
                    throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
                }

                months = (years * 12) + extra;
            }
            else if (!TryNumber(text, out months))
            {
                throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            }
            else if (interval.From == IntervalField.Year)
            {
                months *= 12;
            }

            months = negative ? -months : months;
            if (months is < int.MinValue or > int.MaxValue)
            {
                throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            }

            return new Literal((int)months, SqlTypes.IntervalYearToMonth);
        }

        if (to < interval.From || to is IntervalField.Year or IntervalField.Month)
        {
            throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
        }

        var micros = ParseDayToSecond(text, interval.From, to) ?? throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
        return new Literal(negative ? -micros : micros, SqlTypes.IntervalDayToSecond);
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Fields from <paramref name="from"/> to <paramref name="to"/>: days separated by a space, then colons; seconds may have a fraction.</summary>
    private static long? ParseDayToSecond(string text, IntervalField from, IntervalField to)
    {
        int position = 0;
        var fields = new List<string>();
        for (var field = from; field <= to; field++)
        {
            char separator = field == IntervalField.Day ? ' ' : ':';
            int end = field == to ? text.Length : text.IndexOf(separator, position);
            if (end < 0)
            {
                return null;
            }

            fields.Add(text[position..end]);
            position = end + 1;
        }

        long micros = 0;
        var current = from;
        foreach (var part in fields)
        {
            long unit = current switch
            {
                IntervalField.Day => ScalarText.MicrosPerDay,
                IntervalField.Hour => 3_600L * ScalarText.MicrosPerSecond,
                IntervalField.Minute => 60L * ScalarText.MicrosPerSecond,
                _ => ScalarText.MicrosPerSecond,
            };
            if (current == IntervalField.Second)
            {
                if (!decimal.TryParse(part.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
                {
                    return null;
                }

                micros += (long)decimal.Round(seconds * ScalarText.MicrosPerSecond);
            }
            else
            {
                if (!TryNumber(part, out long amount))
                {
                    return null;
                }

                try
                {
                    micros = checked(micros + (amount * unit));
                }
                catch (OverflowException)
                {
                    return null;
                }
            }

            current++;
        }

        return micros;
    }

    /// <summary>date/timestamp +/- interval, interval + date/timestamp, interval +/- interval, interval * integer, timestamp - timestamp.</summary>
    public static BoundExpression? TryBindArithmetic(ScalarFunction function, BoundExpression left, BoundExpression right, SourceSpan span)
    {
        bool leftTemporal = left.Type is Date32Type or TimestampType;
        bool rightTemporal = right.Type is Date32Type or TimestampType;
        bool leftInterval = SqlTypes.IsInterval(left.Type);
        bool rightInterval = SqlTypes.IsInterval(right.Type);
        if (!leftTemporal && !rightTemporal && !leftInterval && !rightInterval)
        {
            return null;
        }

        left = Micros(left);
        right = Micros(right);
        if ((left.Type is NullType && rightInterval) || (right.Type is NullType && leftInterval))
        {
            // NULL +/- interval: NULL of the type the other side would give with a timestamp.
            return Literal.Null(SqlTypes.Timestamp);
        }

        if (function is ScalarFunction.Add or ScalarFunction.Subtract && leftTemporal && rightInterval)
        {
            var amount = function == ScalarFunction.Subtract ? new CallExpression(ScalarFunction.Negate, [right], right.Type) : right;
            return new CallExpression(ScalarFunction.AddInterval, [left, amount], left.Type);
        }

        if (function == ScalarFunction.Add && leftInterval && rightTemporal)
        {
            return new CallExpression(ScalarFunction.AddInterval, [right, left], right.Type);
        }

        if (function is ScalarFunction.Add or ScalarFunction.Subtract && leftInterval && rightInterval && SqlTypes.AreEqual(left.Type, right.Type))
        {
            return new CallExpression(function, [left, right], left.Type);
        }

        if (function == ScalarFunction.Multiply && (leftInterval ^ rightInterval))
        {
            var interval = leftInterval ? left : right;
            var factor = leftInterval ? right : left;
            if (SqlTypes.IsInteger(factor.Type))
            {
                var factorType = SqlTypes.KindOf(interval.Type) == PhysicalKind.Int32 ? SqlTypes.Integer : SqlTypes.BigInt;
                return new CallExpression(function, [interval, ExpressionBinder.CastTo(factor, factorType)], interval.Type);
            }
        }

        if (function == ScalarFunction.Subtract && left.Type is TimestampType && right.Type is TimestampType)
        {
            var common = SqlTypes.CommonSuperType(left.Type, right.Type)!;
            return new CallExpression(ScalarFunction.TimestampDifference, [ExpressionBinder.CastTo(left, common), ExpressionBinder.CastTo(right, common)], SqlTypes.IntervalDayToSecond);
        }

        throw new PlanningException(PlanningException.TypeMismatch, $"{span}: cannot apply operator: {SqlTypes.Display(left.Type)} {CallExpression.OperatorText(function)} {SqlTypes.Display(right.Type)}");
    }
}
