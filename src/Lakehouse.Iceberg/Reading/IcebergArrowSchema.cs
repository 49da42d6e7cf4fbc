using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Types;
using ArrowSchema = Apache.Arrow.Schema;
using IcebergListType = Lakehouse.Iceberg.Types.ListType;
using IcebergMapType = Lakehouse.Iceberg.Types.MapType;
using IcebergStructType = Lakehouse.Iceberg.Types.StructType;

namespace Lakehouse.Iceberg.Reading;

/// <summary>Maps Iceberg schemas to the Arrow schemas the readers produce.</summary>
public static class IcebergArrowSchema
{
    /// <summary>Arrow field metadata key holding the Iceberg field id.</summary>
    public const string FieldIdKey = "PARQUET:field_id";

    public static ArrowSchema ToArrowSchema(IReadOnlyList<NestedField> fields)
    {
        var arrowFields = new List<Field>(fields.Count);
        foreach (var field in fields)
        {
            arrowFields.Add(ToArrowField(field));
        }

        return new ArrowSchema(arrowFields, null);
    }

    public static Field ToArrowField(NestedField field) => ToArrowField(field.Id, field.Name, field.Required, field.Type);

    public static IArrowType ToArrowType(IcebergType type)
    {
        switch (type)
        {
            case DecimalType d:
                return new Decimal128Type(d.Precision, d.Scale);
            case FixedType f:
                return new FixedSizeBinaryType(f.Length);
            case IcebergStructType s:
                {
                    var children = new List<Field>(s.Fields.Count);
                    foreach (var child in s.Fields)
                    {
                        children.Add(ToArrowField(child));
                    }

                    return new Apache.Arrow.Types.StructType(children);
                }

            case IcebergListType l:
                return new Apache.Arrow.Types.ListType(ToArrowField(l.ElementId, "element", l.ElementRequired, l.ElementType));
            case IcebergMapType m:
                return new Apache.Arrow.Types.MapType(
                    ToArrowField(m.KeyId, "key", true, m.KeyType),
                    ToArrowField(m.ValueId, "value", m.ValueRequired, m.ValueType),
                    keySorted: false);
        }

        return type.Id switch
        {
            TypeId.Boolean => BooleanType.Default,
            TypeId.Int => Int32Type.Default,
            TypeId.Long => Int64Type.Default,
            TypeId.Float => FloatType.Default,
            TypeId.Double => DoubleType.Default,
            TypeId.Date => Date32Type.Default,
            TypeId.Time => new Time64Type(TimeUnit.Microsecond),
            TypeId.Timestamp => new TimestampType(TimeUnit.Microsecond, (string?)null),
            TypeId.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
            TypeId.TimestampNs => new TimestampType(TimeUnit.Nanosecond, (string?)null),
            TypeId.TimestampTzNs => new TimestampType(TimeUnit.Nanosecond, "UTC"),
            TypeId.String => StringType.Default,
            TypeId.Uuid => GuidType.Default,
            TypeId.Binary => BinaryType.Default,
            TypeId.Unknown => NullType.Default,
            TypeId.Geometry or TypeId.Geography => BinaryType.Default,
            _ => throw new IcebergException(IcebergException.Unsupported, $"Iceberg type {type} has no Arrow mapping"),
        };
    }

    private static Field ToArrowField(int id, string name, bool required, IcebergType type)
    {
        var metadata = new[] { new KeyValuePair<string, string>(FieldIdKey, id.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        return new Field(name, ToArrowType(type), nullable: !required, metadata);
    }
}
