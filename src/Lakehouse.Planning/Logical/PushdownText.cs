using Apache.Arrow;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Logical;

/// <summary>Readable form of a pushdown filter for EXPLAIN.</summary>
public static class PushdownText
{
    public static string Describe(PushdownFilter filter, Schema schema) => filter switch
    {
        PushdownAnd and => "(" + string.Join(" AND ", Each(and.Children, schema)) + ")",
        PushdownOr or => "(" + string.Join(" OR ", Each(or.Children, schema)) + ")",
        PushdownNot not => "(NOT " + Describe(not.Child, schema) + ")",
        PushdownCompare compare => $"{Name(compare.Column, schema)} {Operator(compare.Operator)} {Value(compare.Value, compare.Column, schema)}",
        PushdownIsNull isNull => $"{Name(isNull.Column, schema)} IS NULL",
        PushdownIsNotNull isNotNull => $"{Name(isNotNull.Column, schema)} IS NOT NULL",
        PushdownIn @in => $"{Name(@in.Column, schema)} IN ({string.Join(", ", EachValue(@in.Values, @in.Column, schema))})",
        PushdownStartsWith startsWith => $"{Name(startsWith.Column, schema)} STARTS WITH '{startsWith.Prefix}'",
        _ => filter.ToString(),
    };

    private static List<string> Each(IReadOnlyList<PushdownFilter> children, Schema schema)
    {
        var parts = new List<string>(children.Count);
        foreach (var child in children)
        {
            parts.Add(Describe(child, schema));
        }

        return parts;
    }

    private static List<string> EachValue(IReadOnlyList<object> values, int column, Schema schema)
    {
        var parts = new List<string>(values.Count);
        foreach (var value in values)
        {
            parts.Add(Value(value, column, schema));
        }

        return parts;
    }

    private static string Name(int column, Schema schema) => schema.FieldsList[column].Name;

    private static string Value(object value, int column, Schema schema) =>
        ScalarText.ToSqlLiteral(value, schema.FieldsList[column].DataType);

    private static string Operator(PushdownComparison comparison) => comparison switch
    {
        PushdownComparison.Equal => "=",
        PushdownComparison.NotEqual => "<>",
        PushdownComparison.LessThan => "<",
        PushdownComparison.LessThanOrEqual => "<=",
        PushdownComparison.GreaterThan => ">",
        _ => ">=",
    };
}
