using Lakehouse.Sql.Ast;

namespace Lakehouse.Sql;

/// <summary>
/// Structural equality of syntax trees that ignores source positions and the letter case of unquoted identifiers,
/// e.g. to match a GROUP BY expression against a select-list expression.
/// </summary>
public sealed class SyntaxComparer : IEqualityComparer<Node>
{
    public static SyntaxComparer Instance { get; } = new();

    public bool Equals(Node? x, Node? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.GetType() != y.GetType())
        {
            return false;
        }

        return string.Equals(SqlFormatter.FormatNormalized(x), SqlFormatter.FormatNormalized(y), StringComparison.Ordinal);
    }

    public int GetHashCode(Node obj) => StringComparer.Ordinal.GetHashCode(SqlFormatter.FormatNormalized(obj));
}
