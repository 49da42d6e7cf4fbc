using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;
using ParquetSharp;
using ParquetSharp.Schema;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Iceberg.Writing.Parquet;

public enum ParquetCompression
{
    Zstd,
    Snappy,
    Uncompressed,
}

/// <summary>Options of <see cref="IcebergParquetWriter"/>.</summary>
public sealed record ParquetWriteOptions
{
    public static readonly ParquetWriteOptions Default = new();

    public ParquetCompression Compression { get; init; } = ParquetCompression.Zstd;

    /// <summary>Rows per row group (the last one may be smaller).</summary>
    public int RowGroupRows { get; init; } = 1 << 20;

    /// <summary>Code points (strings) or bytes (binary) kept in truncated lower/upper bounds.</summary>
    public int BoundTruncateLength { get; init; } = 16;
}

/// <summary>
/// Writes Arrow batches as an Iceberg Parquet data file (field ids on every column) and returns the
/// <see cref="DataFile"/> entry with its metrics and bounds.
/// </summary>
public static class IcebergParquetWriter
{
    /// <summary>Error code for batches that do not fit the schema.</summary>
    public const string InvalidInput = "INVALID_WRITE_INPUT";

    /// <param name="batches">batches whose columns are the schema's top-level fields, in order.</param>
    public static DataFile Write(
        IFileIO io,
        string path,
        IcebergSchema schema,
        IEnumerable<RecordBatch> batches,
        IReadOnlyList<object?> partition,
        int specId,
        ParquetWriteOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(batches);
        options ??= ParquetWriteOptions.Default;
        if (options.RowGroupRows <= 0)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"row group size must be positive, got {options.RowGroupRows}");
        }

        var fields = schema.Columns;
        var nodes = new Node[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            nodes[i] = ToParquetNode(fields[i]);
        }

        var stats = new ColumnStatistics[fields.Count];
        for (var i = 0; i < stats.Length; i++)
        {
            stats[i] = new ColumnStatistics(fields[i], options.BoundTruncateLength);
        }

        long recordCount = 0;
        using (var rootNode = new GroupNode("table", Repetition.Required, nodes))
        using (var builder = new WriterPropertiesBuilder())
        {
            using var properties = builder
                .Compression(options.Compression switch
                {
                    ParquetCompression.Snappy => Compression.Snappy,
                    ParquetCompression.Uncompressed => Compression.Uncompressed,
                    _ => Compression.Zstd,
                })
                .CreatedBy("lakehouse")
                .Build();
            using var output = io.Create(path);
            using var writer = new ParquetFileWriter(output, rootNode, properties, null, leaveOpen: true);
            RowGroupWriter? rowGroup = null;
            var rowsInGroup = 0;
            try
            {
                foreach (var batch in batches)
                {
                    ct.ThrowIfCancellationRequested();
                    if (batch.ColumnCount != fields.Count)
                    {
                        throw new IcebergException(InvalidInput, $"batch has {batch.ColumnCount} columns, schema {schema.SchemaId} has {fields.Count}: {path}");
                    }

                    var offset = 0;
                    while (offset < batch.Length)
                    {
                        if (rowGroup is null || rowsInGroup >= options.RowGroupRows)
                        {
                            rowGroup?.Close();
                            rowGroup?.Dispose();
                            rowGroup = writer.AppendBufferedRowGroup();
                            rowsInGroup = 0;
                        }

                        var take = Math.Min(batch.Length - offset, options.RowGroupRows - rowsInGroup);
                        for (var c = 0; c < fields.Count; c++)
                        {
                            using var column = rowGroup.Column(c);
                            ColumnWriting.Write(column, fields[c], batch.Column(c), offset, take, stats[c], path);
                        }

                        rowsInGroup += take;
                        offset += take;
                        recordCount += take;
                    }
                }

                rowGroup?.Close();
            }
            finally
            {
                rowGroup?.Dispose();
            }

            writer.Close();
        }

        var columnSizes = ReadColumnSizes(io, path, fields);
        var valueCounts = new Dictionary<int, long>();
        var nullCounts = new Dictionary<int, long>();
        var nanCounts = new Dictionary<int, long>();
        var lower = new Dictionary<int, byte[]>();
        var upper = new Dictionary<int, byte[]>();
        foreach (var s in stats)
        {
            valueCounts[s.Field.Id] = s.ValueCount;
            nullCounts[s.Field.Id] = s.NullCount;
            if (s.Field.Type.Id is TypeId.Float or TypeId.Double)
            {
                nanCounts[s.Field.Id] = s.NanCount;
            }

            if (s.LowerBound() is byte[] l)
            {
                lower[s.Field.Id] = l;
            }

            if (s.UpperBound() is byte[] u)
            {
                upper[s.Field.Id] = u;
            }
        }

        return new DataFile
        {
            Content = FileContent.Data,
            Path = path,
            RecordedPath = path,
            Format = FileFormat.Parquet,
            SpecId = specId,
            Partition = partition,
            RecordCount = recordCount,
            FileSizeInBytes = io.GetLength(path),
            ColumnSizes = columnSizes,
            ValueCounts = valueCounts,
            NullValueCounts = nullCounts,
            NanValueCounts = nanCounts,
            LowerBounds = lower,
            UpperBounds = upper,
        };
    }

    /// <summary>The Parquet schema node (with field id) an Iceberg primitive field is written as.</summary>
    public static Node ToParquetNode(NestedField field)
    {
        var repetition = field.Required ? Repetition.Required : Repetition.Optional;
        var (logical, physical, length) = field.Type switch
        {
            DecimalType d when d.Precision <= 9 => (LogicalType.Decimal(d.Precision, d.Scale), PhysicalType.Int32, -1),
            DecimalType d when d.Precision <= 18 => (LogicalType.Decimal(d.Precision, d.Scale), PhysicalType.Int64, -1),
            DecimalType d => (LogicalType.Decimal(d.Precision, d.Scale), PhysicalType.FixedLenByteArray, DecimalBytes(d.Precision)),
            FixedType f => (LogicalType.None(), PhysicalType.FixedLenByteArray, f.Length),
            _ => field.Type.Id switch
            {
                TypeId.Boolean => (LogicalType.None(), PhysicalType.Boolean, -1),
                TypeId.Int => (LogicalType.None(), PhysicalType.Int32, -1),
                TypeId.Long => (LogicalType.None(), PhysicalType.Int64, -1),
                TypeId.Float => (LogicalType.None(), PhysicalType.Float, -1),
                TypeId.Double => (LogicalType.None(), PhysicalType.Double, -1),
                TypeId.Date => (LogicalType.Date(), PhysicalType.Int32, -1),
                TypeId.Time => (LogicalType.Time(false, TimeUnit.Micros), PhysicalType.Int64, -1),
                TypeId.Timestamp => (LogicalType.Timestamp(false, TimeUnit.Micros), PhysicalType.Int64, -1),
                TypeId.TimestampTz => (LogicalType.Timestamp(true, TimeUnit.Micros), PhysicalType.Int64, -1),
                TypeId.TimestampNs => (LogicalType.Timestamp(false, TimeUnit.Nanos), PhysicalType.Int64, -1),
                TypeId.TimestampTzNs => (LogicalType.Timestamp(true, TimeUnit.Nanos), PhysicalType.Int64, -1),
                TypeId.String => (LogicalType.String(), PhysicalType.ByteArray, -1),
                TypeId.Uuid => (LogicalType.Uuid(), PhysicalType.FixedLenByteArray, 16),
                TypeId.Binary => (LogicalType.None(), PhysicalType.ByteArray, -1),
                _ => throw new IcebergException(IcebergException.Unsupported, $"writing column '{field.Name}' of type {field.Type} to Parquet is not supported"),
            },
        };
        using (logical)
        {
            return new PrimitiveNode(field.Name, repetition, logical, physical, length, field.Id);
        }
    }

    /// <summary>Minimum bytes of a two's complement integer holding <paramref name="precision"/> decimal digits.</summary>
    public static int DecimalBytes(int precision)
    {
        var bytes = 1;
        var max = BigInteger.Pow(10, precision) - 1;
        while (BigInteger.Pow(2, (8 * bytes) - 1) <= max)
        {
            bytes++;
        }

        return bytes;
    }

    private static Dictionary<int, long> ReadColumnSizes(IFileIO io, string path, IReadOnlyList<NestedField> fields)
    {
        var sizes = new Dictionary<int, long>();
        using var stream = io.OpenRead(path);
        using var reader = new ParquetFileReader(stream, leaveOpen: false);
        using var metadata = reader.FileMetaData;
        for (var g = 0; g < metadata.NumRowGroups; g++)
        {
            using var rowGroup = reader.RowGroup(g);
            var groupMetadata = rowGroup.MetaData;
            for (var c = 0; c < fields.Count; c++)
            {
                using var chunk = groupMetadata.GetColumnChunkMetaData(c);
                sizes[fields[c].Id] = sizes.GetValueOrDefault(fields[c].Id) + chunk.TotalCompressedSize;
            }
        }

        foreach (var field in fields)
        {
            sizes.TryAdd(field.Id, 0);
        }

        return sizes;
    }
}

/// <summary>Converts one Arrow column slice into Parquet values and definition levels.</summary>
internal static class ColumnWriting
{
    public static void Write(ColumnWriter writer, NestedField field, IArrowArray array, int offset, int count, ColumnStatistics stats, string path)
    {
        var data = array.Data;
        var start = data.Offset + offset;
        var validity = data.Buffers[0].IsEmpty || data.GetNullCount() == 0 ? ReadOnlySpan<byte>.Empty : data.Buffers[0].Span;
        var def = ArrayPool<short>.Shared.Rent(Math.Max(count, 1));
        var dense = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var present = 0;
            for (var i = 0; i < count; i++)
            {
                var at = start + i;
                var valid = validity.IsEmpty || (validity[at >> 3] & (1 << (at & 7))) != 0;
                def[i] = valid ? (short)1 : (short)0;
                if (valid)
                {
                    dense[present++] = at;
                }
            }

            if (field.Required && present != count)
            {
                throw new IcebergException(IcebergParquetWriter.InvalidInput, $"required column '{field.Name}' has {count - present} null values: {path}");
            }

            stats.ValueCount += count;
            stats.NullCount += count - present;
            ReadOnlySpan<short> levels = field.Required ? default : def.AsSpan(0, count);
            var rows = dense.AsSpan(0, present);
            switch (writer)
            {
                case ColumnWriter<bool> w:
                    {
                        var bits = data.Buffers[1].Span;
                        var values = new bool[present];
                        for (var i = 0; i < present; i++)
                        {
                            values[i] = (bits[rows[i] >> 3] & (1 << (rows[i] & 7))) != 0;
                            stats.Observe(values[i] ? 1 : 0);
                        }

                        w.WriteBatch(count, levels, default, values);
                        break;
                    }

                case ColumnWriter<int> w when field.Type.Id == TypeId.Decimal:
                    {
                        var source = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span);
                        var values = new int[present];
                        for (var i = 0; i < present; i++)
                        {
                            values[i] = (int)source[rows[i]];
                            stats.Observe(source[rows[i]]);
                        }

                        w.WriteBatch(count, levels, default, values);
                        break;
                    }

                case ColumnWriter<long> w when field.Type.Id == TypeId.Decimal:
                    {
                        var source = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span);
                        var values = new long[present];
                        for (var i = 0; i < present; i++)
                        {
                            values[i] = (long)source[rows[i]];
                            stats.Observe(source[rows[i]]);
                        }

                        w.WriteBatch(count, levels, default, values);
                        break;
                    }

                case ColumnWriter<int> w:
                    w.WriteBatch(count, levels, default, Gather(MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span), rows, start, count, stats));
                    break;
                case ColumnWriter<long> w:
                    w.WriteBatch(count, levels, default, Gather(MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span), rows, start, count, stats));
                    break;
                case ColumnWriter<float> w:
                    {
                        var source = MemoryMarshal.Cast<byte, float>(data.Buffers[1].Span);
                        var values = new float[present];
                        for (var i = 0; i < present; i++)
                        {
                            values[i] = source[rows[i]];
                            stats.Observe(values[i]);
                        }

                        w.WriteBatch(count, levels, default, values);
                        break;
                    }

                case ColumnWriter<double> w:
                    {
                        var source = MemoryMarshal.Cast<byte, double>(data.Buffers[1].Span);
                        var values = new double[present];
                        for (var i = 0; i < present; i++)
                        {
                            values[i] = source[rows[i]];
                            stats.Observe(values[i]);
                        }

                        w.WriteBatch(count, levels, default, values);
                        break;
                    }

                case ColumnWriter<ByteArray> w:
                    WriteByteArrays(w, data, rows, count, levels, stats);
                    break;
                case ColumnWriter<FixedLenByteArray> w:
                    WriteFixed(w, field, data, rows, count, levels, stats);
                    break;
                default:
                    throw new IcebergException(IcebergException.Unsupported, $"column '{field.Name}': no Parquet writer for {field.Type}");
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(def);
            ArrayPool<int>.Shared.Return(dense);
        }
    }

    private static T[] Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> rows, int start, int count, ColumnStatistics stats)
        where T : unmanaged, INumber<T>
    {
        var values = new T[rows.Length];
        if (rows.Length == count)
        {
            source.Slice(start, count).CopyTo(values);
        }
        else
        {
            for (var i = 0; i < rows.Length; i++)
            {
                values[i] = source[rows[i]];
            }
        }

        foreach (var v in values)
        {
            stats.Observe(long.CreateTruncating(v));
        }

        return values;
    }

    private static unsafe void WriteByteArrays(ColumnWriter<ByteArray> writer, ArrayData data, ReadOnlySpan<int> rows, int count, ReadOnlySpan<short> levels, ColumnStatistics stats)
    {
        var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
        using var pin = data.Buffers[2].Memory.Pin();
        var basePointer = (byte*)pin.Pointer;
        var bytes = data.Buffers[2].Span;
        var values = new ByteArray[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var startOffset = offsets[rows[i]];
            var length = offsets[rows[i] + 1] - startOffset;
            values[i] = new ByteArray((IntPtr)(basePointer + startOffset), length);
            stats.Observe(bytes.Slice(startOffset, length));
        }

        writer.WriteBatch(count, levels, default, values);
    }

    private static unsafe void WriteFixed(ColumnWriter<FixedLenByteArray> writer, NestedField field, ArrayData data, ReadOnlySpan<int> rows, int count, ReadOnlySpan<short> levels, ColumnStatistics stats)
    {
        if (field.Type is DecimalType decimalType)
        {
            var width = IcebergParquetWriter.DecimalBytes(decimalType.Precision);
            var source = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span);
            var encoded = GC.AllocateArray<byte>(Math.Max(1, rows.Length * width), pinned: true);
            var decimals = new FixedLenByteArray[rows.Length];
            fixed (byte* target = encoded)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var value = source[rows[i]];
                    stats.Observe(value);
                    for (var b = width - 1; b >= 0; b--)
                    {
                        encoded[(i * width) + b] = (byte)(value & 0xFF);
                        value >>= 8;
                    }

                    decimals[i] = new FixedLenByteArray((IntPtr)(target + (i * width)));
                }

                writer.WriteBatch(count, levels, default, decimals);
            }

            return;
        }

        var byteWidth = field.Type is FixedType f ? f.Length : 16;
        using var pin = data.Buffers[1].Memory.Pin();
        var basePointer = (byte*)pin.Pointer;
        var bytes = data.Buffers[1].Span;
        var values = new FixedLenByteArray[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = new FixedLenByteArray((IntPtr)(basePointer + (rows[i] * byteWidth)));
            stats.Observe(bytes.Slice(rows[i] * byteWidth, byteWidth));
        }

        writer.WriteBatch(count, levels, default, values);
    }
}

/// <summary>Value, null and NaN counts and min/max of one column, turned into Iceberg bounds.</summary>
internal sealed class ColumnStatistics
{
    private readonly int _truncateLength;
    private bool _hasValue;
    private long _minLong;
    private long _maxLong;
    private double _minDouble;
    private double _maxDouble;
    private Int128 _minDecimal;
    private Int128 _maxDecimal;
    private byte[]? _minBytes;
    private byte[]? _maxBytes;

    public ColumnStatistics(NestedField field, int truncateLength)
    {
        Field = field;
        _truncateLength = truncateLength;
    }

    public NestedField Field { get; }

    public long ValueCount { get; set; }

    public long NullCount { get; set; }

    public long NanCount { get; private set; }

    public void Observe(long value)
    {
        if (!_hasValue || value < _minLong)
        {
            _minLong = value;
        }

        if (!_hasValue || value > _maxLong)
        {
            _maxLong = value;
        }

        _hasValue = true;
    }

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            NanCount++;
            return;
        }

        if (!_hasValue || value < _minDouble)
        {
            _minDouble = value;
        }

        if (!_hasValue || value > _maxDouble)
        {
            _maxDouble = value;
        }

        _hasValue = true;
    }

    public void Observe(Int128 value)
    {
        if (!_hasValue || value < _minDecimal)
        {
            _minDecimal = value;
        }

        if (!_hasValue || value > _maxDecimal)
        {
            _maxDecimal = value;
        }

        _hasValue = true;
    }

    public void Observe(ReadOnlySpan<byte> value)
    {
        if (!_hasValue || value.SequenceCompareTo(_minBytes) < 0)
        {
            _minBytes = value.ToArray();
        }

        if (!_hasValue || value.SequenceCompareTo(_maxBytes) > 0)
        {
            _maxBytes = value.ToArray();
        }

        _hasValue = true;
    }

    public byte[]? LowerBound() => _hasValue ? Bound(lower: true) : null;

    public byte[]? UpperBound() => _hasValue ? Bound(lower: false) : null;

    private byte[]? Bound(bool lower)
    {
        var type = (PrimitiveType)Field.Type;
        object? value = type.Id switch
        {
            TypeId.Boolean => (lower ? _minLong : _maxLong) != 0,
            TypeId.Int or TypeId.Date => (int)(lower ? _minLong : _maxLong),
            TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs => lower ? _minLong : _maxLong,
            TypeId.Float => (float)(lower ? _minDouble : _maxDouble),
            TypeId.Double => lower ? _minDouble : _maxDouble,
            TypeId.Decimal => (BigInteger)(lower ? _minDecimal : _maxDecimal),
            TypeId.String => TruncateString(lower ? _minBytes! : _maxBytes!, lower),
            TypeId.Binary => TruncateBinary(lower ? _minBytes! : _maxBytes!, lower),
            TypeId.Uuid => new Guid(lower ? _minBytes! : _maxBytes!, bigEndian: true),
            TypeId.Fixed => lower ? _minBytes : _maxBytes,
            _ => null,
        };
        return value is null ? null : SingleValueSerialization.ToBytes(type, value);
    }

    private string? TruncateString(byte[] utf8, bool lower)
    {
        var text = System.Text.Encoding.UTF8.GetString(utf8);
        var runes = new List<Rune>();
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add(rune);
        }

        if (runes.Count <= _truncateLength)
        {
            return text;
        }

        runes.RemoveRange(_truncateLength, runes.Count - _truncateLength);
        if (!lower)
        {
            // The upper bound must stay above every value: increment the last code point that can be.
            while (runes.Count > 0)
            {
                var last = runes[^1].Value + 1;
                if (last >= 0xD800 && last <= 0xDFFF)
                {
                    last = 0xE000;
                }

                if (last <= 0x10FFFF)
                {
                    runes[^1] = new Rune(last);
                    break;
                }

                runes.RemoveAt(runes.Count - 1);
            }

            if (runes.Count == 0)
            {
                return null;
            }
        }

        var builder = new StringBuilder();
        foreach (var rune in runes)
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private byte[]? TruncateBinary(byte[] bytes, bool lower)
    {
        if (bytes.Length <= _truncateLength)
        {
            return bytes;
        }

        var truncated = bytes.AsSpan(0, _truncateLength).ToArray();
        if (lower)
        {
            return truncated;
        }

        for (var i = truncated.Length - 1; i >= 0; i--)
        {
            if (truncated[i] != 0xFF)
            {
                truncated[i]++;
                return truncated.AsSpan(0, i + 1).ToArray();
            }
        }

        return null;
    }
}
