using System.Numerics;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Types;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>
/// Turns the planner's pushdown filter (over column indexes, engine value forms) into an Iceberg
/// pruning expression (over field ids, Iceberg value forms). A conjunct that cannot be expressed
/// becomes "always true", which only costs pruning, never correctness: the engine filters rows again.
/// </summary>
internal static class PushdownTranslator
{
    public static IcebergExpression Translate(PushdownFilter? filter, IReadOnlyList<NestedField> columns)
    {
        if (filter is null)
        {
            return AlwaysTrue.Instance;
        }

        return Convert(filter, columns) ?? AlwaysTrue.Instance;
    }

    /// <summary>Returns null when the filter cannot be expressed exactly enough to prune with.</summary>
    private static IcebergExpression? Convert(PushdownFilter filter, IReadOnlyList<NestedField> columns)
    {
        switch (filter)
        {
            case PushdownAnd and:
            {
                IcebergExpression? result = null;
                foreach (var child in and.Children)
                {
                    // Dropping one side of an AND only widens what is kept: still safe.
                    var converted = Convert(child, columns);
                    if (converted is null)
                    {
                        continue;
                    }

                    result = result is null ? converted : new And(result, converted);
                }

                return result;
            }

            case PushdownOr or:
            {
                IcebergExpression? result = null;
                foreach (var child in or.Children)
                {
                    var converted = Convert(child, columns);
                    if (converted is null)
                    {
                        return null;
                    }

                    result = result is null ? converted : new Or(result, converted);
                }

                return result;
            }

            case PushdownNot not:
            {
                // NOT over a widened child would narrow: only translate exact children.
                var child = ConvertExact(not.Child, columns);
                return child is null ? null : new Not(child);
            }

            default:
                return ConvertExact(filter, columns);
        }
    }

    private static IcebergExpression? ConvertExact(PushdownFilter filter, IReadOnlyList<NestedField> columns)
    {
        switch (filter)
        {
            case PushdownCompare compare when TryField(columns, compare.Column, out var field):
            {
                var value = ToIcebergValue(field.Type, compare.Value);
                return value is null ? null : new Comparison(field.Id, ToIceberg(compare.Operator), value);
            }

            case PushdownIsNull isNull when TryField(columns, isNull.Column, out var field):
                return new IsNull(field.Id);

            case PushdownIsNotNull notNull when TryField(columns, notNull.Column, out var field):
                return new NotNull(field.Id);

            case PushdownIn inList when TryField(columns, inList.Column, out var field):
            {
                var values = new List<object>(inList.Values.Count);
                foreach (var v in inList.Values)
                {
                    var converted = ToIcebergValue(field.Type, v);
                    if (converted is null)
                    {
                        return null;
                    }

                    values.Add(converted);
                }

                return new In(field.Id, values);
            }

            case PushdownStartsWith startsWith when TryField(columns, startsWith.Column, out var field) && field.Type.Id == TypeId.String:
                return new StartsWith(field.Id, startsWith.Prefix);

            case PushdownAnd or PushdownOr:
            {
                var converted = Convert(filter, columns);
                return converted;
            }

            default:
                return null;
        }
    }

    private static bool TryField(IReadOnlyList<NestedField> columns, int index, out NestedField field)
    {
        if (index >= 0 && index < columns.Count && columns[index].Type.IsPrimitive)
        {
            field = columns[index];
            return true;
        }

        field = null!;
        return false;
    }

    private static ComparisonOperator ToIceberg(PushdownComparison op) => op switch
    {
        PushdownComparison.Equal => ComparisonOperator.Equal,
        PushdownComparison.NotEqual => ComparisonOperator.NotEqual,
        PushdownComparison.LessThan => ComparisonOperator.LessThan,
        PushdownComparison.LessThanOrEqual => ComparisonOperator.LessThanOrEqual,
        PushdownComparison.GreaterThan => ComparisonOperator.GreaterThan,
        _ => ComparisonOperator.GreaterThanOrEqual,
    };

    /// <summary>Engine scalar form → Iceberg value form for a column type, or null if not representable.</summary>
    internal static object? ToIcebergValue(IcebergType type, object value)
    {
        switch (type.Id)
        {
            case TypeId.Boolean:
                return value as bool?;
            case TypeId.Int:
                return value switch
                {
                    int i => i,
                    short s => (int)s,
                    sbyte b => (int)b,
                    long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
                    _ => null,
                };
            case TypeId.Long:
                return value switch
                {
                    long l => l,
                    int i => (long)i,
                    short s => (long)s,
                    sbyte b => (long)b,
                    _ => null,
                };
            case TypeId.Float:
                return value switch
                {
                    float f => f,
                    _ => null,
                };
            case TypeId.Double:
                return value switch
                {
                    double d => d,
                    float f => (double)f,
                    _ => null,
                };
            case TypeId.Decimal:
                return value switch
                {
                    Int128 unscaled => (BigInteger)unscaled,
                    _ => null,
                };
            case TypeId.Date:
                return value is int days ? days : null;
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                return value is long micros ? micros : null;
            case TypeId.String:
                return value as string;
            case TypeId.Uuid:
                return value is Guid g ? g : null;
            case TypeId.Fixed:
            case TypeId.Binary:
                return value as byte[];
            default:
                return null;
        }
    }
}
