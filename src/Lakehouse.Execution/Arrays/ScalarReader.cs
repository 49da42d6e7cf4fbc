using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Arrays;

/// <summary>Reads single values as engine scalars (boxed); for results, literals and tests, not for hot loops.</summary>
public static class ScalarReader
{
    public static object? Get(IArrowArray array, int row)
    {
        if (array.IsNull(row))
        {
            return null;
        }

        var type = array.Data.DataType;
        if (array is ExtensionArray extension)
        {
            type = extension.ExtensionType;
        }

        switch (type)
        {
            case NullType:
                return null;
            case BooleanType:
                return ArrayAccess.GetBoolean(array, row);
            case StringType:
                return System.Text.Encoding.UTF8.GetString(ArrayAccess.GetBytes(array, row));
            case GuidType:
                return new Guid(ArrayAccess.GetBytes(array, row), bigEndian: true);
            case BinaryType:
            case FixedSizeBinaryType when type is not Decimal128Type:
                return ArrayAccess.GetBytes(array, row).ToArray();
        }

        return SqlTypes.KindOf(type) switch
        {
            PhysicalKind.Int8 => ArrayAccess.Values<sbyte>(array)[row],
            PhysicalKind.Int16 => ArrayAccess.Values<short>(array)[row],
            PhysicalKind.Int32 => ArrayAccess.Values<int>(array)[row],
            PhysicalKind.Int64 => ArrayAccess.Values<long>(array)[row],
            PhysicalKind.Float => ArrayAccess.Values<float>(array)[row],
            PhysicalKind.Double => ArrayAccess.Values<double>(array)[row],
            PhysicalKind.Int128 => ArrayAccess.Values<Int128>(array)[row],
            _ => throw new ExecutionException(ExecutionException.NotSupported, $"cannot read values of {SqlTypes.Display(type)}"),
        };
    }
}
