namespace Lakehouse.Sql.Ast;

/// <summary>
/// A type as written in SQL. <see cref="Name"/> is canonical and lower-case: boolean, tinyint, smallint, integer, bigint,
/// real, double, decimal, varchar, char, varbinary, date, time, "time with time zone", timestamp,
/// "timestamp with time zone", "interval day to second", "interval year to month", uuid, json, array, map, row;
/// any other name is kept as written (lower-cased). <see cref="Parameters"/> holds numeric parameters
/// (length, precision, scale) in order; <see cref="Fields"/> holds element types: one for array, key and value for map,
/// the (optionally named) fields for row.
/// </summary>
public sealed record DataTypeSyntax(string Name, IReadOnlyList<long> Parameters, IReadOnlyList<DataTypeField> Fields) : Node
{
    public static DataTypeSyntax Simple(string name) => new(name, Array.Empty<long>(), Array.Empty<DataTypeField>());
}

/// <summary>An element of a composite type; <see cref="Name"/> is set only for named row fields.</summary>
public sealed record DataTypeField(Identifier? Name, DataTypeSyntax Type) : Node;
