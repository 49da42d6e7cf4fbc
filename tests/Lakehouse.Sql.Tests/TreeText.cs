using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql.Tests;

/// <summary>Prints expression trees fully parenthesized, so tests can state the grouping the parser chose.</summary>
internal static class TreeText
{
    public static string Of(Expression expression) => expression switch
    {
        BinaryExpression binary => $"({SqlFormatter.OperatorText(binary.Operator)} {Of(binary.Left)} {Of(binary.Right)})",
        UnaryExpression unary => $"({unary.Operator} {Of(unary.Operand)})",
        IsNullExpression isNull => $"({(isNull.Negated ? "isnotnull" : "isnull")} {Of(isNull.Operand)})",
        IsDistinctFromExpression distinct => $"({(distinct.Negated ? "notdistinct" : "distinct")} {Of(distinct.Left)} {Of(distinct.Right)})",
        BetweenExpression between => $"({(between.Negated ? "notbetween" : "between")} {Of(between.Operand)} {Of(between.Low)} {Of(between.High)})",
        InListExpression inList => $"({(inList.Negated ? "notin" : "in")} {Of(inList.Operand)} [{string.Join(" ", inList.Values.Select(Of))}])",
        LikeExpression like => $"({(like.Negated ? "notlike" : "like")} {Of(like.Operand)} {Of(like.Pattern)}{(like.Escape is null ? string.Empty : " " + Of(like.Escape))})",
        AtTimeZoneExpression atTimeZone => $"(at {Of(atTimeZone.Operand)} {Of(atTimeZone.Zone)})",
        SubscriptExpression subscript => $"(subscript {Of(subscript.Base)} {Of(subscript.Index)})",
        DereferenceExpression dereference => $"(deref {Of(dereference.Base)} {dereference.Field.Value})",
        ColumnRef column => column.Name.Value,
        _ => SqlFormatter.Format(expression),
    };
}
