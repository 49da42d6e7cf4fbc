using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Server.Tests;

/// <summary>Builds Arrow arrays by hand, straight from buffers, so every type can be tested.</summary>
internal static class TestArrays
{
    public static IArrowArray Primitive<T>(IArrowType type, params T?[] values)
        where T : struct
    {
        var validity = new ArrowBuffer.BitmapBuilder();
        var data = new ArrowBuffer.Builder<T>();
        var nulls = 0;
        foreach (var value in values)
        {
            validity.Append(value.HasValue);
            data.Append(value ?? default);
            nulls += value.HasValue ? 0 : 1;
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Length, nulls, 0, [validity.Build(), data.Build()]));
    }

    /// <summary>A decimal array from unscaled values (any width up to 128 bits).</summary>
    public static IArrowArray Decimal128(int precision, int scale, params Int128?[] unscaled)
    {
        var validity = new ArrowBuffer.BitmapBuilder();
        var bytes = new byte[unscaled.Length * 16];
        var nulls = 0;
        for (var index = 0; index < unscaled.Length; index++)
        {
            validity.Append(unscaled[index].HasValue);
            nulls += unscaled[index].HasValue ? 0 : 1;
            BinaryPrimitives.WriteInt128LittleEndian(bytes.AsSpan(index * 16), unscaled[index] ?? Int128.Zero);
        }

        var type = new Decimal128Type(precision, scale);
        return ArrowArrayFactory.BuildArray(new ArrayData(type, unscaled.Length, nulls, 0, [validity.Build(), new ArrowBuffer(bytes)]));
    }

    public static RecordBatch Batch(params (string Name, IArrowArray Array)[] columns)
    {
        var schema = new Schema.Builder();
        foreach (var (name, array) in columns)
        {
            schema.Field(new Field(name, array.Data.DataType, nullable: true));
        }

        var arrays = new IArrowArray[columns.Length];
        for (var index = 0; index < columns.Length; index++)
        {
            arrays[index] = columns[index].Array;
        }

        return new RecordBatch(schema.Build(), arrays, columns.Length == 0 ? 0 : columns[0].Array.Length);
    }
}
