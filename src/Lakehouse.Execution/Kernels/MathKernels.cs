using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>Trino's math functions: round half away from zero, ceil/floor/truncate, sign, double functions, greatest/least.</summary>
public static class MathKernels
{
    private static byte[] Output<T>(int length)
        where T : unmanaged => new byte[length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];

    private static bool IsValid(byte[]? validity, int row) => validity is null || ArrayAccess.GetBit(validity, row);

    /// <summary>round(x, digits): <paramref name="digits"/> is an int32 array; the result has <paramref name="resultType"/>.</summary>
    public static IArrowArray Round(IArrowArray input, IArrowArray digits, IArrowType inputType, IArrowType resultType)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(input, digits);
        var places = ArrayAccess.Values<int>(digits);
        try
        {
            byte[] output;
            switch (SqlTypes.KindOf(inputType))
            {
                case PhysicalKind.Int8:
                    output = RoundIntegers<sbyte>(input, places, validity);
                    break;
                case PhysicalKind.Int16:
                    output = RoundIntegers<short>(input, places, validity);
                    break;
                case PhysicalKind.Int32:
                    output = RoundIntegers<int>(input, places, validity);
                    break;
                case PhysicalKind.Int64:
                    output = RoundIntegers<long>(input, places, validity);
                    break;
                case PhysicalKind.Double:
                {
                    var values = ArrayAccess.Values<double>(input);
                    output = Output<double>(length);
                    var result = MemoryMarshal.Cast<byte, double>(output.AsSpan());
                    for (int row = 0; row < length; row++)
                    {
                        if (IsValid(validity, row))
                        {
                            result[row] = RoundDouble(values[row], places[row]);
                        }
                    }

                    break;
                }

                case PhysicalKind.Float:
                {
                    var values = ArrayAccess.Values<float>(input);
                    output = Output<float>(length);
                    var result = MemoryMarshal.Cast<byte, float>(output.AsSpan());
                    for (int row = 0; row < length; row++)
                    {
                        if (IsValid(validity, row))
                        {
                            result[row] = (float)RoundDouble(values[row], places[row]);
                        }
                    }

                    break;
                }

                case PhysicalKind.Int128:
                {
                    var values = ArrayAccess.Values<Int128>(input);
                    int inputScale = ((Decimal128Type)inputType).Scale;
                    var target = (Decimal128Type)resultType;
                    output = Output<Int128>(length);
                    var result = MemoryMarshal.Cast<byte, Int128>(output.AsSpan());
                    for (int row = 0; row < length; row++)
                    {
                        if (!IsValid(validity, row))
                        {
                            continue;
                        }

                        // Round to 'digits' places at the input scale, then express at the result scale.
                        var rounded = RoundDecimal(values[row], inputScale, places[row]);
                        result[row] = target.Scale == inputScale ? rounded : rounded / ScalarText.PowerOfTen(inputScale - target.Scale);
                        if (!ScalarText.FitsPrecision(result[row], target.Precision))
                        {
                            throw new OverflowException();
                        }
                    }

                    break;
                }

                default:
                    throw new ExecutionException(ExecutionException.NotSupported, $"round is not defined for {SqlTypes.Display(inputType)}");
            }

            return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
        }
        catch (OverflowException)
        {
            throw new ExecutionException(ExecutionException.NumericOverflow, $"{SqlTypes.Display(resultType)} overflow in round");
        }
    }

    private static byte[] RoundIntegers<T>(IArrowArray input, ReadOnlySpan<int> places, byte[]? validity)
        where T : unmanaged, IBinaryInteger<T>
    {
        var values = ArrayAccess.Values<T>(input);
        var output = Output<T>(values.Length);
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        for (int row = 0; row < values.Length; row++)
        {
            if (!IsValid(validity, row))
            {
                continue;
            }

            int digits = places[row];
            if (digits >= 0)
            {
                result[row] = values[row];
                continue;
            }

            var rounded = RoundDecimal(Int128.CreateTruncating(values[row]), 0, digits);
            result[row] = T.CreateChecked(rounded);
        }

        return output;
    }

    /// <summary>Rounds an unscaled decimal to <paramref name="digits"/> fractional digits, half away from zero, keeping its scale.</summary>
    public static Int128 RoundDecimal(Int128 unscaled, int scale, int digits)
    {
        long drop = (long)scale - digits;
        if (drop <= 0)
        {
            return unscaled;
        }

        if (drop > 38)
        {
            return Int128.Zero;
        }

        var divisor = ScalarText.PowerOfTen((int)drop);
        var (quotient, remainder) = Int128.DivRem(unscaled, divisor);
        if (Int128.Abs(remainder) * 2 >= divisor)
        {
            quotient += Int128.Sign(unscaled);
        }

        return checked(quotient * divisor);
    }

    public static double RoundDouble(double value, int digits)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value;
        }

        if (digits == 0)
        {
            return Math.Round(value, MidpointRounding.AwayFromZero);
        }

        double factor = Math.Pow(10, digits);
        double scaled = value * factor;
        if (double.IsInfinity(scaled) || Math.Abs(scaled) >= 4.5e15)
        {
            return value;
        }

        double rounded = Math.Round(scaled, MidpointRounding.AwayFromZero) / factor;
        return double.IsFinite(rounded) ? rounded : value;
    }

    public enum Direction
    {
        Ceil,
        Floor,
        Truncate,
    }

    /// <summary>ceil, floor and truncate without digits; decimals go to scale 0.</summary>
    public static IArrowArray ToIntegral(IArrowArray input, IArrowType inputType, IArrowType resultType, Direction direction)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        byte[] output;
        switch (SqlTypes.KindOf(inputType))
        {
            case PhysicalKind.Int8 or PhysicalKind.Int16 or PhysicalKind.Int32 or PhysicalKind.Int64:
                return input;
            case PhysicalKind.Double:
            {
                var values = ArrayAccess.Values<double>(input);
                output = Output<double>(length);
                var result = MemoryMarshal.Cast<byte, double>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    result[row] = Integral(values[row], direction);
                }

                break;
            }

            case PhysicalKind.Float:
            {
                var values = ArrayAccess.Values<float>(input);
                output = Output<float>(length);
                var result = MemoryMarshal.Cast<byte, float>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    result[row] = (float)Integral(values[row], direction);
                }

                break;
            }

            case PhysicalKind.Int128:
            {
                var values = ArrayAccess.Values<Int128>(input);
                var divisor = ScalarText.PowerOfTen(((Decimal128Type)inputType).Scale);
                output = Output<Int128>(length);
                var result = MemoryMarshal.Cast<byte, Int128>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    var (quotient, remainder) = Int128.DivRem(values[row], divisor);
                    if (remainder != 0 && direction == Direction.Ceil && remainder > 0)
                    {
                        quotient++;
                    }
                    else if (remainder != 0 && direction == Direction.Floor && remainder < 0)
                    {
                        quotient--;
                    }

                    result[row] = quotient;
                }

                break;
            }

            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"{direction.ToString().ToLowerInvariant()} is not defined for {SqlTypes.Display(inputType)}");
        }

        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }

    private static double Integral(double value, Direction direction) => direction switch
    {
        Direction.Ceil => Math.Ceiling(value),
        Direction.Floor => Math.Floor(value),
        _ => Math.Truncate(value),
    };

    /// <summary>truncate(x, digits): drops digits after <paramref name="digits"/> places, keeping the type.</summary>
    public static IArrowArray TruncateDigits(IArrowArray input, IArrowArray digits, IArrowType type)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CombineValidity(input, digits);
        var places = ArrayAccess.Values<int>(digits);
        byte[] output;
        switch (SqlTypes.KindOf(type))
        {
            case PhysicalKind.Double:
            {
                var values = ArrayAccess.Values<double>(input);
                output = Output<double>(length);
                var result = MemoryMarshal.Cast<byte, double>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    double factor = Math.Pow(10, places[row]);
                    double scaled = values[row] * factor;
                    result[row] = double.IsFinite(scaled) && Math.Abs(scaled) < 4.5e15 ? Math.Truncate(scaled) / factor : values[row];
                }

                break;
            }

            case PhysicalKind.Float:
            {
                var values = ArrayAccess.Values<float>(input);
                output = Output<float>(length);
                var result = MemoryMarshal.Cast<byte, float>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    double factor = Math.Pow(10, places[row]);
                    double scaled = values[row] * factor;
                    result[row] = (float)(double.IsFinite(scaled) && Math.Abs(scaled) < 4.5e15 ? Math.Truncate(scaled) / factor : values[row]);
                }

                break;
            }

            case PhysicalKind.Int128:
            {
                var values = ArrayAccess.Values<Int128>(input);
                int scale = ((Decimal128Type)type).Scale;
                output = Output<Int128>(length);
                var result = MemoryMarshal.Cast<byte, Int128>(output.AsSpan());
                for (int row = 0; row < length; row++)
                {
                    long drop = (long)scale - places[row];
                    if (drop <= 0)
                    {
                        result[row] = values[row];
                    }
                    else if (drop <= 38)
                    {
                        var divisor = ScalarText.PowerOfTen((int)drop);
                        result[row] = values[row] / divisor * divisor;
                    }
                }

                break;
            }

            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"truncate is not defined for {SqlTypes.Display(type)}");
        }

        return ArrayFactory.Primitive(type, output, validity, nullCount, length);
    }

    public static IArrowArray Sign(IArrowArray input, IArrowType inputType, IArrowType resultType)
    {
        int length = input.Length;
        var (validity, nullCount) = Bitmaps.CopyValidity(input);
        byte[] output = SqlTypes.KindOf(inputType) switch
        {
            PhysicalKind.Int8 => SignOf<sbyte, sbyte>(input),
            PhysicalKind.Int16 => SignOf<short, short>(input),
            PhysicalKind.Int32 => SignOf<int, int>(input),
            PhysicalKind.Int64 => SignOf<long, long>(input),
            PhysicalKind.Int128 => SignOf<Int128, Int128>(input),
            PhysicalKind.Double => SignOfFloating<double>(input),
            PhysicalKind.Float => SignOfFloating<float>(input),
            _ => throw new ExecutionException(ExecutionException.NotSupported, $"sign is not defined for {SqlTypes.Display(inputType)}"),
        };
        return ArrayFactory.Primitive(resultType, output, validity, nullCount, length);
    }

    private static byte[] SignOf<T, TResult>(IArrowArray input)
        where T : unmanaged, INumber<T>
        where TResult : unmanaged, INumber<TResult>
    {
        var values = ArrayAccess.Values<T>(input);
        var output = Output<TResult>(values.Length);
        var result = MemoryMarshal.Cast<byte, TResult>(output.AsSpan());
        for (int row = 0; row < values.Length; row++)
        {
            result[row] = TResult.CreateTruncating(T.Sign(values[row]));
        }

        return output;
    }

    private static byte[] SignOfFloating<T>(IArrowArray input)
        where T : unmanaged, IFloatingPoint<T>
    {
        var values = ArrayAccess.Values<T>(input);
        var output = Output<T>(values.Length);
        var result = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        for (int row = 0; row < values.Length; row++)
        {
            var value = values[row];
            result[row] = T.IsNaN(value) ? value : T.CreateTruncating(value > T.Zero ? 1 : value < T.Zero ? -1 : 0);
        }

        return output;
    }

    /// <summary>A double function of one or two double arguments.</summary>
    public static IArrowArray Doubles(IArrowArray[] inputs, Func<double, double, double> function)
    {
        int length = inputs[0].Length;
        var (validity, nullCount) = inputs.Length == 1 ? Bitmaps.CopyValidity(inputs[0]) : Bitmaps.CombineValidity(inputs[0], inputs[1]);
        var first = ArrayAccess.Values<double>(inputs[0]);
        var second = inputs.Length > 1 ? ArrayAccess.Values<double>(inputs[1]) : first;
        var output = Output<double>(length);
        var result = MemoryMarshal.Cast<byte, double>(output.AsSpan());
        for (int row = 0; row < length; row++)
        {
            result[row] = function(first[row], second[row]);
        }

        return ArrayFactory.Primitive(DoubleType.Default, output, validity, nullCount, length);
    }

    public static IArrowArray IsNan(IArrowArray input)
    {
        int length = input.Length;
        var builder = new BooleanColumnBuilder(BooleanType.Default, length);
        var values = ArrayAccess.Values<double>(input);
        var validity = new Validity(input);
        for (int row = 0; row < length; row++)
        {
            if (validity.IsValid(row))
            {
                builder.Append(double.IsNaN(values[row]));
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    /// <summary>greatest / least: NULL when any argument is NULL.</summary>
    public static IArrowArray Extreme(IArrowArray[] inputs, IArrowType type, bool greatest)
    {
        int length = inputs[0].Length;
        var builder = ColumnBuilder.Create(type, length);
        var kind = SqlTypes.KindOf(type);
        for (int row = 0; row < length; row++)
        {
            int best = -1;
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].IsNull(row))
                {
                    best = -2;
                    break;
                }

                if (best < 0 || Compare(kind, inputs[i], inputs[best], row) * (greatest ? 1 : -1) > 0)
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                builder.AppendNull();
            }
            else
            {
                if (kind is PhysicalKind.Double && double.IsNaN(ArrayAccess.Values<double>(inputs[best])[row]))
                {
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"{(greatest ? "greatest" : "least")} does not accept NaN");
                }

                builder.AppendFrom(inputs[best], row);
            }
        }

        return builder.Build();
    }

    private static int Compare(PhysicalKind kind, IArrowArray left, IArrowArray right, int row) => kind switch
    {
        PhysicalKind.Int8 => ArrayAccess.Values<sbyte>(left)[row].CompareTo(ArrayAccess.Values<sbyte>(right)[row]),
        PhysicalKind.Int16 => ArrayAccess.Values<short>(left)[row].CompareTo(ArrayAccess.Values<short>(right)[row]),
        PhysicalKind.Int32 => ArrayAccess.Values<int>(left)[row].CompareTo(ArrayAccess.Values<int>(right)[row]),
        PhysicalKind.Int64 => ArrayAccess.Values<long>(left)[row].CompareTo(ArrayAccess.Values<long>(right)[row]),
        PhysicalKind.Float => ArrayAccess.Values<float>(left)[row].CompareTo(ArrayAccess.Values<float>(right)[row]),
        PhysicalKind.Double => ArrayAccess.Values<double>(left)[row].CompareTo(ArrayAccess.Values<double>(right)[row]),
        PhysicalKind.Int128 => ArrayAccess.Values<Int128>(left)[row].CompareTo(ArrayAccess.Values<Int128>(right)[row]),
        PhysicalKind.Boolean => ArrayAccess.GetBoolean(left, row).CompareTo(ArrayAccess.GetBoolean(right, row)),
        _ => ArrayAccess.GetBytes(left, row).SequenceCompareTo(ArrayAccess.GetBytes(right, row)),
    };
}
