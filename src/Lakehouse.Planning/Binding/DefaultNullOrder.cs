namespace Lakehouse.Planning.Binding;

/// <summary>Where NULLs sort in ORDER BY items that do not say NULLS FIRST or NULLS LAST.</summary>
public enum DefaultNullOrder
{
    NullsLast,
    NullsFirst,
    NullsFirstOnAscending,
    NullsFirstOnDescending,
}
