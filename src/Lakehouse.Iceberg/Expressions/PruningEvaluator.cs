namespace Lakehouse.Iceberg.Expressions;

/// <summary>
/// What is known about one field over a set of rows (a partition tuple, a manifest's partition summary,
/// or a data file's column metrics). Bounds use the .NET value forms; null bounds mean unknown.
/// </summary>
public readonly record struct FieldRange(object? Lower, object? Upper, bool MayContainNull, bool MayContainNonNull, bool MayContainNaN)
{
    public static readonly FieldRange Unknown = new(null, null, true, true, true);

    public static FieldRange Exact(object? value) =>
        new(value, value, value is null, value is not null, value is not null && IcebergValueComparer.IsNaN(value));
}

/// <summary>
/// Decides conservatively whether any row described by per-field <see cref="FieldRange"/>s might match a
/// predicate. Upper bounds of strings and binaries may be truncated prefixes of the true maximum.
/// </summary>
public static class PruningEvaluator
{
    /// <summary>Pushes <see cref="Not"/> down to the leaves, replacing negations that cannot be expressed by <see cref="AlwaysTrue"/>.</summary>
    public static IcebergExpression Normalize(IcebergExpression expression) => expression switch
    {
        And a => new And(Normalize(a.Left), Normalize(a.Right)),
        Or o => new Or(Normalize(o.Left), Normalize(o.Right)),
        Not n => Negate(n.Child),
        _ => expression,
    };

    public static bool MightMatch(IcebergExpression expression, Func<int, FieldRange> rangeOf)
    {
        switch (expression)
        {
            case AlwaysTrue:
                return true;
            case AlwaysFalse:
                return false;
            case And a:
                return MightMatch(a.Left, rangeOf) && MightMatch(a.Right, rangeOf);
            case Or o:
                return MightMatch(o.Left, rangeOf) || MightMatch(o.Right, rangeOf);
            case Not:
                return MightMatch(Normalize(expression), rangeOf);
            case IsNull n:
                return rangeOf(n.FieldId).MayContainNull;
            case NotNull n:
                return rangeOf(n.FieldId).MayContainNonNull;
            case IsNaN n:
                return rangeOf(n.FieldId).MayContainNaN;
            case Comparison c:
                return ComparisonMightMatch(rangeOf(c.FieldId), c.Operator, c.Value);
            case In i:
            {
                var range = rangeOf(i.FieldId);
                foreach (var v in i.Values)
                {
                    if (ComparisonMightMatch(range, ComparisonOperator.Equal, v))
                    {
                        return true;
                    }
                }

                return false;
            }

            case StartsWith s:
                return StartsWithMightMatch(rangeOf(s.FieldId), s.Prefix);
            default:
                return true;
        }
    }

    private static IcebergExpression Negate(IcebergExpression child) => child switch
    {
        AlwaysTrue => AlwaysFalse.Instance,
        AlwaysFalse => AlwaysTrue.Instance,
        Not n => Normalize(n.Child),
        And a => new Or(Negate(a.Left), Negate(a.Right)),
        Or o => new And(Negate(o.Left), Negate(o.Right)),
        IsNull n => new NotNull(n.FieldId),
        NotNull n => new IsNull(n.FieldId),
        Comparison c => c with
        {
            Operator = c.Operator switch
            {
                ComparisonOperator.Equal => ComparisonOperator.NotEqual,
                ComparisonOperator.NotEqual => ComparisonOperator.Equal,
                ComparisonOperator.LessThan => ComparisonOperator.GreaterThanOrEqual,
                ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThan,
                ComparisonOperator.GreaterThan => ComparisonOperator.LessThanOrEqual,
                _ => ComparisonOperator.LessThan,
            },
        },
        _ => AlwaysTrue.Instance,
    };

    private static bool ComparisonMightMatch(FieldRange range, ComparisonOperator op, object value)
    {
        if (!range.MayContainNonNull)
        {
            return false;
        }

        if (IcebergValueComparer.IsNaN(value))
        {
            return true;
        }

        var lower = range.Lower is { } l && !IcebergValueComparer.IsNaN(l) ? l : null;
        var upper = range.Upper is { } u && !IcebergValueComparer.IsNaN(u) ? u : null;
        var valueVsLower = lower is null ? null : IcebergValueComparer.Compare(value, lower);
        var valueVsUpper = upper is null ? null : IcebergValueComparer.Compare(value, upper);

        // A value above a possibly truncated upper bound may still be below the true maximum when the bound is its prefix.
        var aboveUpper = valueVsUpper > 0 && !IsPrefix(upper!, value);
        switch (op)
        {
            case ComparisonOperator.Equal:
                return !(valueVsLower < 0) && !aboveUpper;
            case ComparisonOperator.NotEqual:
                return !(valueVsLower == 0 && valueVsUpper == 0 && !range.MayContainNaN);
            case ComparisonOperator.LessThan:
                return !(valueVsLower <= 0);
            case ComparisonOperator.LessThanOrEqual:
                return !(valueVsLower < 0);
            case ComparisonOperator.GreaterThan:
                return !(valueVsUpper >= 0) || (!IsExactUpper(upper!) && IsPrefix(upper!, value));
            case ComparisonOperator.GreaterThanOrEqual:
                return !aboveUpper;
            default:
                return true;
        }
    }

    // Numbers and other fixed-width values are never truncated.
    private static bool IsExactUpper(object upper) => upper is not string && upper is not byte[];

    private static bool IsPrefix(object bound, object value) => (bound, value) switch
    {
        (string b, string v) => v.StartsWith(b, StringComparison.Ordinal),
        (byte[] b, byte[] v) => v.AsSpan().StartsWith(b),
        _ => false,
    };

    private static bool StartsWithMightMatch(FieldRange range, string prefix)
    {
        if (!range.MayContainNonNull)
        {
            return false;
        }

        if (range.Lower is string lower)
        {
            var lowerPrefix = IcebergValueComparer.Utf8Prefix(lower, CodePoints(prefix));
            if (IcebergValueComparer.CompareCodePoints(lowerPrefix, prefix) > 0)
            {
                return false;
            }
        }

        if (range.Upper is string upper && CodePoints(upper) >= CodePoints(prefix))
        {
            var upperPrefix = IcebergValueComparer.Utf8Prefix(upper, CodePoints(prefix));
            if (IcebergValueComparer.CompareCodePoints(upperPrefix, prefix) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int CodePoints(string s)
    {
        var n = 0;
        foreach (var unused in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}
