using System.Text.Json;

namespace Lakehouse.Iceberg.Reading;

/// <summary>One entry of an Iceberg name mapping: the names a field id was written under.</summary>
public sealed record MappedField(int? FieldId, IReadOnlyList<string> Names, NameMapping? Nested);

/// <summary>
/// The table property <c>schema.name-mapping.default</c>: a list of <c>{field-id, names[], fields[]}</c>
/// used to assign field ids to columns of files written without them.
/// </summary>
public sealed class NameMapping
{
    public static readonly NameMapping Empty = new([]);

    public NameMapping(IReadOnlyList<MappedField> fields) => Fields = fields;

    public IReadOnlyList<MappedField> Fields { get; }

    /// <summary>Returns the mapped field id of a column named <paramref name="name"/> at this level, or null.</summary>
    public MappedField? FindByName(string name)
    {
        foreach (var field in Fields)
        {
            foreach (var candidate in field.Names)
            {
                if (string.Equals(candidate, name, StringComparison.Ordinal))
                {
                    return field;
                }
            }
        }

        return null;
    }

    public static NameMapping Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return ParseLevel(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new IcebergException(IcebergException.InvalidMetadata, $"invalid name mapping (schema.name-mapping.default): {e.Message}");
        }
    }

    private static NameMapping ParseLevel(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("expected a JSON array of mapped fields");
        }

        var fields = new List<MappedField>();
        foreach (var entry in array.EnumerateArray())
        {
            int? fieldId = entry.TryGetProperty("field-id", out var idElement) && idElement.ValueKind == JsonValueKind.Number
                ? idElement.GetInt32()
                : null;
            var names = new List<string>();
            if (entry.TryGetProperty("names", out var namesElement))
            {
                foreach (var n in namesElement.EnumerateArray())
                {
                    names.Add(n.GetString() ?? throw new FormatException("a mapped name is null"));
                }
            }

            NameMapping? nested = entry.TryGetProperty("fields", out var nestedElement) && nestedElement.ValueKind == JsonValueKind.Array
                ? ParseLevel(nestedElement)
                : null;
            fields.Add(new MappedField(fieldId, names, nested));
        }

        return new NameMapping(fields);
    }
}
