using Apache.Arrow.Types;

namespace Lakehouse.Planning.Types;

/// <summary>How values of an Arrow type are laid out in memory; kernels dispatch on this.</summary>
public enum PhysicalKind
{
    Null,
    Boolean,
    Int8,
    Int16,
    Int32,
    Int64,
    Float,
    Double,
    Int128,
    Utf8,
    Binary,
    FixedBinary,
}

/// <summary>SQL view of Arrow types: names, families and implicit coercion (as Trino does it).</summary>
public static class SqlTypes
{
    public static readonly IArrowType Boolean = BooleanType.Default;
    public static readonly IArrowType TinyInt = Int8Type.Default;
    public static readonly IArrowType SmallInt = Int16Type.Default;
    public static readonly IArrowType Integer = Int32Type.Default;
    public static readonly IArrowType BigInt = Int64Type.Default;
    public static readonly IArrowType Real = FloatType.Default;
    public static readonly IArrowType Double = DoubleType.Default;
    public static readonly IArrowType Varchar = StringType.Default;
    public static readonly IArrowType Varbinary = BinaryType.Default;
    public static readonly IArrowType Date = Date32Type.Default;
    public static readonly IArrowType Time = new Time64Type(TimeUnit.Microsecond);
    public static readonly IArrowType Timestamp = new TimestampType(TimeUnit.Microsecond, (string?)null);
    public static readonly IArrowType TimestampTz = new TimestampType(TimeUnit.Microsecond, "UTC");
    public static readonly IArrowType Uuid = Apache.Arrow.GuidType.Default;
    public static readonly IArrowType Unknown = NullType.Default;

    /// <summary>interval day to second: int64 microseconds.</summary>
    public static readonly IArrowType IntervalDayToSecond = DurationType.Microsecond;

    /// <summary>interval year to month: int32 months.</summary>
    public static readonly IArrowType IntervalYearToMonth = IntervalType.YearMonth;

    public static bool IsInterval(IArrowType type) => type is DurationType or IntervalType { Unit: IntervalUnit.YearMonth };

    public static Decimal128Type Decimal(int precision, int scale) => new(precision, scale);

    public static PhysicalKind KindOf(IArrowType type) => type switch
    {
        NullType => PhysicalKind.Null,
        BooleanType => PhysicalKind.Boolean,
        Int8Type => PhysicalKind.Int8,
        Int16Type => PhysicalKind.Int16,
        Int32Type or Date32Type or IntervalType { Unit: IntervalUnit.YearMonth } => PhysicalKind.Int32,
        Int64Type or Time64Type or TimestampType or DurationType => PhysicalKind.Int64,
        FloatType => PhysicalKind.Float,
        DoubleType => PhysicalKind.Double,
        Decimal128Type => PhysicalKind.Int128,
        StringType => PhysicalKind.Utf8,
        BinaryType => PhysicalKind.Binary,
        FixedSizeBinaryType => PhysicalKind.FixedBinary,
        Apache.Arrow.GuidType => PhysicalKind.FixedBinary,
        _ => throw new PlanningException(PlanningException.NotSupported, $"type {Display(type)} is not supported"),
    };

    public static bool IsSupported(IArrowType type) => type is NullType or BooleanType or Int8Type or Int16Type or Int32Type
        or Date32Type or Int64Type or Time64Type or TimestampType or FloatType or DoubleType or Decimal128Type
        or StringType or BinaryType or FixedSizeBinaryType or Apache.Arrow.GuidType || IsInterval(type);

    public static bool IsInteger(IArrowType type) => type is Int8Type or Int16Type or Int32Type or Int64Type;

    public static bool IsFloating(IArrowType type) => type is FloatType or DoubleType;

    public static bool IsNumeric(IArrowType type) => IsInteger(type) || IsFloating(type) || type is Decimal128Type;

    public static bool IsStringLike(IArrowType type) => type is StringType;

    public static bool IsBinaryLike(IArrowType type) => type is BinaryType or (FixedSizeBinaryType and not Decimal128Type and not Decimal256Type);

    public static bool IsTimestampTz(IArrowType type) => type is TimestampType { Timezone: not null and not "" };

    public static bool IsTimestamp(IArrowType type) => type is TimestampType;

    /// <summary>Decimal precision that holds every value of an integer type.</summary>
    public static int IntegerDecimalPrecision(IArrowType type) => type switch
    {
        Int8Type => 3,
        Int16Type => 5,
        Int32Type => 10,
        Int64Type => 19,
        _ => throw new ArgumentException("not an integer type", nameof(type)),
    };

    private static int IntegerRank(IArrowType type) => type switch
    {
        Int8Type => 1,
        Int16Type => 2,
        Int32Type => 3,
        Int64Type => 4,
        _ => 0,
    };

    public static Decimal128Type AsDecimal(IArrowType type) => type switch
    {
        Decimal128Type d => d,
        _ when IsInteger(type) => new Decimal128Type(IntegerDecimalPrecision(type), 0),
        _ => throw new ArgumentException("not an exact numeric type", nameof(type)),
    };

    public static bool AreEqual(IArrowType left, IArrowType right)
    {
        if (left.TypeId != right.TypeId)
        {
            return false;
        }

        return (left, right) switch
        {
            (Decimal128Type a, Decimal128Type b) => a.Precision == b.Precision && a.Scale == b.Scale,
            (TimestampType a, TimestampType b) => a.Unit == b.Unit && IsTimestampTz(a) == IsTimestampTz(b),
            (Time64Type a, Time64Type b) => a.Unit == b.Unit,
            (FixedSizeBinaryType a, FixedSizeBinaryType b) => a.ByteWidth == b.ByteWidth && a.GetType() == b.GetType(),
            _ => left.GetType() == right.GetType(),
        };
    }

    /// <summary>The type both sides are coerced to before comparing or combining them, or null if none.</summary>
    public static IArrowType? CommonSuperType(IArrowType left, IArrowType right)
    {
        if (AreEqual(left, right))
        {
            return left;
        }

        if (left is NullType)
        {
            return right;
        }

        if (right is NullType)
        {
            return left;
        }

        if (IsInteger(left) && IsInteger(right))
        {
            return IntegerRank(left) >= IntegerRank(right) ? left : right;
        }

        if (IsNumeric(left) && IsNumeric(right))
        {
            if (left is DoubleType || right is DoubleType)
            {
                return Double;
            }

            if (left is FloatType || right is FloatType)
            {
                return Real;
            }

            var a = AsDecimal(left);
            var b = AsDecimal(right);
            int scale = Math.Max(a.Scale, b.Scale);
            int integerDigits = Math.Max(a.Precision - a.Scale, b.Precision - b.Scale);
            return new Decimal128Type(Math.Min(38, integerDigits + scale), scale);
        }

        if (left is TimestampType lt && right is TimestampType rt)
        {
            bool tz = IsTimestampTz(lt) || IsTimestampTz(rt);
            var unit = lt.Unit == TimeUnit.Nanosecond && rt.Unit == TimeUnit.Nanosecond ? TimeUnit.Nanosecond : TimeUnit.Microsecond;
            return new TimestampType(unit, tz ? "UTC" : null);
        }

        if ((left is Date32Type && right is TimestampType) || (left is TimestampType && right is Date32Type))
        {
            var ts = (TimestampType)(left is TimestampType ? left : right);
            return IsTimestampTz(ts) ? TimestampTz : Timestamp;
        }

        if (IsBinaryLike(left) && IsBinaryLike(right))
        {
            return Varbinary;
        }

        return null;
    }

    public static string Display(IArrowType type) => type switch
    {
        NullType => "unknown",
        BooleanType => "boolean",
        Int8Type => "tinyint",
        Int16Type => "smallint",
        Int32Type => "integer",
        Int64Type => "bigint",
        FloatType => "real",
        DoubleType => "double",
        Decimal128Type d => $"decimal({d.Precision},{d.Scale})",
        StringType => "varchar",
        BinaryType => "varbinary",
        Apache.Arrow.GuidType => "uuid",
        FixedSizeBinaryType f => $"varbinary({f.ByteWidth})",
        Date32Type => "date",
        Time64Type => "time(6)",
        TimestampType t => (t.Unit == TimeUnit.Nanosecond ? "timestamp(9)" : "timestamp(6)") + (IsTimestampTz(t) ? " with time zone" : string.Empty),
        DurationType => "interval day to second",
        IntervalType => "interval year to month",
        _ => type.Name,
    };

    /// <summary>True when every value of <paramref name="from"/> converts to <paramref name="to"/> exactly and in the same order.</summary>
    public static bool IsLosslessWidening(IArrowType from, IArrowType to)
    {
        if (AreEqual(from, to))
        {
            return true;
        }

        if (IsInteger(from) && IsInteger(to))
        {
            return IntegerRank(to) >= IntegerRank(from);
        }

        if (IsInteger(from) && to is Decimal128Type dt)
        {
            return dt.Precision - dt.Scale >= IntegerDecimalPrecision(from);
        }

        if (from is Decimal128Type df && to is Decimal128Type dt2)
        {
            return dt2.Scale >= df.Scale && dt2.Precision - dt2.Scale >= df.Precision - df.Scale;
        }

        if (from is FloatType && to is DoubleType)
        {
            return true;
        }

        if ((from is Int8Type or Int16Type) && to is FloatType)
        {
            return true;
        }

        if ((from is Int8Type or Int16Type or Int32Type) && to is DoubleType)
        {
            return true;
        }

        if (from is Date32Type && to is TimestampType { Unit: TimeUnit.Microsecond } && !IsTimestampTz(to))
        {
            return true;
        }

        if (from is TimestampType a && to is TimestampType b)
        {
            return a.Unit == b.Unit;
        }

        return false;
    }

    /// <summary>Whether CAST(x AS <paramref name="to"/>) is defined for values of <paramref name="from"/>.</summary>
    public static bool CanCast(IArrowType from, IArrowType to)
    {
        if (IsInterval(from) || IsInterval(to))
        {
            return AreEqual(from, to) || (IsInterval(from) && to is StringType);
        }

        if (AreEqual(from, to) || from is NullType || to is StringType || from is StringType)
        {
            return to is not NullType;
        }

        bool fromNumeric = IsNumeric(from) || from is BooleanType;
        bool toNumeric = IsNumeric(to) || to is BooleanType;
        if (fromNumeric && toNumeric)
        {
            return true;
        }

        if ((from is Date32Type or TimestampType) && (to is Date32Type or TimestampType))
        {
            return true;
        }

        if (from is TimestampType && to is Time64Type)
        {
            return true;
        }

        bool fromBytes = IsBinaryLike(from) || from is Apache.Arrow.GuidType;
        bool toBytes = IsBinaryLike(to) || to is Apache.Arrow.GuidType;
        return fromBytes && toBytes;
    }
}
