using System.Text.Json.Nodes;

namespace Lakehouse.Iceberg.Types;

/// <summary>Type ids of the Iceberg table spec (primitive and nested).</summary>
public enum TypeId
{
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Decimal,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    TimestampNs,
    TimestampTzNs,
    String,
    Uuid,
    Fixed,
    Binary,
    Unknown,
    Variant,
    Geometry,
    Geography,
    Struct,
    List,
    Map,
}

/// <summary>
/// An Iceberg type. Values of primitive types are represented in .NET as:
/// boolean → bool, int → int, long → long, float → float, double → double,
/// decimal → <see cref="System.Numerics.BigInteger"/> unscaled value (scale from the type),
/// date → int days since 1970-01-01, time → long microseconds since midnight,
/// timestamp/timestamptz → long microseconds since epoch, timestamp_ns/timestamptz_ns → long nanoseconds,
/// string → string, uuid → <see cref="Guid"/>, fixed/binary → byte[].
/// </summary>
public abstract class IcebergType
{
    public abstract TypeId Id { get; }

    public bool IsPrimitive => this is PrimitiveType;

    public bool IsNested => !IsPrimitive;

    public StructType AsStruct() => (StructType)this;
}

public class PrimitiveType : IcebergType
{
    public static readonly PrimitiveType Boolean = new(TypeId.Boolean, "boolean");
    public static readonly PrimitiveType Int = new(TypeId.Int, "int");
    public static readonly PrimitiveType Long = new(TypeId.Long, "long");
    public static readonly PrimitiveType Float = new(TypeId.Float, "float");
    public static readonly PrimitiveType Double = new(TypeId.Double, "double");
    public static readonly PrimitiveType Date = new(TypeId.Date, "date");
    public static readonly PrimitiveType Time = new(TypeId.Time, "time");
    public static readonly PrimitiveType Timestamp = new(TypeId.Timestamp, "timestamp");
    public static readonly PrimitiveType TimestampTz = new(TypeId.TimestampTz, "timestamptz");
    public static readonly PrimitiveType TimestampNs = new(TypeId.TimestampNs, "timestamp_ns");
    public static readonly PrimitiveType TimestampTzNs = new(TypeId.TimestampTzNs, "timestamptz_ns");
    public static readonly PrimitiveType String = new(TypeId.String, "string");
    public static readonly PrimitiveType Uuid = new(TypeId.Uuid, "uuid");
    public static readonly PrimitiveType Binary = new(TypeId.Binary, "binary");
    public static readonly PrimitiveType Unknown = new(TypeId.Unknown, "unknown");
    public static readonly PrimitiveType Variant = new(TypeId.Variant, "variant");

    private readonly string _name;

    protected PrimitiveType(TypeId id, string name)
    {
        Id = id;
        _name = name;
    }

    public override TypeId Id { get; }

    public override string ToString() => _name;

    public override bool Equals(object? obj) => obj is PrimitiveType other && other.ToString() == ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

public sealed class DecimalType : PrimitiveType
{
    public DecimalType(int precision, int scale)
        : base(TypeId.Decimal, $"decimal({precision}, {scale})")
    {
        Precision = precision;
        Scale = scale;
    }

    public int Precision { get; }

    public int Scale { get; }
}

public sealed class FixedType : PrimitiveType
{
    public FixedType(int length)
        : base(TypeId.Fixed, $"fixed[{length}]") => Length = length;

    public int Length { get; }
}

/// <summary>geometry / geography (v3): parsed so v3 metadata loads; values are WKB bytes.</summary>
public sealed class GeoType : PrimitiveType
{
    public GeoType(TypeId id, string text)
        : base(id, text)
    {
    }
}

public sealed class NestedField
{
    public NestedField(int id, string name, bool required, IcebergType type, string? doc = null, JsonNode? initialDefault = null, JsonNode? writeDefault = null)
    {
        Id = id;
        Name = name;
        Required = required;
        Type = type;
        Doc = doc;
        InitialDefault = initialDefault;
        WriteDefault = writeDefault;
    }

    public int Id { get; }

    public string Name { get; }

    public bool Required { get; }

    public bool IsOptional => !Required;

    public IcebergType Type { get; }

    public string? Doc { get; }

    /// <summary>v3 <c>initial-default</c> in the spec's JSON single-value form; null when absent.</summary>
    public JsonNode? InitialDefault { get; }

    public JsonNode? WriteDefault { get; }

    public override string ToString() => $"{Id}: {Name}: {(Required ? "required" : "optional")} {Type}";
}

public sealed class StructType : IcebergType
{
    private Dictionary<int, NestedField>? _byId;

    public StructType(IReadOnlyList<NestedField> fields) => Fields = fields;

    public override TypeId Id => TypeId.Struct;

    public IReadOnlyList<NestedField> Fields { get; }

    public NestedField? FieldById(int id)
    {
        _byId ??= Fields.ToDictionary(f => f.Id);
        return _byId.GetValueOrDefault(id);
    }

    public NestedField? FieldByName(string name, bool caseSensitive = true)
    {
        foreach (var f in Fields)
        {
            if (string.Equals(f.Name, name, caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }

        return null;
    }

    public override string ToString() => $"struct<{string.Join(", ", Fields)}>";
}

public sealed class ListType : IcebergType
{
    public ListType(int elementId, bool elementRequired, IcebergType elementType)
    {
        ElementId = elementId;
        ElementRequired = elementRequired;
        ElementType = elementType;
    }

    public override TypeId Id => TypeId.List;

    public int ElementId { get; }

    public bool ElementRequired { get; }

    public IcebergType ElementType { get; }

    public NestedField ElementField => new(ElementId, "element", ElementRequired, ElementType);

    public override string ToString() => $"list<{ElementType}>";
}

public sealed class MapType : IcebergType
{
    public MapType(int keyId, IcebergType keyType, int valueId, bool valueRequired, IcebergType valueType)
    {
        KeyId = keyId;
        KeyType = keyType;
        ValueId = valueId;
        ValueRequired = valueRequired;
        ValueType = valueType;
    }

    public override TypeId Id => TypeId.Map;

    public int KeyId { get; }

    public IcebergType KeyType { get; }

    public int ValueId { get; }

    public bool ValueRequired { get; }

    public IcebergType ValueType { get; }

    public NestedField KeyField => new(KeyId, "key", true, KeyType);

    public NestedField ValueField => new(ValueId, "value", ValueRequired, ValueType);

    public override string ToString() => $"map<{KeyType}, {ValueType}>";
}

/// <summary>A table schema: a top-level struct with a schema id.</summary>
public sealed class Schema
{
    private Dictionary<int, NestedField>? _allFieldsById;

    public Schema(int schemaId, IReadOnlyList<NestedField> fields, IReadOnlyList<int>? identifierFieldIds = null)
    {
        SchemaId = schemaId;
        Struct = new StructType(fields);
        IdentifierFieldIds = identifierFieldIds ?? Array.Empty<int>();
    }

    public int SchemaId { get; }

    public StructType Struct { get; }

    public IReadOnlyList<NestedField> Columns => Struct.Fields;

    public IReadOnlyList<int> IdentifierFieldIds { get; }

    /// <summary>Finds a field at any nesting depth by id.</summary>
    public NestedField? FindField(int fieldId)
    {
        if (_allFieldsById is null)
        {
            var map = new Dictionary<int, NestedField>();
            foreach (var f in Columns)
            {
                Index(f, map);
            }

            _allFieldsById = map;
        }

        return _allFieldsById.GetValueOrDefault(fieldId);
    }

    public NestedField? FindColumn(string name, bool caseSensitive = false) => Struct.FieldByName(name, caseSensitive);

    public int HighestFieldId()
    {
        FindField(0);
        return _allFieldsById!.Count == 0 ? 0 : _allFieldsById.Keys.Max();
    }

    private static void Index(NestedField field, Dictionary<int, NestedField> map)
    {
        map[field.Id] = field;
        switch (field.Type)
        {
            case StructType s:
                foreach (var f in s.Fields)
                {
                    Index(f, map);
                }

                break;
            case ListType l:
                Index(l.ElementField, map);
                break;
            case MapType m:
                Index(m.KeyField, map);
                Index(m.ValueField, map);
                break;
        }
    }
}
