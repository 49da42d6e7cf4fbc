using Apache.Arrow.Types;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Planning.Optimizer;

/// <summary>
/// Converts predicates over a scan's output into the connector's pushdown form (provider column
/// indexes, engine value forms). Only exact translations are produced; anything else stays with
/// the engine's own filter.
/// </summary>
public static class PushdownConverter
{
    /// <param name="columnIndexes">Scan output position to provider column index.</param>
    public static PushdownFilter? Convert(BoundExpression predicate, IReadOnlyList<int> columnIndexes)
    {
        switch (predicate)
        {
            case CallExpression { Function: ScalarFunction.And } and:
            {
                var children = new List<PushdownFilter>(and.Arguments.Count);
                foreach (var argument in and.Arguments)
                {
                    if (Convert(argument, columnIndexes) is { } converted)
                    {
                        children.Add(converted);
                    }
                }

                return children.Count switch
                {
                    0 => null,
                    1 => children[0],
                    _ => new PushdownAnd(children),
                };
            }

            case CallExpression { Function: ScalarFunction.Or } or:
            {
                var children = new List<PushdownFilter>(or.Arguments.Count);
                foreach (var argument in or.Arguments)
                {
                    var converted = Convert(argument, columnIndexes);
                    if (converted is null)
                    {
                        return null;
                    }

                    children.Add(converted);
                }

                return new PushdownOr(children);
            }

            case CallExpression { Function: ScalarFunction.Not } not:
                return ConvertExact(not.Arguments[0], columnIndexes) is { } inner ? new PushdownNot(inner) : null;

            default:
                return ConvertExact(predicate, columnIndexes);
        }
    }

    /// <summary>Leaves only: under NOT a partial AND would be wrong, so every part must convert.</summary>
    private static PushdownFilter? ConvertExact(BoundExpression predicate, IReadOnlyList<int> columnIndexes)
    {
        if (predicate is not CallExpression call)
        {
            return null;
        }

        switch (call.Function)
        {
            case ScalarFunction.IsNull or ScalarFunction.IsNotNull:
                if (ColumnOf(call.Arguments[0], columnIndexes, out int nullColumn, out _))
                {
                    return call.Function == ScalarFunction.IsNull ? new PushdownIsNull(nullColumn) : new PushdownIsNotNull(nullColumn);
                }

                return null;

            case ScalarFunction.Equal or ScalarFunction.NotEqual or ScalarFunction.LessThan or ScalarFunction.LessThanOrEqual
                or ScalarFunction.GreaterThan or ScalarFunction.GreaterThanOrEqual:
            {
                var op = ToComparison(call.Function);
                if (ColumnOf(call.Arguments[0], columnIndexes, out int column, out var columnType) && call.Arguments[1] is Literal { Value: { } right } rightLiteral
                    && ValueFor(right, rightLiteral.Type, columnType) is { } value)
                {
                    return new PushdownCompare(column, op, value);
                }

                if (ColumnOf(call.Arguments[1], columnIndexes, out column, out columnType) && call.Arguments[0] is Literal { Value: { } left } leftLiteral
                    && ValueFor(left, leftLiteral.Type, columnType) is { } flippedValue)
                {
                    return new PushdownCompare(column, Flip(op), flippedValue);
                }

                return null;
            }

            case ScalarFunction.In:
            {
                if (!ColumnOf(call.Arguments[0], columnIndexes, out int column, out var columnType))
                {
                    return null;
                }

                var values = new List<object>(call.Arguments.Count - 1);
                for (int i = 1; i < call.Arguments.Count; i++)
                {
                    if (call.Arguments[i] is not Literal literal)
                    {
                        return null;
                    }

                    if (literal.Value is null)
                    {
                        continue;
                    }

                    if (ValueFor(literal.Value, literal.Type, columnType) is not { } value)
                    {
                        return null;
                    }

                    values.Add(value);
                }

                return new PushdownIn(column, values);
            }

            case ScalarFunction.Like:
            {
                if (ColumnOf(call.Arguments[0], columnIndexes, out int column, out var columnType) && columnType is StringType
                    && call.Arguments[1] is Literal { Value: string pattern }
                    && (call.Arguments.Count < 3 || call.Arguments[2] is Literal { Value: null })
                    && LiteralPrefix(pattern) is { } prefix)
                {
                    return new PushdownStartsWith(column, prefix);
                }

                return null;
            }

            default:
                return null;
        }
    }

    /// <summary>For <c>'abc%'</c> patterns: the literal prefix, when nothing else in the pattern is a wildcard.</summary>
    private static string? LiteralPrefix(string pattern)
    {
        int percent = pattern.IndexOf('%', StringComparison.Ordinal);
        if (percent <= 0 || percent != pattern.Length - 1 || pattern.AsSpan(0, percent).IndexOf('_') >= 0)
        {
            return null;
        }

        return pattern[..percent];
    }

    private static bool ColumnOf(BoundExpression expression, IReadOnlyList<int> columnIndexes, out int column, out IArrowType type)
    {
        // A lossless widening cast of a column (int -> bigint, real -> double) keeps the comparison exact.
        if (expression is CastExpression { IsTry: false, Input: ColumnReference widened } cast && IsExactWidening(widened.Type, cast.Type))
        {
            column = columnIndexes[widened.Index];
            type = widened.Type;
            return true;
        }

        if (expression is ColumnReference reference)
        {
            column = columnIndexes[reference.Index];
            type = reference.Type;
            return true;
        }

        column = -1;
        type = NullType.Default;
        return false;
    }

    private static bool IsExactWidening(IArrowType from, IArrowType to) => (from, to) switch
    {
        (Int8Type or Int16Type or Int32Type, Int64Type) => true,
        (Int8Type or Int16Type, Int32Type) => true,
        (Int8Type, Int16Type) => true,
        _ => false,
    };

    /// <summary>The literal in the column's own value form, or null when it has no exact counterpart.</summary>
    private static object? ValueFor(object value, IArrowType literalType, IArrowType columnType)
    {
        if (Types.SqlTypes.AreEqual(literalType, columnType))
        {
            return value;
        }

        long integer;
        switch (value)
        {
            case long l:
                integer = l;
                break;
            case int i:
                integer = i;
                break;
            case short s:
                integer = s;
                break;
            case sbyte b:
                integer = b;
                break;
            default:
                return null;
        }

        return columnType switch
        {
            Int64Type => integer,
            Int32Type when integer is >= int.MinValue and <= int.MaxValue => (int)integer,
            Int16Type when integer is >= short.MinValue and <= short.MaxValue => (short)integer,
            Int8Type when integer is >= sbyte.MinValue and <= sbyte.MaxValue => (sbyte)integer,
            _ => null,
        };
    }

    private static PushdownComparison ToComparison(ScalarFunction function) => function switch
    {
        ScalarFunction.Equal => PushdownComparison.Equal,
        ScalarFunction.NotEqual => PushdownComparison.NotEqual,
        ScalarFunction.LessThan => PushdownComparison.LessThan,
        ScalarFunction.LessThanOrEqual => PushdownComparison.LessThanOrEqual,
        ScalarFunction.GreaterThan => PushdownComparison.GreaterThan,
        _ => PushdownComparison.GreaterThanOrEqual,
    };

    private static PushdownComparison Flip(PushdownComparison comparison) => comparison switch
    {
        PushdownComparison.LessThan => PushdownComparison.GreaterThan,
        PushdownComparison.LessThanOrEqual => PushdownComparison.GreaterThanOrEqual,
        PushdownComparison.GreaterThan => PushdownComparison.LessThan,
        PushdownComparison.GreaterThanOrEqual => PushdownComparison.LessThanOrEqual,
        _ => comparison,
    };
}
