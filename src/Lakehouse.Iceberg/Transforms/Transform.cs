using System.Globalization;
using System.Numerics;
using System.Text;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Transforms;

/// <summary>
/// A partition or sort transform of the Iceberg spec. Values use the .NET forms of <see cref="IcebergType"/>;
/// the source type is passed with each call because one transform applies to several source types.
/// </summary>
public abstract class Transform
{
    public static Transform Identity { get; } = new IdentityTransform();

    public static Transform Void { get; } = new VoidTransform();

    /// <summary>Parses the spec's transform text; an unknown name becomes an opaque transform that never prunes.</summary>
    public static Transform Parse(string text)
    {
        var t = text.Trim();
        switch (t)
        {
            case "identity":
                return Identity;
            case "void":
                return Void;
            case "year":
            case "years":
                return new TimeTransform(TimeUnit.Year);
            case "month":
            case "months":
                return new TimeTransform(TimeUnit.Month);
            case "day":
            case "days":
                return new TimeTransform(TimeUnit.Day);
            case "hour":
            case "hours":
                return new TimeTransform(TimeUnit.Hour);
        }

        if (TryParseWidth(t, "bucket", out var buckets))
        {
            return new BucketTransform(buckets);
        }

        if (TryParseWidth(t, "truncate", out var width))
        {
            return new TruncateTransform(width);
        }

        return new UnknownTransform(t);
    }

    /// <summary>The type of the transformed value.</summary>
    public abstract IcebergType ResultType(IcebergType sourceType);

    /// <summary>Applies the transform; null stays null.</summary>
    public abstract object? Apply(IcebergType sourceType, object? value);

    /// <summary>True when a != b implies nothing but a &lt;= b implies f(a) &lt;= f(b) (order preserving).</summary>
    public virtual bool PreservesOrder => false;

    /// <summary>
    /// Inclusive projection of a predicate on the source column to a predicate on the partition field
    /// <paramref name="partitionFieldId"/>: every row matching <paramref name="predicate"/> has a partition value
    /// matching the result. Returns <see cref="AlwaysTrue"/> when nothing can be said.
    /// </summary>
    public virtual IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate)
    {
        switch (predicate)
        {
            case IsNull:
                return new IsNull(partitionFieldId);
            case NotNull:
                return new NotNull(partitionFieldId);
            case Comparison c when PreservesOrder:
                return c.Operator switch
                {
                    ComparisonOperator.Equal => new Comparison(partitionFieldId, ComparisonOperator.Equal, Apply(sourceType, c.Value)!),
                    ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual =>
                        new Comparison(partitionFieldId, ComparisonOperator.LessThanOrEqual, Apply(sourceType, c.Value)!),
                    ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual =>
                        new Comparison(partitionFieldId, ComparisonOperator.GreaterThanOrEqual, Apply(sourceType, c.Value)!),
                    _ => AlwaysTrue.Instance,
                };
            case In inList when PreservesOrder:
                return new In(partitionFieldId, ApplyDistinct(sourceType, inList.Values));
            default:
                return AlwaysTrue.Instance;
        }
    }

    public abstract override string ToString();

    private protected IReadOnlyList<object> ApplyDistinct(IcebergType sourceType, IReadOnlyList<object> values)
    {
        var result = new List<object>(values.Count);
        foreach (var v in values)
        {
            var transformed = Apply(sourceType, v)!;
            var seen = false;
            foreach (var existing in result)
            {
                if (IcebergValueComparer.Compare(existing, transformed) == 0)
                {
                    seen = true;
                    break;
                }
            }

            if (!seen)
            {
                result.Add(transformed);
            }
        }

        return result;
    }

    private static bool TryParseWidth(string text, string name, out int width)
    {
        width = 0;
        if (!text.StartsWith(name + "[", StringComparison.Ordinal) || !text.EndsWith(']'))
        {
            return false;
        }

        var inner = text.AsSpan(name.Length + 1, text.Length - name.Length - 2);
        if (!int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width <= 0)
        {
            throw new IcebergException(IcebergException.InvalidMetadata, $"invalid transform '{text}': the width must be a positive integer");
        }

        return true;
    }
}

public sealed class IdentityTransform : Transform
{
    public override IcebergType ResultType(IcebergType sourceType) => sourceType;

    public override object? Apply(IcebergType sourceType, object? value) => value;

    public override bool PreservesOrder => true;

    public override IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate) => predicate switch
    {
        Comparison c => c with { FieldId = partitionFieldId },
        In i => i with { FieldId = partitionFieldId },
        IsNull => new IsNull(partitionFieldId),
        NotNull => new NotNull(partitionFieldId),
        IsNaN => new IsNaN(partitionFieldId),
        StartsWith s => s with { FieldId = partitionFieldId },
        _ => AlwaysTrue.Instance,
    };

    public override string ToString() => "identity";
}

public sealed class VoidTransform : Transform
{
    public override IcebergType ResultType(IcebergType sourceType) => sourceType;

    public override object? Apply(IcebergType sourceType, object? value) => null;

    public override IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate) => AlwaysTrue.Instance;

    public override string ToString() => "void";
}

/// <summary>A transform this engine does not know: kept so metadata loads, never used for pruning.</summary>
public sealed class UnknownTransform : Transform
{
    private readonly string _text;

    public UnknownTransform(string text) => _text = text;

    public override IcebergType ResultType(IcebergType sourceType) => PrimitiveType.Unknown;

    public override object? Apply(IcebergType sourceType, object? value) =>
        throw new IcebergException(IcebergException.Unsupported, $"transform '{_text}' is not supported");

    public override IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate) => AlwaysTrue.Instance;

    public override string ToString() => _text;
}

public sealed class BucketTransform : Transform
{
    public BucketTransform(int numBuckets) => NumBuckets = numBuckets;

    public int NumBuckets { get; }

    public override IcebergType ResultType(IcebergType sourceType) => PrimitiveType.Int;

    public override object? Apply(IcebergType sourceType, object? value) =>
        value is null ? null : (Hash(sourceType, value) & int.MaxValue) % NumBuckets;

    /// <summary>The spec's 32-bit hash of a value of <paramref name="sourceType"/>.</summary>
    public static int Hash(IcebergType sourceType, object value)
    {
        switch (sourceType.Id)
        {
            case TypeId.Boolean:
                return Murmur3.HashLong((bool)value ? 1 : 0);
            case TypeId.Int:
            case TypeId.Long:
            case TypeId.Date:
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                return Murmur3.HashLong(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                // Nanosecond timestamps hash as their microsecond value so both precisions bucket alike.
                return Murmur3.HashLong(FloorDiv(Convert.ToInt64(value, CultureInfo.InvariantCulture), 1000));
            case TypeId.Float:
            case TypeId.Double:
                return Murmur3.HashDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case TypeId.Decimal:
                return Murmur3.Hash(SingleValueSerialization.ToBigInteger(value).ToByteArray(isUnsigned: false, isBigEndian: true));
            case TypeId.String:
                return Murmur3.Hash(Encoding.UTF8.GetBytes((string)value));
            case TypeId.Uuid:
                return Murmur3.Hash(((Guid)value).ToByteArray(bigEndian: true));
            case TypeId.Fixed:
            case TypeId.Binary:
                return Murmur3.Hash((byte[])value);
            default:
                throw new IcebergException(IcebergException.Unsupported, $"bucket transform does not apply to type {sourceType}");
        }
    }

    public override IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate) => predicate switch
    {
        Comparison { Operator: ComparisonOperator.Equal } c => new Comparison(partitionFieldId, ComparisonOperator.Equal, Apply(sourceType, c.Value)!),
        In i => new In(partitionFieldId, ApplyDistinct(sourceType, i.Values)),
        IsNull => new IsNull(partitionFieldId),
        NotNull => new NotNull(partitionFieldId),
        _ => AlwaysTrue.Instance,
    };

    public override string ToString() => $"bucket[{NumBuckets}]";

    internal static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

public sealed class TruncateTransform : Transform
{
    public TruncateTransform(int width) => Width = width;

    public int Width { get; }

    public override IcebergType ResultType(IcebergType sourceType) => sourceType;

    public override bool PreservesOrder => true;

    public override object? Apply(IcebergType sourceType, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (sourceType.Id)
        {
            case TypeId.Int:
            {
                var v = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                return v - (((v % Width) + Width) % Width);
            }

            case TypeId.Long:
            {
                var v = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return v - (((v % Width) + Width) % Width);
            }

            case TypeId.Decimal:
            {
                var v = SingleValueSerialization.ToBigInteger(value);
                var w = new BigInteger(Width);
                return v - (((v % w) + w) % w);
            }

            case TypeId.String:
                return IcebergValueComparer.Utf8Prefix((string)value, Width);
            case TypeId.Binary:
            case TypeId.Fixed:
            {
                var bytes = (byte[])value;
                return bytes.Length <= Width ? bytes : bytes.AsSpan(0, Width).ToArray();
            }

            default:
                throw new IcebergException(IcebergException.Unsupported, $"truncate transform does not apply to type {sourceType}");
        }
    }

    public override IcebergExpression Project(int partitionFieldId, IcebergType sourceType, IcebergExpression predicate)
    {
        if (predicate is StartsWith s)
        {
            var prefix = (string)Apply(sourceType, s.Prefix)!;
            return prefix.Length == s.Prefix.Length && CodePointCount(s.Prefix) < Width
                ? new StartsWith(partitionFieldId, prefix)
                : new Comparison(partitionFieldId, ComparisonOperator.Equal, prefix);
        }

        return base.Project(partitionFieldId, sourceType, predicate);
    }

    public override string ToString() => $"truncate[{Width}]";

    private static int CodePointCount(string s)
    {
        var n = 0;
        foreach (var unused in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}

public enum TimeUnit
{
    Year,
    Month,
    Day,
    Hour,
}

public sealed class TimeTransform : Transform
{
    private const long MicrosPerHour = 3_600_000_000L;
    private const long MicrosPerDay = 86_400_000_000L;

    public TimeTransform(TimeUnit unit) => Unit = unit;

    public TimeUnit Unit { get; }

    public override bool PreservesOrder => true;

    public override IcebergType ResultType(IcebergType sourceType) => Unit == TimeUnit.Day ? PrimitiveType.Date : PrimitiveType.Int;

    public override object? Apply(IcebergType sourceType, object? value)
    {
        if (value is null)
        {
            return null;
        }

        long micros;
        switch (sourceType.Id)
        {
            case TypeId.Date:
                if (Unit == TimeUnit.Hour)
                {
                    throw new IcebergException(IcebergException.Unsupported, "hour transform does not apply to type date");
                }

                micros = Convert.ToInt64(value, CultureInfo.InvariantCulture) * MicrosPerDay;
                break;
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                micros = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                break;
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                micros = BucketTransform.FloorDiv(Convert.ToInt64(value, CultureInfo.InvariantCulture), 1000);
                break;
            default:
                throw new IcebergException(IcebergException.Unsupported, $"{ToString()} transform does not apply to type {sourceType}");
        }

        if (Unit == TimeUnit.Hour)
        {
            return checked((int)BucketTransform.FloorDiv(micros, MicrosPerHour));
        }

        var days = checked((int)BucketTransform.FloorDiv(micros, MicrosPerDay));
        if (Unit == TimeUnit.Day)
        {
            return days;
        }

        var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days);
        return Unit == TimeUnit.Year ? date.Year - 1970 : ((date.Year - 1970) * 12) + date.Month - 1;
    }

    public override string ToString() => Unit switch
    {
        TimeUnit.Year => "year",
        TimeUnit.Month => "month",
        TimeUnit.Day => "day",
        _ => "hour",
    };
}
