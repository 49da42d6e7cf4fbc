using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>Vectorized + - * / % with Trino semantics: integer overflow and division by zero are errors, decimals are exact.</summary>
public static class ArithmeticKernels
{
    public static IArrowArray Apply(ScalarFunction op, IArrowArray left, IArrowArray right, IArrowType resultType)
    {
        int length = left.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(left, right);
        byte[] output;
        try
        {
            output = SqlTypes.KindOf(resultType) switch
            {
                PhysicalKind.Int8 => Integer<sbyte>(op, left, right, validity),
                PhysicalKind.Int16 => Integer<short>(op, left, right, validity),
                PhysicalKind.Int32 => Integer<int>(op, left, right, validity),
                PhysicalKind.Int64 => Integer<long>(op, left, right, validity),
                PhysicalKind.Float => Floating<float>(op, left, right),
                PhysicalKind.Double => Floating<double>(op, left, right),
                PhysicalKind.Int128 => Decimal(op, left, right, (Decimal128Type)resultType, validity),
                _ => throw new ExecutionException(ExecutionException.NotSupported, $"arithmetic is not defined for {SqlTypes.Display(resultType)}"),
            };
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(resultType)} overflow in '{CallExpression.OperatorText(op)}'");
        }

        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }

    public static IArrowArray Negate(IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        try
        {
            byte[] output = SqlTypes.KindOf(type) switch
            {
                PhysicalKind.Int8 => NegateValues<sbyte>(input, validity),
                PhysicalKind.Int16 => NegateValues<short>(input, validity),
                PhysicalKind.Int32 => NegateValues<int>(input, validity),
                PhysicalKind.Int64 => NegateValues<long>(input, validity),
                PhysicalKind.Float => NegateValues<float>(input, validity),
                PhysicalKind.Double => NegateValues<double>(input, validity),
                PhysicalKind.Int128 => NegateValues<Int128>(input, validity),
                _ => throw new ExecutionException(ExecutionException.NotSupported, $"negation is not defined for {SqlTypes.Display(type)}"),
            };
            return ArrayFactory.Primitive(type, output, validity, nullCount, length);
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(type)} overflow in negation");
        }
    }

    public static IArrowArray Abs(IArrowArray input, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        try
        {
            byte[] output = SqlTypes.KindOf(type) switch
            {
                PhysicalKind.Int8 => AbsValues<sbyte>(input, validity),
                PhysicalKind.Int16 => AbsValues<short>(input, validity),
                PhysicalKind.Int32 => AbsValues<int>(input, validity),
                PhysicalKind.Int64 => AbsValues<long>(input, validity),
                PhysicalKind.Float => AbsValues<float>(input, validity),
                PhysicalKind.Double => AbsValues<double>(input, validity),
                PhysicalKind.Int128 => AbsValues<Int128>(input, validity),
                _ => throw new ExecutionException(ExecutionException.NotSupported, $"abs is not defined for {SqlTypes.Display(type)}"),
            };
            return ArrayFactory.Primitive(type, output, validity, nullCount, length);
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(type)} overflow in abs");
        }
    }

    private static bool IsValid(byte[]? validity, int index) => validity is null || ArrayAccess.GetBit(validity, index);

    private static byte[] NegateValues<T>(IArrowArray input, byte[]? validity)
        where T : unmanaged, INumber<T>
    {
        var values = ArrayAccess.Values<T>(input);
        var output = new byte[values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        for (int i = 0; i < values.Length; i++)
        {
            if (IsValid(validity, i))
            {
                result[i] = checked(-values[i]);
            }
        }

        return output;
    }

    private static byte[] AbsValues<T>(IArrowArray input, byte[]? validity)
        where T : unmanaged, INumber<T>
    {
        var values = ArrayAccess.Values<T>(input);
        var output = new byte[values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        for (int i = 0; i < values.Length; i++)
        {
            if (IsValid(validity, i))
            {
                result[i] = T.Abs(values[i]);
            }
        }

        return output;
    }

    private static byte[] Integer<T>(ScalarFunction op, IArrowArray leftArray, IArrowArray rightArray, byte[]? validity)
        where T : unmanaged, IBinaryInteger<T>
    {
        var left = ArrayAccess.Values<T>(leftArray);
        var right = ArrayAccess.Values<T>(rightArray);
        var output = new byte[left.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        switch (op)
        {
            case ScalarFunction.Add:
                for (int i = 0; i < left.Length; i++)
                {
                    if (IsValid(validity, i))
                    {
                        result[i] = checked(left[i] + right[i]);
                    }
                }

                break;
            case ScalarFunction.Subtract:
                for (int i = 0; i < left.Length; i++)
                {
                    if (IsValid(validity, i))
                    {
                        result[i] = checked(left[i] - right[i]);
                    }
                }

                break;
            case ScalarFunction.Multiply:
                for (int i = 0; i < left.Length; i++)
                {
                    if (IsValid(validity, i))
                    {
                        result[i] = checked(left[i] * right[i]);
                    }
                }

                break;
            case ScalarFunction.Divide:
            case ScalarFunction.Modulo:
                for (int i = 0; i < left.Length; i++)
                {
                    if (!IsValid(validity, i))
                    {
                        continue;
                    }

                    if (T.IsZero(right[i]))
                    {
                        throw new ExecutionException(ExecutionException.DivisionByZero, "division by zero");
                    }

                    if (op == ScalarFunction.Modulo)
                    {
                        result[i] = right[i] == -T.One ? T.Zero : left[i] % right[i];
                    }
                    else
                    {
                        result[i] = checked(left[i] / right[i]);
                    }
                }

                break;
        }

        return output;
    }

    private static byte[] Floating<T>(ScalarFunction op, IArrowArray leftArray, IArrowArray rightArray)
        where T : unmanaged, IFloatingPoint<T>
    {
        var left = ArrayAccess.Values<T>(leftArray);
        var right = ArrayAccess.Values<T>(rightArray);
        var output = new byte[left.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        for (int i = 0; i < left.Length; i++)
        {
            result[i] = op switch
            {
                ScalarFunction.Add => left[i] + right[i],
                ScalarFunction.Subtract => left[i] - right[i],
                ScalarFunction.Multiply => left[i] * right[i],
                ScalarFunction.Divide => left[i] / right[i],
                _ => left[i] % right[i],
            };
        }

        return output;
    }

    private static byte[] Decimal(ScalarFunction op, IArrowArray leftArray, IArrowArray rightArray, Decimal128Type resultType, byte[]? validity)
    {
        int leftScale = ((Decimal128Type)leftArray.Data.DataType).Scale;
        int rightScale = ((Decimal128Type)rightArray.Data.DataType).Scale;
        var left = ArrayAccess.Values<Int128>(leftArray);
        var right = ArrayAccess.Values<Int128>(rightArray);
        var output = new byte[left.Length * 16];
        var result = MemoryMarshal.Cast<byte, Int128>(output.AsSpan());
        int scale = resultType.Scale;
        if (TryBoundedDecimal(op, (Decimal128Type)leftArray.Data.DataType, (Decimal128Type)rightArray.Data.DataType, scale, left, right, result))
        {
            return output;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (!IsValid(validity, i))
            {
                continue;
            }

            Int128 value = op switch
            {
                ScalarFunction.Add => checked(Rescale(left[i], leftScale, scale) + Rescale(right[i], rightScale, scale)),
                ScalarFunction.Subtract => checked(Rescale(left[i], leftScale, scale) - Rescale(right[i], rightScale, scale)),
                ScalarFunction.Multiply => Multiply(left[i], right[i], leftScale + rightScale, scale),
                ScalarFunction.Divide => DecimalMath.Divide(left[i], leftScale, right[i], rightScale, scale),
                _ => Remainder(Rescale(left[i], leftScale, scale), Rescale(right[i], rightScale, scale)),
            };
            if (!ScalarText.FitsPrecision(value, 38))
            {
                throw new OverflowException();
            }

            result[i] = value;
        }

        return output;
    }

    /// <summary>
    /// Addition, subtraction and multiplication whose result cannot leave 38 digits given the operands'
    /// declared precisions: no per-value overflow checks, and 64-bit arithmetic when 18 digits suffice.
    /// </summary>
    private static bool TryBoundedDecimal(ScalarFunction op, Decimal128Type leftType, Decimal128Type rightType, int scale, ReadOnlySpan<Int128> left, ReadOnlySpan<Int128> right, Span<Int128> result)
    {
        int length = left.Length;
        switch (op)
        {
            case ScalarFunction.Add or ScalarFunction.Subtract:
            {
                if (scale < leftType.Scale || scale < rightType.Scale)
                {
                    return false;
                }

                int digits = 1 + scale + Math.Max(leftType.Precision - leftType.Scale, rightType.Precision - rightType.Scale);
                if (digits > 38)
                {
                    return false;
                }

                Int128 leftFactor = PowerOfTen(scale - leftType.Scale);
                Int128 rightFactor = PowerOfTen(scale - rightType.Scale);
                if (op == ScalarFunction.Subtract)
                {
                    rightFactor = -rightFactor;
                }

                if (digits <= 18)
                {
                    long leftSmall = (long)leftFactor;
                    long rightSmall = (long)rightFactor;
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = unchecked(((long)left[i] * leftSmall) + ((long)right[i] * rightSmall));
                    }
                }
                else
                {
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = unchecked((left[i] * leftFactor) + (right[i] * rightFactor));
                    }
                }

                return true;
            }

            case ScalarFunction.Multiply:
            {
                int digits = leftType.Precision + rightType.Precision;
                if (leftType.Scale + rightType.Scale != scale)
                {
                    return false;
                }

                // Declared precisions that could overflow (decimal(31,4) * decimal(16,2)) rarely do with the
                // actual values: products of magnitudes below 2^126 stay below 10^38.
                if (digits > 38 && MagnitudeBits(left) + MagnitudeBits(right) > 126)
                {
                    return false;
                }

                if (digits <= 18)
                {
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = unchecked((long)left[i] * (long)right[i]);
                    }
                }
                else if ((leftType.Precision <= 18 || MagnitudeBits(left) <= 62) && (rightType.Precision <= 18 || MagnitudeBits(right) <= 62))
                {
                    // Both operands fit 64 bits: one widening multiply per value.
                    for (int i = 0; i < length; i++)
                    {
                        long high = Math.BigMul((long)left[i], (long)right[i], out long low);
                        result[i] = new Int128((ulong)high, (ulong)low);
                    }
                }
                else
                {
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = unchecked(left[i] * right[i]);
                    }
                }

                return true;
            }

            default:
                return false;
        }
    }

    /// <summary>Bits needed for the largest magnitude among the values.</summary>
    private static int MagnitudeBits(ReadOnlySpan<Int128> values)
    {
        UInt128 all = 0;
        foreach (var value in values)
        {
            all |= (UInt128)(value < 0 ? unchecked(-value) : value);
        }

        return 128 - (int)UInt128.LeadingZeroCount(all);
    }

    private static Int128 PowerOfTen(int exponent)
    {
        Int128 value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }

    private static Int128 Multiply(Int128 left, Int128 right, int productScale, int scale)
    {
        var product = checked(left * right);
        return productScale == scale ? product : Rescale(product, productScale, scale);
    }

    private static Int128 Remainder(Int128 left, Int128 right)
    {
        if (right == 0)
        {
            throw new ExecutionException(ExecutionException.DivisionByZero, "division by zero");
        }

        return left % right;
    }

    private static Int128 Rescale(Int128 value, int fromScale, int toScale)
    {
        if (!ScalarText.TryRescale(value, fromScale, toScale, out var result))
        {
            throw new OverflowException();
        }

        return result;
    }
}

/// <summary>Exact decimal operations on unscaled Int128 values.</summary>
public static class DecimalMath
{
    /// <summary>left / right rounded half away from zero to <paramref name="scale"/> digits.</summary>
    public static Int128 Divide(Int128 left, int leftScale, Int128 right, int rightScale, int scale)
    {
        if (right == 0)
        {
            throw new ExecutionException(ExecutionException.DivisionByZero, "division by zero");
        }

        // result = left * 10^(scale - leftScale + rightScale) / right
        int shift = scale - leftScale + rightScale;
        if (shift >= 0 && shift <= 38 && ScalarText.TryRescale(left, 0, shift, out var scaledLeft))
        {
            return ScalarText.DivideRoundHalfUp(scaledLeft, right);
        }

        var numerator = (BigInteger)left;
        var denominator = (BigInteger)right;
        if (shift >= 0)
        {
            numerator *= BigInteger.Pow(10, shift);
        }
        else
        {
            denominator *= BigInteger.Pow(10, -shift);
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= BigInteger.Abs(denominator))
        {
            quotient += (numerator.Sign < 0) != (denominator.Sign < 0) ? -1 : 1;
        }

        if (BigInteger.Abs(quotient) >= BigInteger.Pow(10, 38))
        {
            throw new OverflowException();
        }

        return (Int128)quotient;
    }

    private static readonly double[] DoublePowers = BuildDoublePowers();

    private static double[] BuildDoublePowers()
    {
        var powers = new double[23];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    /// <summary>The double nearest to the decimal value.</summary>
    public static double ToDouble(Int128 unscaled, int scale)
    {
        const long exactLimit = 1L << 53;
        if (scale < DoublePowers.Length && unscaled < exactLimit && unscaled > -exactLimit)
        {
            return (double)(long)unscaled / DoublePowers[scale];
        }

        return double.Parse(ScalarText.FormatDecimal(unscaled, scale), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Converts a double to a decimal of the given scale, rounding half away from zero; false when it does not fit.</summary>
    public static bool TryFromDouble(double value, int precision, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        if (!double.IsFinite(value))
        {
            return false;
        }

        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            if (Math.Abs(value) >= 7.9e28)
            {
                return false;
            }

            text = ((decimal)value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!ScalarText.TryParseDecimal(text, out var parsed, out _, out int parsedScale)
            || !ScalarText.TryRescale(parsed, parsedScale, scale, out unscaled))
        {
            return false;
        }

        return ScalarText.FitsPrecision(unscaled, precision);
    }
}
