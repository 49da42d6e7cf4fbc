using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Metadata;

/// <summary>Reads and writes schemas and types in the JSON forms of the Iceberg spec (Appendix C).</summary>
public static class SchemaJson
{
    public static Schema ParseSchema(JsonNode? node, int defaultSchemaId = 0)
    {
        var obj = node as JsonObject ?? throw Invalid("a schema must be a JSON object");
        if (obj["type"]?.GetValue<string>() != "struct")
        {
            throw Invalid("a schema must have \"type\": \"struct\"");
        }

        var schemaId = obj["schema-id"] is { } id ? id.GetValue<int>() : defaultSchemaId;
        var structType = ParseStruct(obj);
        List<int>? identifiers = null;
        if (obj["identifier-field-ids"] is JsonArray ids)
        {
            identifiers = new List<int>(ids.Count);
            foreach (var i in ids)
            {
                identifiers.Add(i!.GetValue<int>());
            }
        }

        return new Schema(schemaId, structType.Fields, identifiers);
    }

    public static IcebergType ParseType(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var text):
                return ParsePrimitive(text);
            case JsonObject obj:
                var kind = obj["type"]?.GetValue<string>();
                return kind switch
                {
                    "struct" => ParseStruct(obj),
                    "list" => new ListType(
                        Required(obj, "element-id").GetValue<int>(),
                        Required(obj, "element-required").GetValue<bool>(),
                        ParseType(Required(obj, "element"))),
                    "map" => new MapType(
                        Required(obj, "key-id").GetValue<int>(),
                        ParseType(Required(obj, "key")),
                        Required(obj, "value-id").GetValue<int>(),
                        Required(obj, "value-required").GetValue<bool>(),
                        ParseType(Required(obj, "value"))),
                    _ => throw Invalid($"unknown nested type '{kind}'"),
                };
            default:
                throw Invalid($"invalid type {node?.ToJsonString() ?? "null"}");
        }
    }

    public static PrimitiveType ParsePrimitive(string text)
    {
        var t = text.Trim();
        switch (t)
        {
            case "boolean": return PrimitiveType.Boolean;
            case "int": return PrimitiveType.Int;
            case "long": return PrimitiveType.Long;
            case "float": return PrimitiveType.Float;
            case "double": return PrimitiveType.Double;
            case "date": return PrimitiveType.Date;
            case "time": return PrimitiveType.Time;
            case "timestamp": return PrimitiveType.Timestamp;
            case "timestamptz": return PrimitiveType.TimestampTz;
            case "timestamp_ns": return PrimitiveType.TimestampNs;
            case "timestamptz_ns": return PrimitiveType.TimestampTzNs;
            case "string": return PrimitiveType.String;
            case "uuid": return PrimitiveType.Uuid;
            case "binary": return PrimitiveType.Binary;
            case "unknown": return PrimitiveType.Unknown;
            case "variant": return PrimitiveType.Variant;
        }

        if (t.StartsWith("decimal(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            var parts = t[8..^1].Split(',');
            if (parts.Length == 2
                && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var precision)
                && int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var scale)
                && precision >= 1 && scale <= precision)
            {
                return new DecimalType(precision, scale);
            }
        }
        else if (t.StartsWith("fixed[", StringComparison.Ordinal) && t.EndsWith(']')
                 && int.TryParse(t.AsSpan(6, t.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0)
        {
            return new FixedType(length);
        }
        else if (t == "geometry" || t.StartsWith("geometry(", StringComparison.Ordinal))
        {
            return new GeoType(TypeId.Geometry, t);
        }
        else if (t == "geography" || t.StartsWith("geography(", StringComparison.Ordinal))
        {
            return new GeoType(TypeId.Geography, t);
        }

        throw Invalid($"unknown type '{text}'");
    }

    public static JsonObject ToJson(Schema schema)
    {
        var obj = StructToJson(schema.Struct);
        obj.Insert(1, "schema-id", schema.SchemaId);
        if (schema.IdentifierFieldIds.Count > 0)
        {
            var ids = new JsonArray();
            foreach (var id in schema.IdentifierFieldIds)
            {
                ids.Add(id);
            }

            obj["identifier-field-ids"] = ids;
        }

        return obj;
    }

    public static JsonNode TypeToJson(IcebergType type) => type switch
    {
        StructType s => StructToJson(s),
        ListType l => new JsonObject
        {
            ["type"] = "list",
            ["element-id"] = l.ElementId,
            ["element"] = TypeToJson(l.ElementType),
            ["element-required"] = l.ElementRequired,
        },
        MapType m => new JsonObject
        {
            ["type"] = "map",
            ["key-id"] = m.KeyId,
            ["key"] = TypeToJson(m.KeyType),
            ["value-id"] = m.ValueId,
            ["value"] = TypeToJson(m.ValueType),
            ["value-required"] = m.ValueRequired,
        },
        DecimalType d => JsonValue.Create($"decimal({d.Precision},{d.Scale})"),
        _ => JsonValue.Create(type.ToString())!,
    };

    private static JsonObject StructToJson(StructType s)
    {
        var fields = new JsonArray();
        foreach (var f in s.Fields)
        {
            var field = new JsonObject
            {
                ["id"] = f.Id,
                ["name"] = f.Name,
                ["required"] = f.Required,
                ["type"] = TypeToJson(f.Type),
            };
            if (f.Doc is not null)
            {
                field["doc"] = f.Doc;
            }

            if (f.InitialDefault is not null)
            {
                field["initial-default"] = f.InitialDefault.DeepClone();
            }

            if (f.WriteDefault is not null)
            {
                field["write-default"] = f.WriteDefault.DeepClone();
            }

            fields.Add(field);
        }

        return new JsonObject { ["type"] = "struct", ["fields"] = fields };
    }

    private static StructType ParseStruct(JsonObject obj)
    {
        var fieldsNode = obj["fields"] as JsonArray ?? throw Invalid("a struct type needs a 'fields' array");
        var fields = new List<NestedField>(fieldsNode.Count);
        foreach (var node in fieldsNode)
        {
            var f = node as JsonObject ?? throw Invalid("a struct field must be a JSON object");
            var id = Required(f, "id").GetValue<int>();
            var name = Required(f, "name").GetValue<string>();
            var required = f["required"]?.GetValue<bool>() ?? false;
            var type = ParseType(Required(f, "type"));
            fields.Add(new NestedField(id, name, required, type, f["doc"]?.GetValue<string>(), f["initial-default"]?.DeepClone(), f["write-default"]?.DeepClone()));
        }

        return new StructType(fields);
    }

    private static JsonNode Required(JsonObject obj, string name) =>
        obj[name] ?? throw Invalid($"missing required field '{name}' in {Abbreviate(obj)}");

    private static string Abbreviate(JsonObject obj)
    {
        var text = obj.ToJsonString();
        return text.Length > 80 ? text[..80] + "..." : text;
    }

    private static IcebergException Invalid(string message) => new(IcebergException.InvalidMetadata, message);
}
