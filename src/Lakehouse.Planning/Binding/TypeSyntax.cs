using Apache.Arrow.Types;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding;

/// <summary>Maps SQL type syntax to Arrow types.</summary>
public static class TypeSyntax
{
    public static IArrowType Resolve(DataTypeSyntax syntax)
    {
        var parameters = syntax.Parameters;
        switch (syntax.Name)
        {
            case "boolean" or "bool":
                return SqlTypes.Boolean;
            case "tinyint":
                return SqlTypes.TinyInt;
            case "smallint" or "int2":
                return SqlTypes.SmallInt;
            case "integer" or "int" or "int4":
                return SqlTypes.Integer;
            case "bigint" or "int8":
                return SqlTypes.BigInt;
            case "real" or "float" or "float4":
                return SqlTypes.Real;
            case "double" or "double precision" or "float8":
                return SqlTypes.Double;
            case "decimal" or "numeric":
                int precision = parameters.Count > 0 ? (int)parameters[0] : 38;
                int scale = parameters.Count > 1 ? (int)parameters[1] : 0;
                if (precision is < 1 or > 38 || scale < 0 || scale > precision)
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{syntax.Span}: decimal({precision},{scale}) is not a valid type");
                }

                return SqlTypes.Decimal(precision, scale);
            case "varchar" or "char" or "string" or "text":
                return SqlTypes.Varchar;
            case "varbinary" or "blob" or "bytea":
                return SqlTypes.Varbinary;
            case "date":
                return SqlTypes.Date;
            case "time":
                return SqlTypes.Time;
            case "timestamp":
                return parameters.Count > 0 && parameters[0] > 6 ? new TimestampType(TimeUnit.Nanosecond, (string?)null) : SqlTypes.Timestamp;
            case "timestamp with time zone":
                return parameters.Count > 0 && parameters[0] > 6 ? new TimestampType(TimeUnit.Nanosecond, "UTC") : SqlTypes.TimestampTz;
            case "uuid":
                return SqlTypes.Uuid;
            default:
                throw new PlanningException(PlanningException.NotSupported, $"{syntax.Span}: type '{syntax.Name}' is not supported");
        }
    }
}
