using Apache.Arrow.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding;

/// <summary>A column visible to expressions: its relation alias (if any), name and position in the input row.</summary>
public sealed record ScopeColumn(string? Qualifier, string Name, IArrowType Type, int Index);

/// <summary>Columns visible in a query block, with name resolution rules.</summary>
public sealed class Scope
{
    public Scope(IReadOnlyList<ScopeColumn> columns) => Columns = columns;

    public static Scope Empty { get; } = new([]);

    public IReadOnlyList<ScopeColumn> Columns { get; }

    public Scope Concat(Scope right)
    {
        var columns = new List<ScopeColumn>(Columns.Count + right.Columns.Count);
        columns.AddRange(Columns);
        foreach (var column in right.Columns)
        {
            columns.Add(column with { Index = column.Index + Columns.Count });
        }

        return new Scope(columns);
    }

    public bool HasQualifier(Identifier qualifier)
    {
        foreach (var column in Columns)
        {
            if (column.Qualifier is not null && string.Equals(column.Qualifier, qualifier.Text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Finds a column: exact spelling first, then case-insensitively if that is unique.
    /// Returns null when nothing matches; throws when the name is ambiguous.
    /// </summary>
    public ScopeColumn? Find(Identifier? qualifier, Identifier name)
    {
        ScopeColumn? exact = null;
        int exactCount = 0;
        ScopeColumn? loose = null;
        int looseCount = 0;
        foreach (var column in Columns)
        {
            if (qualifier is not null && (column.Qualifier is null || !string.Equals(column.Qualifier, qualifier.Text, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (string.Equals(column.Name, name.Text, StringComparison.Ordinal))
            {
                exact = column;
                exactCount++;
            }
            else if (string.Equals(column.Name, name.Text, StringComparison.OrdinalIgnoreCase))
            {
                loose = column;
                looseCount++;
            }
        }

        var span = name.Span;
        if (exactCount == 1)
        {
            return exact;
        }

        if (exactCount > 1)
        {
            throw new PlanningException(PlanningException.AmbiguousName, $"{span}: column '{name.Text}' is ambiguous");
        }

        if (looseCount == 1)
        {
            return loose;
        }

        if (looseCount > 1)
        {
            throw new PlanningException(PlanningException.AmbiguousName, $"{span}: column '{name.Text}' is ambiguous");
        }

        return null;
    }
}
