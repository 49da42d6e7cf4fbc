using System.Text.Json.Nodes;

namespace Lakehouse.Iceberg.Manifests;

public enum AvroKind
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

/// <summary>An Avro schema (specification 1.11), enough to decode and encode manifest files.</summary>
public class AvroSchema
{
    public AvroSchema(AvroKind kind) => Kind = kind;

    public AvroKind Kind { get; }

    /// <summary>The <c>logicalType</c> annotation, when present.</summary>
    public string? LogicalType { get; init; }

    /// <summary>The schema's JSON, kept so a writer can embed it unchanged.</summary>
    public JsonNode? Json { get; init; }

    public static AvroSchema Parse(string json)
    {
        var node = JsonNode.Parse(json) ?? throw new IcebergException(IcebergException.InvalidManifest, "Avro schema is empty");
        return Parse(node, new Dictionary<string, AvroSchema>(StringComparer.Ordinal), null);
    }

    private static AvroSchema Parse(JsonNode node, Dictionary<string, AvroSchema> named, string? enclosingNamespace)
    {
        switch (node)
        {
            case JsonValue v:
            {
                var name = v.GetValue<string>();
                return Primitive(name, node) ?? (named.TryGetValue(name, out var s) ? s
                    : named.TryGetValue(Qualify(name, enclosingNamespace), out var q) ? q
                    : throw Invalid($"unknown Avro type name '{name}'"));
            }

            case JsonArray branches:
            {
                var list = new List<AvroSchema>(branches.Count);
                foreach (var b in branches)
                {
                    list.Add(Parse(b!, named, enclosingNamespace));
                }

                return new AvroUnionSchema(list) { Json = node };
            }

            case JsonObject obj:
            {
                var type = obj["type"] ?? throw Invalid("Avro schema object without 'type'");
                var logical = obj["logicalType"]?.GetValue<string>();
                if (type is not JsonValue typeValue)
                {
                    return Parse(type, named, enclosingNamespace);
                }

                var typeName = typeValue.GetValue<string>();
                switch (typeName)
                {
                    case "record":
                    case "error":
                    {
                        var name = obj["name"]?.GetValue<string>() ?? throw Invalid("Avro record without 'name'");
                        var ns = obj["namespace"]?.GetValue<string>() ?? enclosingNamespace;
                        var record = new AvroRecordSchema(name) { Json = node };
                        named[name] = record;
                        named[Qualify(name, ns)] = record;
                        var fields = obj["fields"] as JsonArray ?? throw Invalid($"Avro record '{name}' without 'fields'");
                        foreach (var f in fields)
                        {
                            var fo = f!.AsObject();
                            var fieldName = fo["name"]?.GetValue<string>() ?? throw Invalid($"a field of Avro record '{name}' has no name");
                            var fieldSchema = Parse(fo["type"] ?? throw Invalid($"field '{fieldName}' has no type"), named, ns);
                            int? fieldId = fo["field-id"] is { } id ? ReadInt(id) : null;
                            record.AddField(new AvroField(fieldName, fieldSchema, fieldId, fo["default"]));
                        }

                        return record;
                    }

                    case "enum":
                    {
                        var name = obj["name"]?.GetValue<string>() ?? throw Invalid("Avro enum without 'name'");
                        var symbols = (obj["symbols"] as JsonArray ?? throw Invalid($"Avro enum '{name}' without symbols")).Select(s => s!.GetValue<string>()).ToList();
                        var e = new AvroEnumSchema(symbols) { Json = node };
                        named[name] = e;
                        return e;
                    }

                    case "array":
                        return new AvroArraySchema(Parse(obj["items"] ?? throw Invalid("Avro array without 'items'"), named, enclosingNamespace))
                        {
                            Json = node,
                            LogicalType = logical,
                            ElementId = obj["element-id"] is { } eid ? ReadInt(eid) : null,
                        };
                    case "map":
                        return new AvroMapSchema(Parse(obj["values"] ?? throw Invalid("Avro map without 'values'"), named, enclosingNamespace))
                        {
                            Json = node,
                            KeyId = obj["key-id"] is { } kid ? ReadInt(kid) : null,
                            ValueId = obj["value-id"] is { } vid ? ReadInt(vid) : null,
                        };
                    case "fixed":
                    {
                        var name = obj["name"]?.GetValue<string>() ?? throw Invalid("Avro fixed without 'name'");
                        var f = new AvroFixedSchema(obj["size"]?.GetValue<int>() ?? throw Invalid($"Avro fixed '{name}' without 'size'")) { Json = node, LogicalType = logical };
                        named[name] = f;
                        return f;
                    }

                    default:
                        return WithLogical(Primitive(typeName, node) ?? (named.TryGetValue(typeName, out var s) ? s : throw Invalid($"unknown Avro type '{typeName}'")), logical, node);
                }
            }

            default:
                throw Invalid("invalid Avro schema");
        }
    }

    private static AvroSchema WithLogical(AvroSchema schema, string? logical, JsonNode node) =>
        logical is null || schema is not { Kind: < AvroKind.Record } ? schema : new AvroSchema(schema.Kind) { LogicalType = logical, Json = node };

    private static AvroSchema? Primitive(string name, JsonNode node) => name switch
    {
        "null" => new AvroSchema(AvroKind.Null) { Json = node },
        "boolean" => new AvroSchema(AvroKind.Boolean) { Json = node },
        "int" => new AvroSchema(AvroKind.Int) { Json = node },
        "long" => new AvroSchema(AvroKind.Long) { Json = node },
        "float" => new AvroSchema(AvroKind.Float) { Json = node },
        "double" => new AvroSchema(AvroKind.Double) { Json = node },
        "bytes" => new AvroSchema(AvroKind.Bytes) { Json = node },
        "string" => new AvroSchema(AvroKind.String) { Json = node },
        _ => null,
    };

    private static int ReadInt(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : node.GetValue<int>();

    private static string Qualify(string name, string? ns) => ns is null || name.Contains('.', StringComparison.Ordinal) ? name : ns + "." + name;

    private static IcebergException Invalid(string message) => new(IcebergException.InvalidManifest, message);
}

public sealed record AvroField(string Name, AvroSchema Schema, int? FieldId, JsonNode? Default);

public sealed class AvroRecordSchema : AvroSchema
{
    private readonly List<AvroField> _fields = new();
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    public AvroRecordSchema(string name)
        : base(AvroKind.Record) => Name = name;

    public string Name { get; }

    public IReadOnlyList<AvroField> Fields => _fields;

    public int IndexOf(string name) => _indexByName.GetValueOrDefault(name, -1);

    internal void AddField(AvroField field)
    {
        _indexByName[field.Name] = _fields.Count;
        _fields.Add(field);
    }
}

public sealed class AvroEnumSchema : AvroSchema
{
    public AvroEnumSchema(IReadOnlyList<string> symbols)
        : base(AvroKind.Enum) => Symbols = symbols;

    public IReadOnlyList<string> Symbols { get; }
}

public sealed class AvroArraySchema : AvroSchema
{
    public AvroArraySchema(AvroSchema items)
        : base(AvroKind.Array) => Items = items;

    public AvroSchema Items { get; }

    public int? ElementId { get; init; }
}

public sealed class AvroMapSchema : AvroSchema
{
    public AvroMapSchema(AvroSchema values)
        : base(AvroKind.Map) => Values = values;

    public AvroSchema Values { get; }

    public int? KeyId { get; init; }

    public int? ValueId { get; init; }
}

public sealed class AvroUnionSchema : AvroSchema
{
    public AvroUnionSchema(IReadOnlyList<AvroSchema> branches)
        : base(AvroKind.Union) => Branches = branches;

    public IReadOnlyList<AvroSchema> Branches { get; }
}

public sealed class AvroFixedSchema : AvroSchema
{
    public AvroFixedSchema(int size)
        : base(AvroKind.Fixed) => Size = size;

    public int Size { get; }
}

/// <summary>A decoded Avro record: values in schema field order.</summary>
public sealed class AvroRecord
{
    public AvroRecord(AvroRecordSchema schema, object?[] values)
    {
        Schema = schema;
        Values = values;
    }

    public AvroRecordSchema Schema { get; }

    public object?[] Values { get; }

    public bool Has(string name) => Schema.IndexOf(name) >= 0;

    public object? Get(string name)
    {
        var i = Schema.IndexOf(name);
        return i < 0 ? null : Values[i];
    }
}
