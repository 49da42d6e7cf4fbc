using System.Numerics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Dense ids for the distinct keys of a hash aggregation or a hash join build, a batch at a time. A NULL
/// key is a key like any other here (aggregation groups it; joins skip such rows themselves). A single
/// integer key gets its own table of 64-bit values; other keys are encoded as bytes.
/// </summary>
public abstract class KeyIndex
{
    public abstract int Count { get; }

    /// <summary>Bytes a distinct key holds in the index, for memory accounting.</summary>
    public abstract int BytesPerKey { get; }

    public static KeyIndex Create(IReadOnlyList<IArrowType> keyTypes) =>
        keyTypes.Count == 1 && SqlTypes.KindOf(keyTypes[0]) is PhysicalKind.Int8 or PhysicalKind.Int16 or PhysicalKind.Int32 or PhysicalKind.Int64
            ? new IntegerKeyIndex(SqlTypes.KindOf(keyTypes[0]))
            : new EncodedKeyIndex(keyTypes);

    /// <summary>
    /// An index for a join's build side, whose keys are all known up front: several integer key columns whose
    /// value ranges together fit 62 bits are packed into one 64-bit key; otherwise as <see cref="Create"/>.
    /// </summary>
    public static KeyIndex CreateForBuild(IReadOnlyList<IArrowType> keyTypes, IArrowArray[] buildKeys) =>
        PackedKeyIndex.TryCreate(keyTypes, buildKeys) ?? Create(keyTypes);

    /// <summary>Sets <c>ids[row]</c> for rows [0, length), adding keys not seen before; their rows are appended to <paramref name="newRows"/>.</summary>
    public abstract void GetOrAdd(IArrowArray[] keys, int length, Span<int> ids, List<int> newRows);

    /// <summary>Sets <c>ids[row]</c> to the key's id, or -1 where the key is not in the index. Safe to call concurrently.</summary>
    public abstract void Find(IArrowArray[] keys, int length, Span<int> ids);

    /// <summary>
    /// Appends each row to the list of its hash partition. The split depends only on the key and <paramref name="seed"/>,
    /// never on what the index holds.
    /// </summary>
    public abstract void Partition(IArrowArray[] keys, int length, int seed, List<int>[] partitions);

    /// <summary>Row <paramref name="row"/> of an integer column of physical kind <paramref name="kind"/>, widened.</summary>
    private static long IntegerValue(IArrowArray column, PhysicalKind kind, int row) => kind switch
    {
        PhysicalKind.Int64 => ArrayAccess.Values<long>(column)[row],
        PhysicalKind.Int32 => ArrayAccess.Values<int>(column)[row],
        PhysicalKind.Int16 => ArrayAccess.Values<short>(column)[row],
        _ => ArrayAccess.Values<sbyte>(column)[row],
    };

    /// <summary>Rows where some key column is NULL, or null when there are none.</summary>
    public static bool[]? NullKeyRows(IArrowArray[] keys, int length)
    {
        bool[]? rows = null;
        foreach (var key in keys)
        {
            var validity = new Validity(key);
            if (validity.AllValid)
            {
                continue;
            }

            rows ??= new bool[length];
            for (int row = 0; row < length; row++)
            {
                rows[row] |= !validity.IsValid(row);
            }
        }

        return rows;
    }

    private sealed class EncodedKeyIndex(IReadOnlyList<IArrowType> keyTypes) : KeyIndex
    {
        private readonly KeyTable _table = new();
        private readonly RowKeyEncoder _encoder = new(keyTypes);
        private byte[] _buffer = new byte[4096];
        private int[] _offsets = new int[1025];
        private long _bytes;

        public override int Count => _table.Count;

        public override int BytesPerKey => _table.Count == 0 ? 16 : (int)(_bytes / _table.Count) + 16;

        public override void GetOrAdd(IArrowArray[] keys, int length, Span<int> ids, List<int> newRows)
        {
            _encoder.EncodeAll(keys, length, ref _buffer, ref _offsets);
            var buffer = _buffer;
            var offsets = _offsets;
            for (int row = 0; row < length; row++)
            {
                var key = buffer.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
                ids[row] = _table.GetOrAdd(key, out bool added);
                if (added)
                {
                    _bytes += key.Length;
                    newRows.Add(row);
                }
            }
        }

        public override void Find(IArrowArray[] keys, int length, Span<int> ids)
        {
            byte[] buffer = new byte[4096];
            int[] offsets = new int[length + 1];
            new RowKeyEncoder(keyTypes).EncodeAll(keys, length, ref buffer, ref offsets);
            for (int row = 0; row < length; row++)
            {
                ids[row] = _table.Find(buffer.AsSpan(offsets[row], offsets[row + 1] - offsets[row]));
            }
        }

        public override void Partition(IArrowArray[] keys, int length, int seed, List<int>[] partitions)
        {
            byte[] buffer = new byte[4096];
            int[] offsets = new int[length + 1];
            new RowKeyEncoder(keyTypes).EncodeAll(keys, length, ref buffer, ref offsets);
            for (int row = 0; row < length; row++)
            {
                partitions[KeyTable.PartitionOf(buffer.AsSpan(offsets[row], offsets[row + 1] - offsets[row]), seed, partitions.Length)].Add(row);
            }
        }
    }

    /// <summary>
    /// Several integer key columns packed into one 64-bit value, (value - min) of each column shifted into
    /// its own bits; a probe value outside a column's build range cannot match and packs as NULL.
    /// </summary>
    private sealed class PackedKeyIndex : KeyIndex
    {
        private readonly PhysicalKind[] _kinds;
        private readonly long[] _minimums;
        private readonly long[] _maximums;
        private readonly int[] _shifts;
        private readonly IntegerKeyIndex _packed = new(PhysicalKind.Int64);
        private readonly EncodedKeyIndex _partitioner;

        private PackedKeyIndex(IReadOnlyList<IArrowType> keyTypes, PhysicalKind[] kinds, long[] minimums, long[] maximums, int[] shifts)
        {
            _kinds = kinds;
            _minimums = minimums;
            _maximums = maximums;
            _shifts = shifts;
            _partitioner = new EncodedKeyIndex(keyTypes);
        }

        public override int Count => _packed.Count;

        public override int BytesPerKey => _packed.BytesPerKey;

        public static PackedKeyIndex? TryCreate(IReadOnlyList<IArrowType> keyTypes, IArrowArray[] keys)
        {
            if (keyTypes.Count < 2)
            {
                return null;
            }

            var kinds = new PhysicalKind[keyTypes.Count];
            var minimums = new long[keyTypes.Count];
            var maximums = new long[keyTypes.Count];
            var shifts = new int[keyTypes.Count];
            int bits = 0;
            for (int c = 0; c < kinds.Length; c++)
            {
                kinds[c] = SqlTypes.KindOf(keyTypes[c]);
                if (kinds[c] is not (PhysicalKind.Int8 or PhysicalKind.Int16 or PhysicalKind.Int32 or PhysicalKind.Int64))
                {
                    return null;
                }

                long min = long.MaxValue;
                long max = long.MinValue;
                var validity = new Validity(keys[c]);
                for (int row = 0; row < keys[c].Length; row++)
                {
                    if (validity.IsValid(row))
                    {
                        long value = IntegerValue(keys[c], kinds[c], row);
                        min = Math.Min(min, value);
                        max = Math.Max(max, value);
                    }
                }

                if (min > max)
                {
                    min = max = 0;
                }

                ulong width = (ulong)(max - min);
                if (max - min < 0)
                {
                    return null;
                }

                shifts[c] = bits;
                bits += 64 - BitOperations.LeadingZeroCount(width | 1);
                minimums[c] = min;
                maximums[c] = max;
                if (bits > 62)
                {
                    return null;
                }
            }

            return new PackedKeyIndex(keyTypes, kinds, minimums, maximums, shifts);
        }

        public override void GetOrAdd(IArrowArray[] keys, int length, Span<int> ids, List<int> newRows) =>
            _packed.GetOrAdd([Pack(keys, length)], length, ids, newRows);

        public override void Find(IArrowArray[] keys, int length, Span<int> ids) =>
            _packed.Find([Pack(keys, length)], length, ids);

        public override void Partition(IArrowArray[] keys, int length, int seed, List<int>[] partitions) =>
            _partitioner.Partition(keys, length, seed, partitions);

        /// <summary>The packed keys as one bigint column; NULL where a key is NULL or outside the build range.</summary>
        private IArrowArray Pack(IArrowArray[] keys, int length)
        {
            var packed = new byte[length * sizeof(long)];
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(packed.AsSpan());
            byte[]? validity = null;
            int nulls = 0;
            var widened = new long[length];
            for (int c = 0; c < keys.Length; c++)
            {
                var column = keys[c];
                var columnValidity = new Validity(column);
                long min = _minimums[c];
                long max = _maximums[c];
                int shift = _shifts[c];
                Widen(column, _kinds[c], widened);
                for (int row = 0; row < length; row++)
                {
                    long value = widened[row];
                    if (value < min || value > max || !columnValidity.IsValid(row))
                    {
                        if (validity is null)
                        {
                            validity = new byte[(length + 7) >> 3];
                            System.Array.Fill(validity, (byte)0xFF);
                        }

                        if ((validity[row >> 3] & (1 << (row & 7))) != 0)
                        {
                            validity[row >> 3] &= (byte)~(1 << (row & 7));
                            nulls++;
                        }

                        continue;
                    }

                    values[row] |= (value - min) << shift;
                }
            }

            return ArrayFactory.Primitive(Int64Type.Default, packed, validity, nulls, length);
        }

        /// <summary>The column's values as 64-bit integers.</summary>
        private static void Widen(IArrowArray column, PhysicalKind kind, Span<long> output)
        {
            switch (kind)
            {
                case PhysicalKind.Int64:
                    ArrayAccess.Values<long>(column).Slice(0, output.Length).CopyTo(output);
                    break;
                case PhysicalKind.Int32:
                {
                    var values = ArrayAccess.Values<int>(column);
                    for (int i = 0; i < output.Length; i++)
                    {
                        output[i] = values[i];
                    }

                    break;
                }

                default:
                    for (int i = 0; i < output.Length; i++)
                    {
                        output[i] = IntegerValue(column, kind, i);
                    }

                    break;
            }
        }
    }

    /// <summary>One integer key: open addressing over the 64-bit values, key and id side by side in one slot.</summary>
    private sealed class IntegerKeyIndex(PhysicalKind kind) : KeyIndex
    {
        private Slot[] _slots = new Slot[1024];
        private int _mask = 1023;
        private int _count;
        private int _nullId = -1;
        private readonly Lock _filterLock = new();
        private volatile FilterState? _filter;

        private sealed record FilterState(ulong[] Bits, int Count);

        private struct Slot
        {
            public long Key;
            public int IdPlusOne;
        }

        public override int Count => _count;

        public override int BytesPerKey => 32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 32);

        public override void GetOrAdd(IArrowArray[] keys, int length, Span<int> ids, List<int> newRows)
        {
            var column = keys[0];
            var validity = new Validity(column);
            switch (kind)
            {
                case PhysicalKind.Int64:
                {
                    var values = ArrayAccess.Values<long>(column);
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? GetOrAdd(values[row], row, newRows) : NullId(row, newRows);
                    }

                    break;
                }

                case PhysicalKind.Int32:
                {
                    var values = ArrayAccess.Values<int>(column);
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? GetOrAdd(values[row], row, newRows) : NullId(row, newRows);
                    }

                    break;
                }

                default:
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? GetOrAdd(Value(column, row), row, newRows) : NullId(row, newRows);
                    }

                    break;
            }
        }

        public override void Find(IArrowArray[] keys, int length, Span<int> ids)
        {
            var column = keys[0];
            var validity = new Validity(column);
            var slots = _slots;
            int mask = _mask;
            var filter = Filter();
            ulong filterMask = (ulong)filter.Length * 64 - 1;
            switch (kind)
            {
                case PhysicalKind.Int64:
                {
                    var values = ArrayAccess.Values<long>(column);
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? Find(slots, mask, filter, filterMask, values[row]) : _nullId;
                    }

                    break;
                }

                case PhysicalKind.Int32:
                {
                    var values = ArrayAccess.Values<int>(column);
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? Find(slots, mask, filter, filterMask, values[row]) : _nullId;
                    }

                    break;
                }

                default:
                    for (int row = 0; row < length; row++)
                    {
                        ids[row] = validity.IsValid(row) ? Find(slots, mask, filter, filterMask, Value(column, row)) : _nullId;
                    }

                    break;
            }
        }

        /// <summary>
        /// One bit per hashed key in a bitmap eight times the key count: small enough to stay in cache, so
        /// most probes for absent keys (the usual case when joining a filtered table) end without touching
        /// the table. Built on the first lookup after the last insert.
        /// </summary>
        private ulong[] Filter()
        {
            var state = _filter;
            if (state is not null && state.Count == _count)
            {
                return state.Bits;
            }

            lock (_filterLock)
            {
                state = _filter;
                if (state is not null && state.Count == _count)
                {
                    return state.Bits;
                }

                int words = 1;
                while ((long)words * 64 < (long)_count * 8 && words < (1 << 26))
                {
                    words <<= 1;
                }

                var bits = new ulong[words];
                ulong filterMask = (ulong)words * 64 - 1;
                foreach (var entry in _slots)
                {
                    if (entry.IdPlusOne != 0)
                    {
                        ulong bit = FilterBit(entry.Key) & filterMask;
                        bits[bit >> 6] |= 1UL << (int)(bit & 63);
                    }
                }

                _filter = new FilterState(bits, _count);
                return bits;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong FilterBit(long key) => (ulong)(key * unchecked((long)0xD6E8FEB86659FD93)) >> 20;

        public override void Partition(IArrowArray[] keys, int length, int seed, List<int>[] partitions)
        {
            var column = keys[0];
            var validity = new Validity(column);
            uint count = (uint)partitions.Length;
            long salt = (long)seed * unchecked((long)0xC2B2AE3D27D4EB4F);
            for (int row = 0; row < length; row++)
            {
                long key = validity.IsValid(row) ? Value(column, row) : long.MinValue;
                ulong mixed = (ulong)((key ^ salt) * unchecked((long)0x9E3779B97F4A7C15));
                partitions[(int)((uint)(mixed >> 32) % count)].Add(row);
            }
        }

        private long Value(IArrowArray column, int row) => IntegerValue(column, kind, row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Find(Slot[] slots, int mask, ulong[] filter, ulong filterMask, long key)
        {
            ulong bit = FilterBit(key) & filterMask;
            if ((filter[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return -1;
            }

            int slot = Hash(key) & mask;
            while (true)
            {
                ref var entry = ref slots[slot];
                if (entry.IdPlusOne == 0)
                {
                    return -1;
                }

                if (entry.Key == key)
                {
                    return entry.IdPlusOne - 1;
                }

                slot = (slot + 1) & mask;
            }
        }

        private int NullId(int row, List<int> newRows)
        {
            if (_nullId < 0)
            {
                _nullId = _count++;
                newRows.Add(row);
            }

            return _nullId;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int GetOrAdd(long key, int row, List<int> newRows)
        {
            int slot = Hash(key) & _mask;
            while (true)
            {
                ref var entry = ref _slots[slot];
                if (entry.IdPlusOne == 0)
                {
                    int id = _count++;
                    entry.Key = key;
                    entry.IdPlusOne = id + 1;
                    newRows.Add(row);
                    if (_count * 2 > _slots.Length)
                    {
                        Grow();
                    }

                    return id;
                }

                if (entry.Key == key)
                {
                    return entry.IdPlusOne - 1;
                }

                slot = (slot + 1) & _mask;
            }
        }

        private void Grow()
        {
            var old = _slots;
            _slots = new Slot[old.Length * 2];
            _mask = _slots.Length - 1;
            foreach (var entry in old)
            {
                if (entry.IdPlusOne == 0)
                {
                    continue;
                }

                int slot = Hash(entry.Key) & _mask;
                while (_slots[slot].IdPlusOne != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                _slots[slot] = entry;
            }
        }
    }
}
