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
        var scratch = new ByteScratch();
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

                scratch.Append(ArrayAccess.GetBytes(input, row));
            }

            if (isNull)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(scratch.Span);
            }
        }

        return builder.Build();
    }

    /// <summary>upper/lower: ASCII values change byte by byte in a reused buffer; others go through the invariant culture.</summary>
    public static IArrowArray ChangeCase(IArrowArray input, bool upper)
    {
        var builder = (VariableBinaryColumnBuilder)ColumnBuilder.Create(StringType.Default, input.Length);
        var scratch = new byte[256];
        for (int row = 0; row < input.Length; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(input, row);
            if (!System.Text.Ascii.IsValid(bytes))
            {
                var text = Encoding.UTF8.GetString(bytes);
                builder.AppendString(upper ? text.ToUpperInvariant() : text.ToLowerInvariant());
                continue;
            }

            if (scratch.Length < bytes.Length)
            {
                scratch = new byte[Math.Max(bytes.Length, scratch.Length * 2)];
            }

            var target = scratch.AsSpan(0, bytes.Length);
            if (upper)
            {
                System.Text.Ascii.ToUpper(bytes, target, out _);
            }
            else
            {
                System.Text.Ascii.ToLower(bytes, target, out _);
            }

            builder.Append(target);
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
