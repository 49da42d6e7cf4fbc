using System.Runtime.InteropServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Open-addressing hash table from encoded row keys to dense ids. Keys live in one growing byte arena,
/// so inserting and probing allocate nothing per row.
/// </summary>
public sealed class KeyTable
{
    private byte[] _arena = new byte[4096];
    private int _arenaLength;
    private int[] _keyOffsets = new int[256];
    private int[] _keyLengths = new int[256];

    // Each slot holds the key's hash (high half) and id + 1 (low half; 0 marks an empty slot), so probing
    // compares hashes without touching the keys.
    private long[] _slots = new long[512];
    private int _mask = 511;

    public int Count { get; private set; }

    /// <summary>A multiply-xor hash over 8-byte words: keys are short (a few columns), so per-call cost matters more than byte-at-a-time quality.</summary>
    private static int Hash(ReadOnlySpan<byte> key)
    {
        ulong hash = (ulong)key.Length * 0x9E3779B97F4A7C15UL;
        int i = 0;
        for (; i + 8 <= key.Length; i += 8)
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(key.Slice(i))) * 0xBF58476D1CE4E5B9UL;
            hash ^= hash >> 31;
        }

        if (i < key.Length)
        {
            ulong tail = 0;
            for (int shift = 0; i < key.Length; i++, shift += 8)
            {
                tail |= (ulong)key[i] << shift;
            }

            hash = (hash ^ tail) * 0x94D049BB133111EBUL;
        }

        hash ^= hash >> 29;
        hash *= 0xBF58476D1CE4E5B9UL;
        return (int)(hash ^ (hash >> 32));
    }

    /// <summary>
    /// Which of <paramref name="partitions"/> an encoded key belongs to. Each <paramref name="seed"/> gives an
    /// independent split, so re-partitioning a partition (or a table's own hashing) does not put all keys in one place.
    /// </summary>
    public static int PartitionOf(ReadOnlySpan<byte> key, int seed, int partitions)
    {
        var hash = new HashCode();
        hash.Add(seed);
        hash.AddBytes(key);
        return (int)((uint)hash.ToHashCode() % (uint)partitions);
    }

    public int Find(ReadOnlySpan<byte> key)
    {
        int hash = Hash(key);
        int slot = hash & _mask;
        while (true)
        {
            long entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((int)(entry >> 32) == hash)
            {
                int id = (int)(uint)entry - 1;
                if (_arena.AsSpan(_keyOffsets[id], _keyLengths[id]).SequenceEqual(key))
                {
                    return id;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }

    public int GetOrAdd(ReadOnlySpan<byte> key, out bool added)
    {
        int hash = Hash(key);
        int slot = hash & _mask;
        while (true)
        {
            long entry = _slots[slot];
            if (entry == 0)
            {
                break;
            }

            if ((int)(entry >> 32) == hash)
            {
                int existing = (int)(uint)entry - 1;
                if (_arena.AsSpan(_keyOffsets[existing], _keyLengths[existing]).SequenceEqual(key))
                {
                    added = false;
                    return existing;
                }
            }

            slot = (slot + 1) & _mask;
        }

        int id = Count++;
        if (id == _keyOffsets.Length)
        {
            System.Array.Resize(ref _keyOffsets, id * 2);
            System.Array.Resize(ref _keyLengths, id * 2);
        }

        if (_arenaLength + key.Length > _arena.Length)
        {
            System.Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + key.Length));
        }

        key.CopyTo(_arena.AsSpan(_arenaLength));
        _keyOffsets[id] = _arenaLength;
        _keyLengths[id] = key.Length;
        _arenaLength += key.Length;
        _slots[slot] = ((long)hash << 32) | (uint)(id + 1);
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }

        added = true;
        return id;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (long entry in old)
        {
            if (entry == 0)
            {
                continue;
            }

            int slot = (int)(entry >> 32) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = entry;
        }
    }
}

/// <summary>Encodes the key columns of a row as bytes: equal keys (NULL included) give equal bytes.</summary>
public sealed class RowKeyEncoder
{
    private readonly PhysicalKind[] _kinds;
    private byte[] _buffer = new byte[256];

    public RowKeyEncoder(IReadOnlyList<Apache.Arrow.Types.IArrowType> types)
    {
        _kinds = new PhysicalKind[types.Count];
        for (int i = 0; i < _kinds.Length; i++)
        {
            _kinds[i] = SqlTypes.KindOf(types[i]);
        }
    }

    /// <summary>Encodes row <paramref name="row"/>; <paramref name="hasNull"/> tells whether any key is null.</summary>
    public ReadOnlySpan<byte> Encode(IArrowArray[] columns, int row, out bool hasNull)
    {
        int length = 0;
        hasNull = false;
        for (int c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            Ensure(length + 1);
            if (column.IsNull(row))
            {
                hasNull = true;
                _buffer[length++] = 0;
                continue;
            }

            _buffer[length++] = 1;
            switch (_kinds[c])
            {
                case PhysicalKind.Boolean:
                    Ensure(length + 1);
                    _buffer[length++] = ArrayAccess.GetBoolean(column, row) ? (byte)1 : (byte)0;
                    break;
                case PhysicalKind.Int8:
                    length = Write(ArrayAccess.Values<sbyte>(column)[row], length);
                    break;
                case PhysicalKind.Int16:
                    length = Write(ArrayAccess.Values<short>(column)[row], length);
                    break;
                case PhysicalKind.Int32:
                    length = Write(ArrayAccess.Values<int>(column)[row], length);
                    break;
                case PhysicalKind.Int64:
                    length = Write(ArrayAccess.Values<long>(column)[row], length);
                    break;
                case PhysicalKind.Float:
                    float real = ArrayAccess.Values<float>(column)[row];
                    length = Write(real == 0 ? 0f : float.IsNaN(real) ? float.NaN : real, length);
                    break;
                case PhysicalKind.Double:
                    double number = ArrayAccess.Values<double>(column)[row];
                    length = Write(number == 0 ? 0d : double.IsNaN(number) ? double.NaN : number, length);
                    break;
                case PhysicalKind.Int128:
                    length = Write(ArrayAccess.Values<Int128>(column)[row], length);
                    break;
                case PhysicalKind.Null:
                    break;
                default:
                    var bytes = ArrayAccess.GetBytes(column, row);
                    length = Write(bytes.Length, length);
                    Ensure(length + bytes.Length);
                    bytes.CopyTo(_buffer.AsSpan(length));
                    length += bytes.Length;
                    break;
            }
        }

        return _buffer.AsSpan(0, length);
    }

    /// <summary>
    /// Encodes rows [0, <paramref name="length"/>) column by column, each key the same bytes <see cref="Encode"/>
    /// gives: row r's key is <c>buffer[offsets[r]..offsets[r + 1]]</c>.
    /// </summary>
    public void EncodeAll(IArrowArray[] columns, int length, ref byte[] buffer, ref int[] offsets)
    {
        if (offsets.Length < length + 1)
        {
            offsets = new int[length + 1];
        }

        // Pass 1: each row's key length.
        var ends = offsets.AsSpan(1, length);
        ends.Fill(columns.Length);
        for (int c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            var validity = new Validity(column);
            int width = FixedWidth(_kinds[c]);
            if (width >= 0)
            {
                if (validity.AllValid)
                {
                    if (width > 0)
                    {
                        for (int row = 0; row < length; row++)
                        {
                            ends[row] += width;
                        }
                    }
                }
                else
                {
                    for (int row = 0; row < length; row++)
                    {
                        if (validity.IsValid(row))
                        {
                            ends[row] += width;
                        }
                    }
                }

                continue;
            }

            var valueOffsets = ArrayAccess.Offsets(column);
            for (int row = 0; row < length; row++)
            {
                if (validity.IsValid(row))
                {
                    ends[row] += 4 + valueOffsets[row + 1] - valueOffsets[row];
                }
            }
        }

        offsets[0] = 0;
        for (int row = 1; row <= length; row++)
        {
            offsets[row] += offsets[row - 1];
        }

        int total = offsets[length];
        if (buffer.Length < total)
        {
            buffer = new byte[Math.Max(total, buffer.Length * 2)];
        }

        // Pass 2: column by column, each row's cursor moving through its key.
        var cursors = System.Buffers.ArrayPool<int>.Shared.Rent(length);
        try
        {
            offsets.AsSpan(0, length).CopyTo(cursors);
            for (int c = 0; c < columns.Length; c++)
            {
                WriteColumn(columns[c], _kinds[c], length, buffer, cursors);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(cursors);
        }
    }

    private static int FixedWidth(PhysicalKind kind) => kind switch
    {
        PhysicalKind.Null => 0,
        PhysicalKind.Boolean or PhysicalKind.Int8 => 1,
        PhysicalKind.Int16 => 2,
        PhysicalKind.Int32 or PhysicalKind.Float => 4,
        PhysicalKind.Int64 or PhysicalKind.Double => 8,
        PhysicalKind.Int128 => 16,
        _ => -1,
    };

    private static void WriteColumn(IArrowArray column, PhysicalKind kind, int length, byte[] buffer, int[] cursors)
    {
        var validity = new Validity(column);
        for (int row = 0; row < length; row++)
        {
            buffer[cursors[row]++] = validity.IsValid(row) ? (byte)1 : (byte)0;
        }

        switch (kind)
        {
            case PhysicalKind.Null:
                return;
            case PhysicalKind.Boolean:
                for (int row = 0; row < length; row++)
                {
                    if (validity.IsValid(row))
                    {
                        buffer[cursors[row]++] = ArrayAccess.GetBoolean(column, row) ? (byte)1 : (byte)0;
                    }
                }

                return;
            case PhysicalKind.Int8:
                WriteValues(ArrayAccess.Values<sbyte>(column), validity, length, buffer, cursors);
                return;
            case PhysicalKind.Int16:
                WriteValues(ArrayAccess.Values<short>(column), validity, length, buffer, cursors);
                return;
            case PhysicalKind.Int32:
                WriteValues(ArrayAccess.Values<int>(column), validity, length, buffer, cursors);
                return;
            case PhysicalKind.Int64:
                WriteValues(ArrayAccess.Values<long>(column), validity, length, buffer, cursors);
                return;
            case PhysicalKind.Int128:
                WriteValues(ArrayAccess.Values<Int128>(column), validity, length, buffer, cursors);
                return;
            case PhysicalKind.Float:
            {
                var values = ArrayAccess.Values<float>(column);
                for (int row = 0; row < length; row++)
                {
                    if (validity.IsValid(row))
                    {
                        float real = values[row];
                        MemoryMarshal.Write(buffer.AsSpan(cursors[row]), real == 0 ? 0f : float.IsNaN(real) ? float.NaN : real);
                        cursors[row] += 4;
                    }
                }

                return;
            }

            case PhysicalKind.Double:
            {
                var values = ArrayAccess.Values<double>(column);
                for (int row = 0; row < length; row++)
                {
                    if (validity.IsValid(row))
                    {
                        double number = values[row];
                        MemoryMarshal.Write(buffer.AsSpan(cursors[row]), number == 0 ? 0d : double.IsNaN(number) ? double.NaN : number);
                        cursors[row] += 8;
                    }
                }

                return;
            }

            default:
            {
                var valueOffsets = ArrayAccess.Offsets(column);
                var data = ArrayAccess.VariableData(column);
                for (int row = 0; row < length; row++)
                {
                    if (!validity.IsValid(row))
                    {
                        continue;
                    }

                    int start = valueOffsets[row];
                    int size = valueOffsets[row + 1] - start;
                    int cursor = cursors[row];
                    MemoryMarshal.Write(buffer.AsSpan(cursor), size);
                    data.Slice(start, size).CopyTo(buffer.AsSpan(cursor + 4));
                    cursors[row] = cursor + 4 + size;
                }

                return;
            }
        }
    }

    private static void WriteValues<T>(ReadOnlySpan<T> values, Validity validity, int length, byte[] buffer, int[] cursors)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int row = 0; row < length; row++)
        {
            if (validity.IsValid(row))
            {
                MemoryMarshal.Write(buffer.AsSpan(cursors[row]), in values[row]);
                cursors[row] += size;
            }
        }
    }

    private int Write<T>(T value, int length)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        Ensure(length + size);
        MemoryMarshal.Write(_buffer.AsSpan(length), in value);
        return length + size;
    }

    private void Ensure(int size)
    {
        if (size > _buffer.Length)
        {
            System.Array.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        }
    }
}
