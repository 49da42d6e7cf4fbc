using Apache.Arrow;

namespace Lakehouse.Execution.Arrays;

/// <summary>Bitmap helpers for validity and boolean values.</summary>
public static class Bitmaps
{
    /// <summary>Validity of a row-wise combination: valid where every input is valid; null bitmap when all valid.</summary>
    public static (byte[]? Validity, int NullCount) CombineValidity(IArrowArray left, IArrowArray right)
    {
        var a = new Validity(left);
        var b = new Validity(right);
        if (a.AllValid && b.AllValid)
        {
            return (null, 0);
        }

        int length = left.Length;
        var bits = new byte[(length + 7) >> 3];
        int nulls = 0;
        for (int i = 0; i < length; i++)
        {
            if (a.IsValid(i) && b.IsValid(i))
            {
                ArrayAccess.SetBit(bits, i);
            }
            else
            {
                nulls++;
            }
        }

        return (bits, nulls);
    }

    public static (byte[]? Validity, int NullCount) CopyValidity(IArrowArray array)
    {
        var validity = new Validity(array);
        if (validity.AllValid)
        {
            return (null, 0);
        }

        int length = array.Length;
        var bits = new byte[(length + 7) >> 3];
        int nulls = 0;
        for (int i = 0; i < length; i++)
        {
            if (validity.IsValid(i))
            {
                ArrayAccess.SetBit(bits, i);
            }
            else
            {
                nulls++;
            }
        }

        return (bits, nulls);
    }

    /// <summary>Rows where a boolean array is true (and not null).</summary>
    public static int[] TrueIndexes(IArrowArray predicate, out int count)
    {
        int length = predicate.Length;
        var indexes = new int[length];
        count = 0;
        var validity = new Validity(predicate);
        var bits = ArrayAccess.BooleanBits(predicate);
        int offset = predicate.Data.Offset;
        for (int i = 0; i < length; i++)
        {
            if (validity.IsValid(i) && ArrayAccess.GetBit(bits, i + offset))
            {
                indexes[count++] = i;
            }
        }

        return indexes;
    }
}
