using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Conversions;

/// <summary>
/// Binary single-value serialization of the Iceberg spec (Appendix D), used by manifest bounds and
/// partition summaries. Values use the .NET forms documented on <see cref="IcebergType"/>.
/// </summary>
public static class SingleValueSerialization
{
    /// <summary>Decodes a value; returns null for types whose bounds carry no comparable value (unknown).</summary>
    public static object? FromBytes(PrimitiveType type, ReadOnlySpan<byte> bytes)
    {
        switch (type.Id)
        {
            case TypeId.Boolean:
                RequireLength(type, bytes, 1);
                return bytes[0] != 0;
            case TypeId.Int:
            case TypeId.Date:
                RequireLength(type, bytes, 4);
                return BinaryPrimitives.ReadInt32LittleEndian(bytes);
            case TypeId.Long:
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                // A column promoted from int (or date to timestamp) may still carry 4-byte bounds in old manifests.
                if (bytes.Length == 4)
                {
                    return (long)BinaryPrimitives.ReadInt32LittleEndian(bytes);
                }

                RequireLength(type, bytes, 8);
                return BinaryPrimitives.ReadInt64LittleEndian(bytes);
            case TypeId.Float:
                RequireLength(type, bytes, 4);
                return BinaryPrimitives.ReadSingleLittleEndian(bytes);
            case TypeId.Double:
                if (bytes.Length == 4)
                {
                    return (double)BinaryPrimitives.ReadSingleLittleEndian(bytes);
                }

                RequireLength(type, bytes, 8);
                return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
            case TypeId.Decimal:
                if (bytes.Length == 0)
                {
                    return BigInteger.Zero;
                }

                return new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
            case TypeId.String:
                return Encoding.UTF8.GetString(bytes);
            case TypeId.Uuid:
                RequireLength(type, bytes, 16);
                return new Guid(bytes, bigEndian: true);
            case TypeId.Fixed:
            case TypeId.Binary:
            case TypeId.Geometry:
            case TypeId.Geography:
            case TypeId.Variant:
                return bytes.ToArray();
            case TypeId.Unknown:
                return null;
            default:
                throw new IcebergException(IcebergException.Unsupported, $"no binary single-value form for type {type}");
        }
    }

    public static byte[] ToBytes(PrimitiveType type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (type.Id)
        {
            case TypeId.Boolean:
                return [(bool)value ? (byte)1 : (byte)0];
            case TypeId.Int:
            case TypeId.Date:
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                return bytes;
            }

            case TypeId.Long:
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
            {
                var bytes = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                return bytes;
            }

            case TypeId.Float:
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(bytes, Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
                return bytes;
            }

            case TypeId.Double:
            {
                var bytes = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                return bytes;
            }

            case TypeId.Decimal:
                return ToBigInteger(value).ToByteArray(isUnsigned: false, isBigEndian: true);
            case TypeId.String:
                return Encoding.UTF8.GetBytes((string)value);
            case TypeId.Uuid:
                return ((Guid)value).ToByteArray(bigEndian: true);
            case TypeId.Fixed:
            case TypeId.Binary:
            case TypeId.Geometry:
            case TypeId.Geography:
            case TypeId.Variant:
                return ((byte[])value).ToArray();
            default:
                throw new IcebergException(IcebergException.Unsupported, $"no binary single-value form for type {type}");
        }
    }

    internal static BigInteger ToBigInteger(object value) => value switch
    {
        BigInteger b => b,
        long l => l,
        int i => i,
        decimal d => new BigInteger(d),
        _ => throw new IcebergException(IcebergException.InvalidValue, $"expected an unscaled decimal value, got {value.GetType().Name}"),
    };

    private static void RequireLength(PrimitiveType type, ReadOnlySpan<byte> bytes, int expected)
    {
        if (bytes.Length != expected)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"a binary {type} value must have {expected} bytes, got {bytes.Length}");
        }
    }
}
