namespace Lakehouse.Sql.Ast;

/// <summary>Location of a node in the SQL text: zero-based character offset, one-based line and column, length in characters.</summary>
public readonly record struct SourceSpan(int Start, int Line, int Column, int Length)
{
    public static SourceSpan None => default;

    public int End => Start + Length;

    public override string ToString() => $"line {Line}:{Column}";
}

/// <summary>
/// Base of every syntax node. Record equality includes <see cref="Span"/> and compares lists by reference;
/// use <see cref="SyntaxComparer"/> to compare trees structurally (ignoring positions).
/// </summary>
public abstract record Node
{
    public SourceSpan Span { get; init; }

    public sealed override string ToString() => SqlFormatter.Format(this);
}

/// <summary>An identifier as written. Unquoted identifiers are case-insensitive; quoted ones keep their exact text.</summary>
public sealed record Identifier(string Text, bool Quoted) : Node
{
    /// <summary>Case-normalized name: lower-cased for unquoted identifiers, exact text for quoted ones.</summary>
    public string Value => Quoted ? Text : Text.ToLowerInvariant();

    public bool Matches(string name) =>
        Quoted ? string.Equals(Text, name, StringComparison.Ordinal) : string.Equals(Text, name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A dotted name such as <c>catalog.schema.table</c> or <c>t.column</c>.</summary>
public sealed record QualifiedName(IReadOnlyList<Identifier> Parts) : Node
{
    public Identifier Last => Parts[^1];

    /// <summary>Case-normalized dotted text, e.g. <c>db.orders</c>.</summary>
    public string Value => string.Join('.', Parts.Select(part => part.Value));

    public static QualifiedName Of(params string[] parts) =>
        new(parts.Select(part => new Identifier(part, false)).ToArray());
}
