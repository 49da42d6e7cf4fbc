using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>
/// The Avro schemas of format v2 manifests and manifest lists, with the field ids the table spec assigns
/// (manifest entry 0..4, data file 100..140, manifest list 500..519).
/// </summary>
public static class ManifestAvroSchemas
{
    /// <summary>The <c>manifest_entry</c> schema for a partition tuple of type <paramref name="partitionType"/>.</summary>
    public static JsonObject ManifestEntry(StructType partitionType)
    {
        var partitionFields = new JsonArray();
        foreach (var field in partitionType.Fields)
        {
            partitionFields.Add(new JsonObject
            {
                ["name"] = AvroName(field.Name),
                ["type"] = new JsonArray("null", PartitionValueType(field)),
                ["default"] = null,
                ["field-id"] = field.Id,
            });
        }

        var dataFile = new JsonObject
        {
            ["type"] = "record",
            ["name"] = "r2",
            ["fields"] = new JsonArray
            {
                Required("content", 134, "int"),
                Required("file_path", 100, "string"),
                Required("file_format", 101, "string"),
                Required("partition", 102, new JsonObject { ["type"] = "record", ["name"] = "r102", ["fields"] = partitionFields }),
                Required("record_count", 103, "long"),
                Required("file_size_in_bytes", 104, "long"),
                Optional("column_sizes", 108, IntKeyMap(117, 118, "long")),
                Optional("value_counts", 109, IntKeyMap(119, 120, "long")),
                Optional("null_value_counts", 110, IntKeyMap(121, 122, "long")),
                Optional("nan_value_counts", 137, IntKeyMap(138, 139, "long")),
                Optional("lower_bounds", 125, IntKeyMap(126, 127, "bytes")),
                Optional("upper_bounds", 128, IntKeyMap(129, 130, "bytes")),
                Optional("key_metadata", 131, "bytes"),
                Optional("split_offsets", 132, new JsonObject { ["type"] = "array", ["items"] = "long", ["element-id"] = 133 }),
                Optional("equality_ids", 135, new JsonObject { ["type"] = "array", ["items"] = "int", ["element-id"] = 136 }),
                Optional("sort_order_id", 140, "int"),
            },
        };

        return new JsonObject
        {
            ["type"] = "record",
            ["name"] = "manifest_entry",
            ["fields"] = new JsonArray
            {
                Required("status", 0, "int"),
                Optional("snapshot_id", 1, "long"),
                Optional("sequence_number", 3, "long"),
                Optional("file_sequence_number", 4, "long"),
                Required("data_file", 2, dataFile),
            },
        };
    }

    /// <summary>The <c>manifest_file</c> schema of a format v2 manifest list.</summary>
    public static JsonObject ManifestList() => new()
    {
        ["type"] = "record",
        ["name"] = "manifest_file",
        ["fields"] = new JsonArray
        {
            Required("manifest_path", 500, "string"),
            Required("manifest_length", 501, "long"),
            Required("partition_spec_id", 502, "int"),
            Required("content", 517, "int"),
            Required("sequence_number", 515, "long"),
            Required("min_sequence_number", 516, "long"),
            Required("added_snapshot_id", 503, "long"),
            Required("added_files_count", 504, "int"),
            Required("existing_files_count", 505, "int"),
            Required("deleted_files_count", 506, "int"),
            Required("added_rows_count", 512, "long"),
            Required("existing_rows_count", 513, "long"),
            Required("deleted_rows_count", 514, "long"),
            Optional("partitions", 507, new JsonObject
            {
                ["type"] = "array",
                ["element-id"] = 508,
                ["items"] = new JsonObject
                {
                    ["type"] = "record",
                    ["name"] = "r508",
                    ["fields"] = new JsonArray
                    {
                        Required("contains_null", 509, "boolean"),
                        Optional("contains_nan", 518, "boolean"),
                        Optional("lower_bound", 510, "bytes"),
                        Optional("upper_bound", 511, "bytes"),
                    },
                },
            }),
            Optional("key_metadata", 519, "bytes"),
        },
    };

    /// <summary>
    /// Avro names allow only <c>[A-Za-z_][A-Za-z0-9_]*</c>; other characters become <c>_x</c> plus their hex code,
    /// and a leading digit gets an underscore in front.
    /// </summary>
    public static string AvroName(string name)
    {
        var result = new System.Text.StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c));
            if (valid)
            {
                result.Append(c);
            }
            else if (i == 0 && char.IsAsciiDigit(c))
            {
                result.Append('_').Append(c);
            }
            else
            {
                result.Append("_x").Append(((int)c).ToString("X", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.Length == 0 ? "_" : result.ToString();
    }

    /// <summary>Bytes of the smallest two's complement fixed that holds every unscaled value of a decimal precision.</summary>
    public static int DecimalFixedSize(int precision)
    {
        var size = 1;
        while (System.Numerics.BigInteger.Pow(2, (8 * size) - 1) <= System.Numerics.BigInteger.Pow(10, precision))
        {
            size++;
        }

        return size;
    }

    private static JsonNode PartitionValueType(NestedField field)
    {
        var unique = "f" + field.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return field.Type switch
        {
            DecimalType d => new JsonObject
            {
                ["type"] = "fixed",
                ["name"] = "decimal_" + unique,
                ["size"] = DecimalFixedSize(d.Precision),
                ["logicalType"] = "decimal",
                ["precision"] = d.Precision,
                ["scale"] = d.Scale,
            },
            FixedType f => new JsonObject { ["type"] = "fixed", ["name"] = "fixed_" + unique, ["size"] = f.Length },
            _ => field.Type.Id switch
            {
                TypeId.Boolean => "boolean",
                TypeId.Int => "int",
                TypeId.Long => "long",
                TypeId.Float => "float",
                TypeId.Double => "double",
                TypeId.Date => new JsonObject { ["type"] = "int", ["logicalType"] = "date" },
                TypeId.Time => new JsonObject { ["type"] = "long", ["logicalType"] = "time-micros" },
                TypeId.Timestamp => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-micros", ["adjust-to-utc"] = false },
                TypeId.TimestampTz => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-micros", ["adjust-to-utc"] = true },
                TypeId.TimestampNs => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-nanos", ["adjust-to-utc"] = false },
                TypeId.TimestampTzNs => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-nanos", ["adjust-to-utc"] = true },
                TypeId.String => "string",
                TypeId.Binary => "bytes",
                TypeId.Uuid => new JsonObject { ["type"] = "fixed", ["name"] = "uuid_" + unique, ["size"] = 16, ["logicalType"] = "uuid" },
                _ => throw new IcebergException(IcebergException.Unsupported, $"partition field '{field.Name}' of type {field.Type} cannot be written to a manifest"),
            },
        };
    }

    private static JsonObject IntKeyMap(int keyId, int valueId, string valueType) => new()
    {
        ["type"] = "array",
        ["logicalType"] = "map",
        ["items"] = new JsonObject
        {
            ["type"] = "record",
            ["name"] = $"k{keyId}_v{valueId}",
            ["fields"] = new JsonArray
            {
                Required("key", keyId, "int"),
                Required("value", valueId, valueType),
            },
        },
    };

    private static JsonObject Required(string name, int fieldId, JsonNode type) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["field-id"] = fieldId,
    };

    private static JsonObject Optional(string name, int fieldId, JsonNode type) => new()
    {
        ["name"] = name,
        ["type"] = new JsonArray("null", type),
        ["default"] = null,
        ["field-id"] = fieldId,
    };
}
