using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Distributed;

/// <summary>
/// Compact JSON encoding of <see cref="ScanFragment"/>: types as short names ("int32", "decimal(10,2)",
/// "timestamp_us_utc"), expressions as tagged objects, scalar values in a form chosen by their type
/// (128-bit decimals as strings, bytes as base64).
/// </summary>
public static class FragmentSerializer
{
    private const int FormatVersion = 1;

    public static byte[] Serialize(ScanFragment fragment)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteStartArray("splits");
            foreach (var split in fragment.Splits)
            {
                writer.WriteStartObject();
                writer.WriteString("c", split.ConnectorId);
                writer.WriteBase64String("p", split.Payload);
                writer.WriteNumber("r", split.EstimatedRows);
                writer.WriteNumber("b", split.EstimatedBytes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("scan");
            WriteSchema(writer, fragment.ScanSchema);
            if (fragment.Filter is not null)
            {
                writer.WritePropertyName("filter");
                WriteExpression(writer, fragment.Filter);
            }

            if (fragment.Projections is not null)
            {
                writer.WriteStartArray("project");
                foreach (var projection in fragment.Projections)
                {
                    WriteExpression(writer, projection);
                }

                writer.WriteEndArray();
            }

            writer.WritePropertyName("out");
            WriteSchema(writer, fragment.OutputSchema);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ScanFragment Deserialize(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            int version = root.GetProperty("v").GetInt32();
            if (version != FormatVersion)
            {
                throw new ExecutionException(ExecutionException.InvalidFragment, $"fragment format version {version} is not supported (expected {FormatVersion})");
            }

            var splits = new List<ScanSplit>();
            foreach (var split in root.GetProperty("splits").EnumerateArray())
            {
                splits.Add(new ScanSplit(
                    split.GetProperty("c").GetString()!,
                    split.GetProperty("p").GetBytesFromBase64(),
                    split.GetProperty("r").GetInt64(),
                    split.GetProperty("b").GetInt64()));
            }

            var scanSchema = ReadSchema(root.GetProperty("scan"));
            var filter = root.TryGetProperty("filter", out var filterElement) ? ReadExpression(filterElement) : null;
            List<BoundExpression>? projections = null;
            if (root.TryGetProperty("project", out var projectElement))
            {
                projections = [];
                foreach (var item in projectElement.EnumerateArray())
                {
                    projections.Add(ReadExpression(item));
                }
            }

            var output = ReadSchema(root.GetProperty("out"));
            return new ScanFragment(splits, scanSchema, filter, projections, output);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ExecutionException(ExecutionException.InvalidFragment, $"serialized fragment is malformed: {e.Message}", e);
        }
    }

    private static void WriteSchema(Utf8JsonWriter writer, Schema schema)
    {
        writer.WriteStartArray();
        foreach (var field in schema.FieldsList)
        {
            writer.WriteStartObject();
            writer.WriteString("n", field.Name);
            writer.WriteString("t", TypeName(field.DataType));
            writer.WriteBoolean("null", field.IsNullable);
            if (field.HasMetadata)
            {
                writer.WriteStartObject("m");
                foreach (var entry in field.Metadata)
                {
                    writer.WriteString(entry.Key, entry.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Schema ReadSchema(JsonElement element)
    {
        var fields = new List<Field>();
        foreach (var item in element.EnumerateArray())
        {
            List<KeyValuePair<string, string>>? metadata = null;
            if (item.TryGetProperty("m", out var metadataElement))
            {
                metadata = [];
                foreach (var entry in metadataElement.EnumerateObject())
                {
                    metadata.Add(new KeyValuePair<string, string>(entry.Name, entry.Value.GetString()!));
                }
            }

            fields.Add(new Field(item.GetProperty("n").GetString()!, ParseType(item.GetProperty("t").GetString()!), item.GetProperty("null").GetBoolean(), metadata));
        }

        return new Schema(fields, null);
    }

    public static string TypeName(IArrowType type) => type switch
    {
        NullType => "null",
        BooleanType => "bool",
        Int8Type => "int8",
        Int16Type => "int16",
        Int32Type => "int32",
        Int64Type => "int64",
        FloatType => "float",
        DoubleType => "double",
        Decimal128Type d => $"decimal({d.Precision},{d.Scale})",
        StringType => "utf8",
        BinaryType => "binary",
        GuidType => "uuid",
        FixedSizeBinaryType f => $"fixed({f.ByteWidth})",
        Date32Type => "date32",
        Time64Type => "time64us",
        TimestampType t => (t.Unit == TimeUnit.Nanosecond ? "timestamp_ns" : "timestamp_us") + (SqlTypes.IsTimestampTz(t) ? "_utc" : string.Empty),
        DurationType { Unit: TimeUnit.Microsecond } => "interval_ds",
        IntervalType { Unit: IntervalUnit.YearMonth } => "interval_ym",
        StructType or ListType or MapType => NestedPrefix + NestedTypeJson(type),
        _ => throw new ExecutionException(ExecutionException.NotSupported, $"type {SqlTypes.Display(type)} cannot be sent to a worker"),
    };

    private const string NestedPrefix = "nested:";

    /// <summary>Nested types travel as JSON (child fields keep their names, nullability and field-id metadata).</summary>
    private static string NestedTypeJson(IArrowType type)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            switch (type)
            {
                case MapType map:
                    writer.WriteStartObject();
                    writer.WriteBoolean("sorted", map.KeySorted);
                    writer.WritePropertyName("key");
                    WriteSchema(writer, new Schema([map.KeyField, map.ValueField], null));
                    writer.WriteEndObject();
                    break;
                case ListType list:
                    writer.WriteStartObject();
                    writer.WritePropertyName("list");
                    WriteSchema(writer, new Schema([list.ValueField], null));
                    writer.WriteEndObject();
                    break;
                case StructType structType:
                    writer.WriteStartObject();
                    writer.WritePropertyName("struct");
                    WriteSchema(writer, new Schema(structType.Fields, null));
                    writer.WriteEndObject();
                    break;
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static IArrowType ParseNestedType(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("struct", out var structFields))
        {
            return new StructType(ReadSchema(structFields).FieldsList);
        }

        if (root.TryGetProperty("list", out var listField))
        {
            return new ListType(ReadSchema(listField).FieldsList[0]);
        }

        var entries = ReadSchema(root.GetProperty("key")).FieldsList;
        return new MapType(entries[0], entries[1], root.GetProperty("sorted").GetBoolean());
    }

    public static IArrowType ParseType(string name)
    {
        if (name.StartsWith(NestedPrefix, StringComparison.Ordinal))
        {
            try
            {
                return ParseNestedType(name[NestedPrefix.Length..]);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new ExecutionException(ExecutionException.InvalidFragment, $"malformed nested type in fragment: {e.Message}", e);
            }
        }

        switch (name)
        {
            case "null": return NullType.Default;
            case "bool": return BooleanType.Default;
            case "int8": return Int8Type.Default;
            case "int16": return Int16Type.Default;
            case "int32": return Int32Type.Default;
            case "int64": return Int64Type.Default;
            case "float": return FloatType.Default;
            case "double": return DoubleType.Default;
            case "utf8": return StringType.Default;
            case "binary": return BinaryType.Default;
            case "uuid": return GuidType.Default;
            case "date32": return Date32Type.Default;
            case "time64us": return new Time64Type(TimeUnit.Microsecond);
            case "timestamp_us": return new TimestampType(TimeUnit.Microsecond, (string?)null);
            case "timestamp_us_utc": return new TimestampType(TimeUnit.Microsecond, "UTC");
            case "timestamp_ns": return new TimestampType(TimeUnit.Nanosecond, (string?)null);
            case "timestamp_ns_utc": return new TimestampType(TimeUnit.Nanosecond, "UTC");
            case "interval_ds": return SqlTypes.IntervalDayToSecond;
            case "interval_ym": return SqlTypes.IntervalYearToMonth;
        }

        if (name.StartsWith("decimal(", StringComparison.Ordinal) && name.EndsWith(')'))
        {
            var parts = name[8..^1].Split(',');
            return new Decimal128Type(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        if (name.StartsWith("fixed(", StringComparison.Ordinal) && name.EndsWith(')'))
        {
            return new FixedSizeBinaryType(int.Parse(name[6..^1], CultureInfo.InvariantCulture));
        }

        throw new ExecutionException(ExecutionException.InvalidFragment, $"unknown type '{name}' in fragment");
    }

    private static void WriteExpression(Utf8JsonWriter writer, BoundExpression expression)
    {
        writer.WriteStartObject();
        writer.WriteString("t", TypeName(expression.Type));
        switch (expression)
        {
            case ColumnReference column:
                writer.WriteString("k", "col");
                writer.WriteNumber("i", column.Index);
                writer.WriteString("n", column.Name);
                break;
            case Literal literal:
                writer.WriteString("k", "lit");
                writer.WritePropertyName("v");
                WriteValue(writer, literal.Value, literal.Type);
                break;
            case FieldAccess access:
                writer.WriteString("k", "field");
                writer.WriteNumber("i", access.FieldIndex);
                writer.WriteString("n", access.FieldName);
                writer.WritePropertyName("in");
                WriteExpression(writer, access.Input);
                break;
            case CastExpression cast:
                writer.WriteString("k", cast.IsTry ? "trycast" : "cast");
                writer.WritePropertyName("in");
                WriteExpression(writer, cast.Input);
                break;
            case CallExpression call:
                writer.WriteString("k", "call");
                writer.WriteString("f", call.Function.ToString());
                writer.WriteStartArray("a");
                foreach (var argument in call.Arguments)
                {
                    WriteExpression(writer, argument);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"expression {expression} cannot be sent to a worker");
        }

        writer.WriteEndObject();
    }

    private static BoundExpression ReadExpression(JsonElement element)
    {
        var type = ParseType(element.GetProperty("t").GetString()!);
        var kind = element.GetProperty("k").GetString();
        switch (kind)
        {
            case "col":
                return new ColumnReference(element.GetProperty("i").GetInt32(), type, element.GetProperty("n").GetString()!);
            case "lit":
                return new Literal(ReadValue(element.GetProperty("v"), type), type);
            case "field":
                return new FieldAccess(ReadExpression(element.GetProperty("in")), element.GetProperty("i").GetInt32(), element.GetProperty("n").GetString()!, type);
            case "cast" or "trycast":
                return new CastExpression(ReadExpression(element.GetProperty("in")), type, kind == "trycast");
            case "call":
                if (!Enum.TryParse<ScalarFunction>(element.GetProperty("f").GetString(), out var function))
                {
                    throw new ExecutionException(ExecutionException.InvalidFragment, $"unknown function '{element.GetProperty("f").GetString()}' in fragment");
                }

                var arguments = new List<BoundExpression>();
                foreach (var argument in element.GetProperty("a").EnumerateArray())
                {
                    arguments.Add(ReadExpression(argument));
                }

                return new CallExpression(function, arguments, type);
            default:
                throw new ExecutionException(ExecutionException.InvalidFragment, $"unknown expression kind '{kind}' in fragment");
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, IArrowType type)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case sbyte v:
                writer.WriteNumberValue(v);
                break;
            case short v:
                writer.WriteNumberValue(v);
                break;
            case int v:
                writer.WriteNumberValue(v);
                break;
            case long v:
                writer.WriteNumberValue(v);
                break;
            case float v:
                writer.WriteStringValue(v.ToString("R", CultureInfo.InvariantCulture));
                break;
            case double v:
                writer.WriteStringValue(v.ToString("R", CultureInfo.InvariantCulture));
                break;
            case Int128 v:
                writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Guid guid:
                writer.WriteStringValue(guid.ToString("D", CultureInfo.InvariantCulture));
                break;
            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"value {value} of {SqlTypes.Display(type)} cannot be sent to a worker");
        }
    }

    private static object? ReadValue(JsonElement element, IArrowType type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return type switch
        {
            BooleanType => element.GetBoolean(),
            Int8Type => element.GetSByte(),
            Int16Type => element.GetInt16(),
            Int32Type or Date32Type or IntervalType => element.GetInt32(),
            Int64Type or Time64Type or TimestampType or DurationType => element.GetInt64(),
            FloatType => float.Parse(element.GetString()!, CultureInfo.InvariantCulture),
            DoubleType => double.Parse(element.GetString()!, CultureInfo.InvariantCulture),
            Decimal128Type => Int128.Parse(element.GetString()!, CultureInfo.InvariantCulture),
            StringType => element.GetString(),
            GuidType => Guid.Parse(element.GetString()!),
            BinaryType or FixedSizeBinaryType => element.GetBytesFromBase64(),
            _ => throw new ExecutionException(ExecutionException.InvalidFragment, $"unexpected literal of {SqlTypes.Display(type)} in fragment"),
        };
    }
}
