using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Kernels;

/// <summary>Boolean kernels with SQL three-valued logic.</summary>
public static class LogicalKernels
{
    public static IArrowArray AndOr(IArrowArray left, IArrowArray right, bool isAnd)
    {
        int length = left.Length;
        if (new Validity(left).AllValid && new Validity(right).AllValid && left.Data.Offset == 0 && right.Data.Offset == 0)
        {
            // No NULLs: the value bitmaps combine a word at a time.
            int bytes = (length + 7) >> 3;
            var combined = new byte[bytes];
            var leftBytes = ArrayAccess.BooleanBits(left).Slice(0, bytes);
            var rightBytes = ArrayAccess.BooleanBits(right).Slice(0, bytes);
            int i = 0;
            var leftWords = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(leftBytes);
            var rightWords = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(rightBytes);
            var outWords = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(combined.AsSpan());
            for (int w = 0; w < outWords.Length; w++)
            {
                outWords[w] = isAnd ? leftWords[w] & rightWords[w] : leftWords[w] | rightWords[w];
            }

            for (i = outWords.Length * 8; i < bytes; i++)
            {
                combined[i] = (byte)(isAnd ? leftBytes[i] & rightBytes[i] : leftBytes[i] | rightBytes[i]);
            }

            return ArrayFactory.Boolean(combined, null, 0, length);
        }

        var values = new byte[(length + 7) >> 3];
        var validity = new byte[(length + 7) >> 3];
        int nulls = 0;
        var leftValidity = new Validity(left);
        var rightValidity = new Validity(right);
        var leftBits = ArrayAccess.BooleanBits(left);
        var rightBits = ArrayAccess.BooleanBits(right);
        int leftOffset = left.Data.Offset;
        int rightOffset = right.Data.Offset;
        for (int i = 0; i < length; i++)
        {
            bool leftKnown = leftValidity.IsValid(i);
            bool rightKnown = rightValidity.IsValid(i);
            bool a = leftKnown && ArrayAccess.GetBit(leftBits, i + leftOffset);
            bool b = rightKnown && ArrayAccess.GetBit(rightBits, i + rightOffset);
            bool known;
            bool value;
            if (isAnd)
            {
                // FALSE wins over NULL.
                value = a && b;
                known = (leftKnown && rightKnown) || (leftKnown && !a) || (rightKnown && !b);
            }
            else
            {
                // TRUE wins over NULL.
                value = a || b;
                known = (leftKnown && rightKnown) || a || b;
            }

            if (!known)
            {
                nulls++;
                continue;
            }

            ArrayAccess.SetBit(validity, i);
            if (value)
            {
                ArrayAccess.SetBit(values, i);
            }
        }

        return ArrayFactory.Boolean(values, validity, nulls, length);
    }

    public static IArrowArray Not(IArrowArray input)
    {
        int length = input.Length;
        var values = new byte[(length + 7) >> 3];
        var bits = ArrayAccess.BooleanBits(input);
        int offset = input.Data.Offset;
        for (int i = 0; i < length; i++)
        {
            if (!ArrayAccess.GetBit(bits, i + offset))
            {
                ArrayAccess.SetBit(values, i);
            }
        }

        var (validity, nulls) = Bitmaps.CopyValidity(input);
        return ArrayFactory.Boolean(values, validity, nulls, length);
    }

    public static IArrowArray IsNull(IArrowArray input, bool wantNull)
    {
        int length = input.Length;
        var values = new byte[(length + 7) >> 3];
        var validity = new Validity(input);
        for (int i = 0; i < length; i++)
        {
            if (validity.IsValid(i) != wantNull)
            {
                ArrayAccess.SetBit(values, i);
            }
        }

        return ArrayFactory.Boolean(values, null, 0, length);
    }

    public static IArrowArray Like(IArrowArray input, LikeMatcher matcher)
    {
        int length = input.Length;
        var values = new byte[(length + 7) >> 3];
        var validity = new Validity(input);
        for (int i = 0; i < length; i++)
        {
            if (validity.IsValid(i) && matcher.Matches(ArrayAccess.GetBytes(input, i)))
            {
                ArrayAccess.SetBit(values, i);
            }
        }

        var (validityBits, nulls) = Bitmaps.CopyValidity(input);
        return ArrayFactory.Boolean(values, validityBits, nulls, length);
    }

    /// <summary>NULLIF(a, b): a, or null where a equals b.</summary>
    public static IArrowArray NullIf(IArrowArray left, IArrowArray right, IArrowType type)
    {
        var equal = ComparisonKernels.Compare(Planning.Expressions.ScalarFunction.Equal, left, right);
        var equalValidity = new Validity(equal);
        var builder = ColumnBuilder.Create(type, left.Length);
        for (int i = 0; i < left.Length; i++)
        {
            if (left.IsNull(i) || (equalValidity.IsValid(i) && ArrayAccess.GetBoolean(equal, i)))
            {
                builder.AppendNull();
            }
            else
            {
                builder.AppendFrom(left, i);
            }
        }

        return builder.Build();
    }
}
