using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Conversions;

/// <summary>
/// JSON single-value serialization of the Iceberg spec (Appendix D), used by <c>initial-default</c> and
/// <c>write-default</c>. Primitive values use the .NET forms documented on <see cref="IcebergType"/>;
/// a struct is an <c>object?[]</c> in field order, a list an <c>object?[]</c>, a map a
/// <c>KeyValuePair&lt;object?, object?&gt;[]</c>.
/// </summary>
public static class JsonSingleValue
{
    public static object? FromJson(IcebergType type, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return Read(type, node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"invalid JSON value {node.ToJsonString()} for type {type}: {e.Message}", e);
        }
    }

    public static JsonNode? ToJson(IcebergType type, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case StructType st:
            {
                var values = (object?[])value;
                var obj = new JsonObject();
                for (var i = 0; i < st.Fields.Count; i++)
                {
                    if (values[i] is not null)
                    {
                        obj[st.Fields[i].Id.ToString(CultureInfo.InvariantCulture)] = ToJson(st.Fields[i].Type, values[i]);
                    }
                }

                return obj;
            }

            case ListType lt:
            {
                var arr = new JsonArray();
                foreach (var element in (object?[])value)
                {
                    arr.Add(ToJson(lt.ElementType, element));
                }

                return arr;
            }

            case MapType mt:
            {
                var keys = new JsonArray();
                var values = new JsonArray();
                foreach (var pair in (KeyValuePair<object?, object?>[])value)
                {
                    keys.Add(ToJson(mt.KeyType, pair.Key));
                    values.Add(ToJson(mt.ValueType, pair.Value));
                }

                return new JsonObject { ["keys"] = keys, ["values"] = values };
            }
        }

        var primitive = (PrimitiveType)type;
        switch (primitive.Id)
        {
            case TypeId.Boolean:
                return JsonValue.Create((bool)value);
            case TypeId.Int:
                return JsonValue.Create(Convert.ToInt32(value, CultureInfo.InvariantCulture));
            case TypeId.Long:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case TypeId.Float:
                return JsonValue.Create(Convert.ToSingle(value, CultureInfo.InvariantCulture));
            case TypeId.Double:
                return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case TypeId.Decimal:
                return JsonValue.Create(ValueText.FormatDecimal(SingleValueSerialization.ToBigInteger(value), ((DecimalType)primitive).Scale));
            case TypeId.Date:
                return JsonValue.Create(ValueText.FormatDate((int)value));
            case TypeId.Time:
                return JsonValue.Create(ValueText.FormatTimeMicros((long)value));
            case TypeId.Timestamp:
                return JsonValue.Create(ValueText.FormatTimestampMicros((long)value, withZone: false));
            case TypeId.TimestampTz:
                return JsonValue.Create(ValueText.FormatTimestampMicros((long)value, withZone: true));
            case TypeId.TimestampNs:
                return JsonValue.Create(ValueText.FormatTimestampNanos((long)value, withZone: false));
            case TypeId.TimestampTzNs:
                return JsonValue.Create(ValueText.FormatTimestampNanos((long)value, withZone: true));
            case TypeId.String:
                return JsonValue.Create((string)value);
            case TypeId.Uuid:
                return JsonValue.Create(((Guid)value).ToString("D"));
            case TypeId.Fixed:
            case TypeId.Binary:
            case TypeId.Geometry:
            case TypeId.Geography:
                return JsonValue.Create(Convert.ToHexString((byte[])value));
            default:
                throw new IcebergException(IcebergException.Unsupported, $"no JSON single-value form for type {type}");
        }
    }

    private static object? Read(IcebergType type, JsonNode node)
    {
        switch (type)
        {
            case StructType st:
            {
                var obj = node.AsObject();
                var values = new object?[st.Fields.Count];
                for (var i = 0; i < st.Fields.Count; i++)
                {
                    var field = st.Fields[i];
                    if (obj.TryGetPropertyValue(field.Id.ToString(CultureInfo.InvariantCulture), out var child) && child is not null)
                    {
                        values[i] = Read(field.Type, child);
                    }
                    else
                    {
                        values[i] = FromJson(field.Type, field.InitialDefault);
                    }
                }

                return values;
            }

            case ListType lt:
            {
                var arr = node.AsArray();
                var values = new object?[arr.Count];
                for (var i = 0; i < arr.Count; i++)
                {
                    values[i] = FromJson(lt.ElementType, arr[i]);
                }

                return values;
            }

            case MapType mt:
            {
                var keys = node["keys"]?.AsArray() ?? throw new FormatException("map value needs a 'keys' array");
                var values = node["values"]?.AsArray() ?? throw new FormatException("map value needs a 'values' array");
                if (keys.Count != values.Count)
                {
                    throw new FormatException("map 'keys' and 'values' differ in length");
                }

                var pairs = new KeyValuePair<object?, object?>[keys.Count];
                for (var i = 0; i < keys.Count; i++)
                {
                    pairs[i] = new(FromJson(mt.KeyType, keys[i]), FromJson(mt.ValueType, values[i]));
                }

                return pairs;
            }
        }

        var primitive = (PrimitiveType)type;
        var v = node.AsValue();
        switch (primitive.Id)
        {
            case TypeId.Boolean:
                return v.GetValue<bool>();
            case TypeId.Int:
                return v.GetValue<int>();
            case TypeId.Long:
                return v.GetValue<long>();
            case TypeId.Float:
                return v.GetValueKind() == JsonValueKind.String ? float.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture) : v.GetValue<float>();
            case TypeId.Double:
                return v.GetValueKind() == JsonValueKind.String ? double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture) : v.GetValue<double>();
            case TypeId.Decimal:
                return ValueText.ParseDecimal(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString(), ((DecimalType)primitive).Scale);
            case TypeId.Date:
                return ValueText.ParseDate(v.GetValue<string>());
            case TypeId.Time:
                return ValueText.ParseTimeMicros(v.GetValue<string>());
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                return ValueText.ParseTimestampMicros(v.GetValue<string>());
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                return ValueText.ParseTimestampNanos(v.GetValue<string>());
            case TypeId.String:
                return v.GetValue<string>();
            case TypeId.Uuid:
                return Guid.Parse(v.GetValue<string>());
            case TypeId.Fixed:
            case TypeId.Binary:
            case TypeId.Geometry:
            case TypeId.Geography:
                return Convert.FromHexString(v.GetValue<string>());
            default:
                throw new IcebergException(IcebergException.Unsupported, $"no JSON single-value form for type {type}");
        }
    }
}
