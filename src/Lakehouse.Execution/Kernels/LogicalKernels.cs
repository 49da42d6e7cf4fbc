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
