using System.Numerics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>Vectorized comparisons of two arrays of the same type, producing a boolean array.</summary>
public static class ComparisonKernels
{
    public static IArrowArray Compare(ScalarFunction op, IArrowArray left, IArrowArray right)
    {
        int length = left.Length;
        var values = new byte[(length + 7) >> 3];
        var kind = SqlTypes.KindOf(TypeOf(left));
        bool nullSafe = op is ScalarFunction.IsDistinctFrom or ScalarFunction.IsNotDistinctFrom;
        var leftValidity = new Validity(left);
        var rightValidity = new Validity(right);
        switch (kind)
        {
            case PhysicalKind.Int8:
                Numeric(op, ArrayAccess.Values<sbyte>(left), ArrayAccess.Values<sbyte>(right), values);
                break;
            case PhysicalKind.Int16:
                Numeric(op, ArrayAccess.Values<short>(left), ArrayAccess.Values<short>(right), values);
                break;
            case PhysicalKind.Int32:
                Numeric(op, ArrayAccess.Values<int>(left), ArrayAccess.Values<int>(right), values);
                break;
            case PhysicalKind.Int64:
                Numeric(op, ArrayAccess.Values<long>(left), ArrayAccess.Values<long>(right), values);
                break;
            case PhysicalKind.Float:
                Numeric(op, ArrayAccess.Values<float>(left), ArrayAccess.Values<float>(right), values);
                break;
            case PhysicalKind.Double:
                Numeric(op, ArrayAccess.Values<double>(left), ArrayAccess.Values<double>(right), values);
                break;
            case PhysicalKind.Int128:
                Numeric(op, ArrayAccess.Values<Int128>(left), ArrayAccess.Values<Int128>(right), values);
                break;
            case PhysicalKind.Boolean:
                for (int i = 0; i < length; i++)
                {
                    int a = ArrayAccess.GetBoolean(left, i) ? 1 : 0;
                    int b = ArrayAccess.GetBoolean(right, i) ? 1 : 0;
                    if (Holds(op, a.CompareTo(b)))
                    {
                        ArrayAccess.SetBit(values, i);
                    }
                }

                break;
            case PhysicalKind.Utf8 or PhysicalKind.Binary or PhysicalKind.FixedBinary:
                for (int i = 0; i < length; i++)
                {
                    if (leftValidity.IsValid(i) && rightValidity.IsValid(i)
                        && Holds(op, ArrayAccess.GetBytes(left, i).SequenceCompareTo(ArrayAccess.GetBytes(right, i))))
                    {
                        ArrayAccess.SetBit(values, i);
                    }
                }

                break;
            case PhysicalKind.Null:
                break;
        }

        if (nullSafe)
        {
            // Two nulls are not distinct; a null and a value are.
            for (int i = 0; i < length; i++)
            {
                bool leftValid = leftValidity.IsValid(i);
                bool rightValid = rightValidity.IsValid(i);
                if (leftValid && rightValid)
                {
                    continue;
                }

                bool same = leftValid == rightValid;
                bool result = op == ScalarFunction.IsNotDistinctFrom ? same : !same;
                if (result)
                {
                    ArrayAccess.SetBit(values, i);
                }
                else
                {
                    values[i >> 3] &= (byte)~(1 << (i & 7));
                }
            }

            return ArrayFactory.Boolean(values, null, 0, length);
        }

        var (validity, nullCount) = Bitmaps.CombineValidity(left, right);
        return ArrayFactory.Boolean(values, validity, nullCount, length);
    }

    private static Apache.Arrow.Types.IArrowType TypeOf(IArrowArray array) =>
        array is ExtensionArray extension ? extension.ExtensionType : array.Data.DataType;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Holds(ScalarFunction op, int comparison) => op switch
    {
        ScalarFunction.Equal or ScalarFunction.IsNotDistinctFrom => comparison == 0,
        ScalarFunction.NotEqual or ScalarFunction.IsDistinctFrom => comparison != 0,
        ScalarFunction.LessThan => comparison < 0,
        ScalarFunction.LessThanOrEqual => comparison <= 0,
        ScalarFunction.GreaterThan => comparison > 0,
        _ => comparison >= 0,
    };

    private static void Numeric<T>(ScalarFunction op, ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<byte> output)
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        switch (op)
        {
            case ScalarFunction.Equal or ScalarFunction.IsNotDistinctFrom:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] == right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
            case ScalarFunction.NotEqual or ScalarFunction.IsDistinctFrom:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] != right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
            case ScalarFunction.LessThan:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] < right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
            case ScalarFunction.LessThanOrEqual:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] <= right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
            case ScalarFunction.GreaterThan:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] > right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
            default:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] >= right[i])
                    {
                        ArrayAccess.SetBit(output, i);
                    }
                }

                break;
        }
    }
}
