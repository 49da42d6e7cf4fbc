using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Execution.Arrays;

/// <summary>Builds Arrow arrays from raw buffers, wrapping extension types (uuid) around their storage.</summary>
public static class ArrayFactory
{
    public static IArrowArray Build(IArrowType type, int length, int nullCount, ArrowBuffer[] buffers)
    {
        if (type is NullType)
        {
            return new NullArray(length);
        }

        if (type is ExtensionType extension)
        {
            var storage = ArrowArrayFactory.BuildArray(new ArrayData(extension.StorageType, length, nullCount, 0, buffers));
            return extension.CreateArray(storage);
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, length, nullCount, 0, buffers));
    }

    /// <summary>A boolean array from value bits and optional validity bits (null when all valid).</summary>
    public static IArrowArray Boolean(byte[] values, byte[]? validity, int nullCount, int length) =>
        Build(BooleanType.Default, length, nullCount, [validity is null || nullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity), new ArrowBuffer(values)]);

    public static IArrowArray Primitive(IArrowType type, byte[] values, byte[]? validity, int nullCount, int length) =>
        Build(type, length, nullCount, [validity is null || nullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity), new ArrowBuffer(values)]);

    public static IArrowArray Empty(IArrowType type) => ColumnBuilder.Create(type, 0).Build();

    public static RecordBatch EmptyBatch(Schema schema)
    {
        var columns = new IArrowArray[schema.FieldsList.Count];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = Empty(schema.FieldsList[i].DataType);
        }

        return new RecordBatch(schema, columns, 0);
    }

    /// <summary>Array of <paramref name="length"/> copies of a scalar value.</summary>
    public static IArrowArray Repeat(IArrowType type, object? value, int length)
    {
        var builder = ColumnBuilder.Create(type, length);
        if (value is null)
        {
            for (int i = 0; i < length; i++)
            {
                builder.AppendNull();
            }
        }
        else
        {
            builder.AppendScalar(value);
            var one = builder.Build();
            builder = ColumnBuilder.Create(type, length);
            for (int i = 0; i < length; i++)
            {
                builder.AppendFrom(one, 0);
            }
        }

        return builder.Build();
    }

    /// <summary>Rows of <paramref name="source"/> at the given indexes (-1 gives null).</summary>
    public static IArrowArray Take(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows)
    {
        var gathered = ArrayGather.TryTake(source, type, rows);
        if (gathered is not null)
        {
            return gathered;
        }

        var builder = ColumnBuilder.Create(type, rows.Length);
        builder.AppendRows(source, rows);
        return builder.Build();
    }

    public static RecordBatch Take(RecordBatch batch, ReadOnlySpan<int> rows)
    {
        var columns = new IArrowArray[batch.ColumnCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = Take(batch.Column(i), batch.Schema.FieldsList[i].DataType, rows);
        }

        return new RecordBatch(batch.Schema, columns, rows.Length);
    }

    /// <summary>All batches as one (same schema).</summary>
    public static RecordBatch Concatenate(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        int total = 0;
        foreach (var batch in batches)
        {
            total += batch.Length;
        }

        var columns = new IArrowArray[schema.FieldsList.Count];
        var parts = new IArrowArray[batches.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            for (int b = 0; b < parts.Length; b++)
            {
                parts[b] = batches[b].Column(c);
            }

            var concatenated = ArrayGather.TryConcatenate(schema.FieldsList[c].DataType, parts, total);
            if (concatenated is not null)
            {
                columns[c] = concatenated;
                continue;
            }

            var builder = ColumnBuilder.Create(schema.FieldsList[c].DataType, total);
            foreach (var batch in batches)
            {
                builder.AppendRange(batch.Column(c), 0, batch.Length);
            }

            columns[c] = builder.Build();
        }

        return new RecordBatch(schema, columns, total);
    }

    public static RecordBatch Slice(RecordBatch batch, int offset, int length)
    {
        if (offset == 0 && length == batch.Length)
        {
            return batch;
        }

        var columns = new IArrowArray[batch.ColumnCount];
        for (int i = 0; i < columns.Length; i++)
        {
            var builder = ColumnBuilder.Create(batch.Schema.FieldsList[i].DataType, length);
            builder.AppendRange(batch.Column(i), offset, length);
            columns[i] = builder.Build();
        }

        return new RecordBatch(batch.Schema, columns, length);
    }
}
