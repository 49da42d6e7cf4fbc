using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParquetSharp;
using ParquetSharp.Schema;

namespace Lakehouse.Cli.Tpch;

/// <summary>Physical layout of a generated column.</summary>
internal enum TpchColumnKind
{
    BigInt,
    Integer,

    /// <summary>decimal(15,2), stored as 64-bit unscaled cents.</summary>
    Money,

    /// <summary>Days since 1970-01-01.</summary>
    Date,
    Varchar,
}

/// <param name="Dictionary">Dictionary-encode the column (worth it only for few distinct values).</param>
internal sealed record TpchColumn(string Name, TpchColumnKind Kind, bool Dictionary = false);

/// <summary>
/// Writes one Parquet file of a generated table, a row group at a time, column after column with
/// ParquetSharp's low-level column writers. All columns are required (TPC-H has no nulls).
/// </summary>
internal sealed class TpchParquetFile : IDisposable
{
    private readonly ParquetFileWriter _writer;
    private readonly IReadOnlyList<TpchColumn> _columns;
    private RowGroupWriter? _rowGroup;
    private int _nextColumn;
    private int _rows;

    public TpchParquetFile(string path, IReadOnlyList<TpchColumn> columns)
    {
        _columns = columns;
        var nodes = new Node[columns.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = ToNode(columns[i]);
        }

        using var root = new GroupNode("schema", Repetition.Required, nodes);
        using var builder = new WriterPropertiesBuilder();
        builder.Compression(Compression.Snappy).CreatedBy("lakehouse tpch").DisableDictionary();
        foreach (var column in columns)
        {
            if (column.Dictionary)
            {
                builder.EnableDictionary(column.Name);
            }

            if (column.Name.EndsWith("comment", StringComparison.Ordinal))
            {
                builder.DisableStatistics(column.Name);
            }
        }

        using var properties = builder.Build();
        _writer = new ParquetFileWriter(path, root, properties);
        foreach (var node in nodes)
        {
            node.Dispose();
        }
    }

    public long RowsWritten { get; private set; }

    public void StartRowGroup(int rows)
    {
        EndRowGroup();
        _rowGroup = _writer.AppendRowGroup();
        _nextColumn = 0;
        _rows = rows;
    }

    public void WriteLongs(ReadOnlySpan<long> values) => Write(values, TpchColumnKind.BigInt, TpchColumnKind.Money);

    public void WriteInts(ReadOnlySpan<int> values) => Write(values, TpchColumnKind.Integer, TpchColumnKind.Date);

    public void WriteStrings(ReadOnlySpan<ByteArray> values) => Write(values, TpchColumnKind.Varchar, TpchColumnKind.Varchar);

    public void EndRowGroup()
    {
        if (_rowGroup is null)
        {
            return;
        }

        if (_nextColumn != _columns.Count)
        {
            throw new InvalidOperationException($"row group ended after {_nextColumn} of {_columns.Count} columns");
        }

        _rowGroup.Close();
        _rowGroup.Dispose();
        _rowGroup = null;
        RowsWritten += _rows;
    }

    public void Close()
    {
        EndRowGroup();
        _writer.Close();
    }

    public void Dispose()
    {
        _rowGroup?.Dispose();
        _writer.Dispose();
    }

    private void Write<T>(ReadOnlySpan<T> values, TpchColumnKind kind, TpchColumnKind otherKind)
        where T : unmanaged
    {
        var column = _columns[_nextColumn];
        if (_rowGroup is null || (column.Kind != kind && column.Kind != otherKind) || values.Length != _rows)
        {
            throw new InvalidOperationException($"column {column.Name} ({column.Kind}) cannot take {values.Length} {typeof(T).Name} values here");
        }

        using var writer = (ColumnWriter<T>)_rowGroup.NextColumn();
        writer.WriteBatch(values.Length, default, default, values);
        _nextColumn++;
    }

    private static Node ToNode(TpchColumn column)
    {
        var (logical, physical) = column.Kind switch
        {
            TpchColumnKind.BigInt => (LogicalType.Int(64, true), PhysicalType.Int64),
            TpchColumnKind.Integer => (LogicalType.Int(32, true), PhysicalType.Int32),
            TpchColumnKind.Money => (LogicalType.Decimal(15, 2), PhysicalType.Int64),
            TpchColumnKind.Date => (LogicalType.Date(), PhysicalType.Int32),
            _ => (LogicalType.String(), PhysicalType.ByteArray),
        };
        using (logical)
        {
            return new PrimitiveNode(column.Name, Repetition.Required, logical, physical);
        }
    }
}

/// <summary>
/// A pinned byte buffer that string values of one row group are written into; the
/// <see cref="ByteArray"/> values handed to Parquet point into it, so building a string allocates nothing.
/// </summary>
internal sealed class TextArena
{
    private byte[] _buffer;
    private int _used;

    public TextArena(int capacity) => _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 16), pinned: true);

    /// <summary>Empties the arena, making room for at least <paramref name="capacity"/> bytes; earlier values become invalid.</summary>
    public void Reset(int capacity)
    {
        if (_buffer.Length < capacity)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
        }

        _used = 0;
    }

    /// <summary>Room to write up to <paramref name="maxLength"/> bytes; finish with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_used + maxLength > _buffer.Length)
        {
            throw new InvalidOperationException($"text arena of {_buffer.Length} bytes is full");
        }

        return _buffer.AsSpan(_used, maxLength);
    }

    public unsafe ByteArray Commit(int length)
    {
        var value = new ByteArray((IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)) + _used, length);
        _used += length;
        return value;
    }

    public ByteArray Add(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        return Commit(bytes.Length);
    }
}

/// <summary>Fixed strings (word lists, the comment text pool) held in pinned memory for the life of the generator.</summary>
internal sealed class PinnedText
{
    private readonly byte[] _bytes;

    public PinnedText(byte[] bytes)
    {
        _bytes = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(_bytes, 0);
    }

    public int Length => _bytes.Length;

    public ReadOnlySpan<byte> Span => _bytes;

    public unsafe ByteArray Slice(int offset, int length) =>
        new((IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bytes)) + offset, length);

    /// <summary>Pins each word and returns a value for each.</summary>
    public static ByteArray[] Words(IReadOnlyList<string> words, out PinnedText storage)
    {
        var all = new List<byte>();
        var offsets = new int[words.Count + 1];
        for (var i = 0; i < words.Count; i++)
        {
            offsets[i] = all.Count;
            all.AddRange(System.Text.Encoding.UTF8.GetBytes(words[i]));
        }

        offsets[words.Count] = all.Count;
        storage = new PinnedText([.. all]);
        var values = new ByteArray[words.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = storage.Slice(offsets[i], offsets[i + 1] - offsets[i]);
        }

        return values;
    }
}
