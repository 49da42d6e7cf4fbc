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
    private int[] _hashes = new int[256];
    private int[] _slots = new int[512];
    private int _mask = 511;

    public int Count { get; private set; }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
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
            int entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }

            int id = entry - 1;
            if (_hashes[id] == hash && _arena.AsSpan(_keyOffsets[id], _keyLengths[id]).SequenceEqual(key))
            {
                return id;
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
            int entry = _slots[slot];
            if (entry == 0)
            {
                break;
            }

            int existing = entry - 1;
            if (_hashes[existing] == hash && _arena.AsSpan(_keyOffsets[existing], _keyLengths[existing]).SequenceEqual(key))
            {
                added = false;
                return existing;
            }

            slot = (slot + 1) & _mask;
        }

        int id = Count++;
        if (id == _keyOffsets.Length)
        {
            System.Array.Resize(ref _keyOffsets, id * 2);
            System.Array.Resize(ref _keyLengths, id * 2);
            System.Array.Resize(ref _hashes, id * 2);
        }

        if (_arenaLength + key.Length > _arena.Length)
        {
            System.Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + key.Length));
        }

        key.CopyTo(_arena.AsSpan(_arenaLength));
        _keyOffsets[id] = _arenaLength;
        _keyLengths[id] = key.Length;
        _hashes[id] = hash;
        _arenaLength += key.Length;
        _slots[slot] = id + 1;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }

        added = true;
        return id;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        _mask = _slots.Length - 1;
        for (int id = 0; id < Count; id++)
        {
            int slot = _hashes[id] & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = id + 1;
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
