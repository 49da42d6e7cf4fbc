using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>Functions over arrays (Arrow lists): cardinality and array_join.</summary>
public static class ArrayKernels
{
    public static IArrowArray Cardinality(IArrowArray input)
    {
        var list = (ListArray)input;
        var builder = new PrimitiveColumnBuilder<long>(Int64Type.Default, list.Length);
        var offsets = list.ValueOffsets;
        for (int row = 0; row < list.Length; row++)
        {
            if (list.IsNull(row))
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(offsets[row + 1] - offsets[row]);
            }
        }

        return builder.Build();
    }

    /// <summary>Joins the elements (as varchar) with the separator; NULL elements are skipped unless a replacement is given.</summary>
    public static IArrowArray Join(IArrowArray[] inputs, IArrowType elementType)
    {
        var list = (ListArray)inputs[0];
        var separators = inputs[1];
        var replacements = inputs[2];
        var elements = SqlTypes.AreEqual(elementType, SqlTypes.Varchar)
            ? list.Values
            : CastKernels.Cast(list.Values, elementType, SqlTypes.Varchar, isTry: false);
        var offsets = list.ValueOffsets;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, list.Length);
        var scratch = new ByteScratch();
        for (int row = 0; row < list.Length; row++)
        {
            if (list.IsNull(row) || separators.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            scratch.Clear();
            bool first = true;
            for (int element = offsets[row]; element < offsets[row + 1]; element++)
            {
                bool isNull = elements.IsNull(element);
                if (isNull && replacements.IsNull(row))
                {
                    continue;
                }

                if (!first)
                {
                    scratch.Append(ArrayAccess.GetBytes(separators, row));
                }

                scratch.Append(isNull ? ArrayAccess.GetBytes(replacements, row) : ArrayAccess.GetBytes(elements, element));
                first = false;
            }

            builder.Append(scratch.Span);
        }

        return builder.Build();
    }
}
