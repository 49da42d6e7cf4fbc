using System.Text;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Types;
using ParquetSharp;
using ParquetSharp.Schema;
using IcebergListType = Lakehouse.Iceberg.Types.ListType;
using IcebergMapType = Lakehouse.Iceberg.Types.MapType;
using IcebergStructType = Lakehouse.Iceberg.Types.StructType;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// The Iceberg view of a plain Parquet file: a schema with field ids, and the name mapping that
/// lets the Iceberg reader find columns by name in files written without field ids.
/// </summary>
/// <param name="Columns">Top-level fields, in file order.</param>
/// <param name="NameMappingJson">Name mapping in the <c>schema.name-mapping.default</c> form, or null when the file carries field ids.</param>
/// <param name="Signature">Canonical text of names, types and ids, equal for files that can be read with one schema.</param>
internal sealed record ParquetFileSchema(IReadOnlyList<NestedField> Columns, string? NameMappingJson, string Signature);

/// <summary>
/// Maps a Parquet schema to Iceberg types the way the Iceberg reader decodes them. Files without
/// field ids get ids 1..n for the top-level columns, then fresh ids for nested fields depth first.
/// </summary>
internal sealed class ParquetSchemaMapper
{
    private readonly string _path;
    private readonly bool _useFileIds;
    private int _nextId;

    private ParquetSchemaMapper(string path, bool useFileIds, int firstFreeId)
    {
        _path = path;
        _useFileIds = useFileIds;
        _nextId = firstFreeId;
    }

    public static ParquetFileSchema Map(SchemaDescriptor descriptor, string path)
    {
        var root = descriptor.GroupNode;
        var fields = root.Fields;
        var (withIds, withoutIds, maxId) = CountFieldIds(root);
        if (withIds > 0 && withoutIds > 0)
        {
            throw ParquetErrors.Error(ParquetErrors.UnsupportedType, $"Parquet file {path} has field ids on some columns but not on others");
        }

        var useFileIds = withIds > 0;
        var mapper = new ParquetSchemaMapper(path, useFileIds, useFileIds ? maxId + 1 : fields.Length + 1);
        var columns = new List<NestedField>(fields.Length);
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<int>();
        for (var i = 0; i < fields.Length; i++)
        {
            var node = fields[i];
            if (!seenNames.Add(node.Name))
            {
                throw ParquetErrors.Error(ParquetErrors.UnsupportedType, $"Parquet file {path} has two columns named '{node.Name}'");
            }

            var id = useFileIds ? node.FieldId : i + 1;
            if (!seenIds.Add(id))
            {
                throw ParquetErrors.Error(ParquetErrors.UnsupportedType, $"Parquet file {path} uses field id {id} twice");
            }

            columns.Add(mapper.MapField(node, id, node.Name));
        }

        string? mapping = null;
        if (!useFileIds)
        {
            var array = new JsonArray();
            foreach (var column in columns)
            {
                array.Add(MappingEntry(column.Id, column.Name, column.Type));
            }

            mapping = array.ToJsonString();
        }

        var signature = new StringBuilder();
        foreach (var column in columns)
        {
            AppendSignature(signature, column, useFileIds);
            signature.Append(';');
        }

        return new ParquetFileSchema(columns, mapping, signature.ToString());
    }

    private NestedField MapField(Node node, int id, string name)
    {
        if (node.Repetition == Repetition.Repeated)
        {
            throw Unsupported(name, "a repeated field outside of a LIST or MAP group");
        }

        // Every field is read as nullable: files of one table may disagree on optionality.
        return new NestedField(id, name, required: false, MapType(node, name));
    }

    private IcebergType MapType(Node node, string name)
    {
        if (node is PrimitiveNode primitive)
        {
            return MapPrimitive(primitive, name);
        }

        var group = (GroupNode)node;
        using var logical = group.LogicalType;
        var children = group.Fields;
        if (logical is ListLogicalType)
        {
            if (children.Length != 1 || children[0].Repetition != Repetition.Repeated)
            {
                throw Unsupported(name, "a LIST group without exactly one repeated child");
            }

            var repeated = children[0];
            var element = repeated is PrimitiveNode || ((GroupNode)repeated).Fields.Length != 1 || repeated.Name == "array" || repeated.Name == name + "_tuple"
                ? repeated
                : ((GroupNode)repeated).Fields[0];
            var elementId = NestedId(element);
            var elementType = ReferenceEquals(element, repeated) && repeated is GroupNode repeatedGroup
                ? MapStruct(repeatedGroup, name)
                : MapType(element, name + ".element");
            return new IcebergListType(elementId, elementRequired: false, elementType);
        }

        if (logical is MapLogicalType)
        {
            if (children.Length != 1 || children[0] is not GroupNode entries || entries.Repetition != Repetition.Repeated || entries.Fields.Length != 2)
            {
                throw Unsupported(name, "a MAP group without one repeated key/value group");
            }

            var key = entries.Fields[0];
            var value = entries.Fields[1];
            var keyId = NestedId(key);
            var valueId = NestedId(value);
            return new IcebergMapType(keyId, MapType(key, name + ".key"), valueId, valueRequired: false, MapType(value, name + ".value"));
        }

        return MapStruct(group, name);
    }

    private IcebergStructType MapStruct(GroupNode group, string name)
    {
        var children = group.Fields;
        if (children.Length == 0)
        {
            throw Unsupported(name, "an empty group");
        }

        var fields = new List<NestedField>(children.Length);
        foreach (var child in children)
        {
            fields.Add(MapField(child, NestedId(child), child.Name));
        }

        return new IcebergStructType(fields);
    }

    private int NestedId(Node node) => _useFileIds && node.FieldId >= 0 ? node.FieldId : _nextId++;

    private IcebergType MapPrimitive(PrimitiveNode node, string name)
    {
        using var logical = node.LogicalType;
        var physical = node.PhysicalType;
        switch (logical)
        {
            case DecimalLogicalType d when d.Precision <= 38:
                return new DecimalType(d.Precision, d.Scale);
            case DecimalLogicalType d:
                throw Unsupported(name, $"decimal({d.Precision},{d.Scale}) wider than 38 digits");
            case DateLogicalType when physical == PhysicalType.Int32:
                return PrimitiveType.Date;
            case TimeLogicalType when physical is PhysicalType.Int32 or PhysicalType.Int64:
                return PrimitiveType.Time;
            case TimestampLogicalType t when physical == PhysicalType.Int64:
                // The engine computes on microseconds; nanosecond values are floored to microseconds.
                return t.IsAdjustedToUtc ? PrimitiveType.TimestampTz : PrimitiveType.Timestamp;
            case IntLogicalType i when physical == PhysicalType.Int32:
                if (!i.IsSigned && i.BitWidth == 32)
                {
                    throw Unsupported(name, "unsigned 32-bit integers");
                }

                return PrimitiveType.Int;
            case IntLogicalType i when physical == PhysicalType.Int64:
                if (!i.IsSigned)
                {
                    throw Unsupported(name, "unsigned 64-bit integers");
                }

                return PrimitiveType.Long;
            case StringLogicalType or EnumLogicalType or JsonLogicalType when physical == PhysicalType.ByteArray:
                return PrimitiveType.String;
            case UuidLogicalType when physical == PhysicalType.FixedLenByteArray && node.TypeLength == 16:
                return PrimitiveType.Uuid;
            case NullLogicalType:
                return PrimitiveType.Unknown;
            case NoneLogicalType or BsonLogicalType:
                break;
            default:
                throw Unsupported(name, $"{physical} annotated as {logical}");
        }

        return physical switch
        {
            PhysicalType.Boolean => PrimitiveType.Boolean,
            PhysicalType.Int32 => PrimitiveType.Int,
            PhysicalType.Int64 => PrimitiveType.Long,
            PhysicalType.Int96 => PrimitiveType.Timestamp,
            PhysicalType.Float => PrimitiveType.Float,
            PhysicalType.Double => PrimitiveType.Double,
            PhysicalType.ByteArray => PrimitiveType.Binary,
            PhysicalType.FixedLenByteArray => new FixedType(node.TypeLength),
            _ => throw Unsupported(name, physical.ToString()),
        };
    }

    private ExecutionException Unsupported(string column, string what) =>
        ParquetErrors.Error(ParquetErrors.UnsupportedType, $"column '{column}' in Parquet file {_path}: {what} is not supported");

    private static (int WithIds, int WithoutIds, int MaxId) CountFieldIds(GroupNode root)
    {
        int withIds = 0, withoutIds = 0, maxId = 0;
        Count(root, isRoot: true);
        return (withIds, withoutIds, maxId);

        void Count(Node node, bool isRoot)
        {
            if (!isRoot)
            {
                if (node.FieldId >= 0)
                {
                    withIds++;
                    maxId = Math.Max(maxId, node.FieldId);
                }
                else if (node.Repetition != Repetition.Repeated)
                {
                    // The repeated middle level of LIST/MAP groups never carries an id.
                    withoutIds++;
                }
            }

            if (node is GroupNode group)
            {
                foreach (var child in group.Fields)
                {
                    Count(child, isRoot: false);
                }
            }
        }
    }

    private static JsonObject MappingEntry(int id, string name, IcebergType type)
    {
        var entry = new JsonObject
        {
            ["field-id"] = id,
            ["names"] = new JsonArray(name),
        };
        var nested = NestedMapping(type);
        if (nested is not null)
        {
            entry["fields"] = nested;
        }

        return entry;
    }

    private static JsonArray? NestedMapping(IcebergType type)
    {
        switch (type)
        {
            case IcebergStructType s:
                {
                    var array = new JsonArray();
                    foreach (var child in s.Fields)
                    {
                        array.Add(MappingEntry(child.Id, child.Name, child.Type));
                    }

                    return array;
                }

            case IcebergListType l:
                return new JsonArray(MappingEntry(l.ElementId, "element", l.ElementType));
            case IcebergMapType m:
                return new JsonArray(MappingEntry(m.KeyId, "key", m.KeyType), MappingEntry(m.ValueId, "value", m.ValueType));
            default:
                return null;
        }
    }

    private static void AppendSignature(StringBuilder text, NestedField field, bool withIds)
    {
        text.Append(field.Name);
        if (withIds)
        {
            text.Append('#').Append(field.Id);
        }

        text.Append(':');
        AppendType(text, field.Type, withIds);
    }

    private static void AppendType(StringBuilder text, IcebergType type, bool withIds)
    {
        switch (type)
        {
            case IcebergStructType s:
                text.Append("struct<");
                foreach (var child in s.Fields)
                {
                    AppendSignature(text, child, withIds);
                    text.Append(',');
                }

                text.Append('>');
                break;
            case IcebergListType l:
                text.Append("list<");
                AppendType(text, l.ElementType, withIds);
                text.Append('>');
                break;
            case IcebergMapType m:
                text.Append("map<");
                AppendType(text, m.KeyType, withIds);
                text.Append(',');
                AppendType(text, m.ValueType, withIds);
                text.Append('>');
                break;
            default:
                text.Append(type);
                break;
        }
    }
}
