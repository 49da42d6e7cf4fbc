namespace Lakehouse.Iceberg.Expressions;

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
}

/// <summary>
/// A filter over table columns (referenced by field id), used to prune manifests and files.
/// Literals use the .NET value forms of <see cref="Types.IcebergType"/> and are already converted to
/// the column's type. Pruning is conservative: a file is dropped only when no row in it can match;
/// rows are filtered exactly by the query engine afterwards.
/// </summary>
public abstract record IcebergExpression;

public sealed record AlwaysTrue : IcebergExpression
{
    public static readonly AlwaysTrue Instance = new();
}

public sealed record AlwaysFalse : IcebergExpression
{
    public static readonly AlwaysFalse Instance = new();
}

public sealed record And(IcebergExpression Left, IcebergExpression Right) : IcebergExpression;

public sealed record Or(IcebergExpression Left, IcebergExpression Right) : IcebergExpression;

public sealed record Not(IcebergExpression Child) : IcebergExpression;

public sealed record Comparison(int FieldId, ComparisonOperator Operator, object Value) : IcebergExpression;

public sealed record IsNull(int FieldId) : IcebergExpression;

public sealed record NotNull(int FieldId) : IcebergExpression;

public sealed record IsNaN(int FieldId) : IcebergExpression;

public sealed record In(int FieldId, IReadOnlyList<object> Values) : IcebergExpression;

/// <summary>String prefix match (from <c>LIKE 'abc%'</c>).</summary>
public sealed record StartsWith(int FieldId, string Prefix) : IcebergExpression;
