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

    /// <summary>Whether <see cref="CompareScalar"/> handles columns of this type.</summary>
    public static bool HasScalarKernel(Apache.Arrow.Types.IArrowType type) =>
        type is not ExtensionType && SqlTypes.IsSupported(type)
        && SqlTypes.KindOf(type) is PhysicalKind.Int8 or PhysicalKind.Int16 or PhysicalKind.Int32 or PhysicalKind.Int64
            or PhysicalKind.Float or PhysicalKind.Double or PhysicalKind.Int128 or PhysicalKind.Utf8 or PhysicalKind.Binary;

    /// <summary>Each value of <paramref name="left"/> against the single non-null value of <paramref name="constant"/>; NULL where the value is NULL.</summary>
    public static IArrowArray CompareScalar(ScalarFunction op, IArrowArray left, IArrowArray constant)
    {
        int length = left.Length;
        var values = new byte[(length + 7) >> 3];
        switch (SqlTypes.KindOf(TypeOf(left)))
        {
            case PhysicalKind.Int8:
                NumericScalar(op, ArrayAccess.Values<sbyte>(left), ArrayAccess.Values<sbyte>(constant)[0], values);
                break;
            case PhysicalKind.Int16:
                NumericScalar(op, ArrayAccess.Values<short>(left), ArrayAccess.Values<short>(constant)[0], values);
                break;
            case PhysicalKind.Int32:
                NumericScalar(op, ArrayAccess.Values<int>(left), ArrayAccess.Values<int>(constant)[0], values);
                break;
            case PhysicalKind.Int64:
                NumericScalar(op, ArrayAccess.Values<long>(left), ArrayAccess.Values<long>(constant)[0], values);
                break;
            case PhysicalKind.Float:
                NumericScalar(op, ArrayAccess.Values<float>(left), ArrayAccess.Values<float>(constant)[0], values);
                break;
            case PhysicalKind.Double:
                NumericScalar(op, ArrayAccess.Values<double>(left), ArrayAccess.Values<double>(constant)[0], values);
                break;
            case PhysicalKind.Int128:
                NumericScalar(op, ArrayAccess.Values<Int128>(left), ArrayAccess.Values<Int128>(constant)[0], values);
                break;
            case PhysicalKind.Utf8 or PhysicalKind.Binary:
            {
                var target = ArrayAccess.GetBytes(constant, 0);
                var offsets = ArrayAccess.Offsets(left);
                var data = ArrayAccess.VariableData(left);
                bool equality = op is ScalarFunction.Equal or ScalarFunction.NotEqual;
                for (int i = 0; i < length; i++)
                {
                    int start = offsets[i];
                    var value = data.Slice(start, offsets[i + 1] - start);
                    bool holds = equality
                        ? (value.Length == target.Length && value.SequenceEqual(target)) == (op == ScalarFunction.Equal)
                        : Holds(op, value.SequenceCompareTo(target));
                    if (holds)
                    {
                        values[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            }

            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"no scalar comparison for {SqlTypes.Display(TypeOf(left))}");
        }

        var (validity, nullCount) = Bitmaps.CopyValidity(left);
        return ArrayFactory.Boolean(values, validity, nullCount, length);
    }

    private static void NumericScalar<T>(ScalarFunction op, ReadOnlySpan<T> left, T right, Span<byte> output)
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        switch (op)
        {
            case ScalarFunction.Equal:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] == right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            case ScalarFunction.NotEqual:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] != right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            case ScalarFunction.LessThan:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] < right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            case ScalarFunction.LessThanOrEqual:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] <= right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            case ScalarFunction.GreaterThan:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] > right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
            default:
                for (int i = 0; i < left.Length; i++)
                {
                    if (left[i] >= right)
                    {
                        output[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                break;
        }
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
