using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Kernels;

/// <summary>Kernels over varchar values (UTF-8).</summary>
public static class StringKernels
{
    public static IArrowArray Concat(IArrowArray[] inputs, IArrowType type)
    {
        int length = inputs[0].Length;
        var builder = (VariableBinaryColumnBuilder)ColumnBuilder.Create(type, length);
        var scratch = new List<byte>();
        for (int row = 0; row < length; row++)
        {
            bool isNull = false;
            scratch.Clear();
            foreach (var input in inputs)
            {
                if (input.IsNull(row))
                {
                    isNull = true;
                    break;
                }

                foreach (byte b in ArrayAccess.GetBytes(input, row))
                {
                    scratch.Add(b);
                }
            }

            if (isNull)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch));
            }
        }

        return builder.Build();
    }

    public static IArrowArray ChangeCase(IArrowArray input, bool upper)
    {
        var builder = (VariableBinaryColumnBuilder)ColumnBuilder.Create(StringType.Default, input.Length);
        for (int row = 0; row < input.Length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var text = Encoding.UTF8.GetString(ArrayAccess.GetBytes(input, row));
            builder.AppendString(upper ? text.ToUpperInvariant() : text.ToLowerInvariant());
        }

        return builder.Build();
    }

    public static IArrowArray Length(IArrowArray input)
    {
        var builder = (PrimitiveColumnBuilder<long>)ColumnBuilder.Create(Int64Type.Default, input.Length);
        for (int row = 0; row < input.Length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            long count = 0;
            var bytes = ArrayAccess.GetBytes(input, row);
            foreach (byte b in bytes)
            {
                // Count code points: every byte that does not continue a UTF-8 sequence starts one.
                if ((b & 0xC0) != 0x80)
                {
                    count++;
                }
            }

            builder.Append(count);
        }

        return builder.Build();
    }
}
