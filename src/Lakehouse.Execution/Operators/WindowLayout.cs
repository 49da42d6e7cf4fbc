using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// The rows of one window (PARTITION BY and ORDER BY) in sorted order: positions 0..Length-1 of that
/// order map to input rows through <see cref="Rows"/>; partitions and peer groups (rows equal on every
/// ORDER BY key within a partition) are contiguous runs of positions.
/// </summary>
internal sealed class WindowLayout
{
    private WindowLayout(int[] rows, int[] partitionStarts, int[] peerGroup, int[] groupStarts, IArrowArray[] orderKeys)
    {
        Rows = rows;
        PartitionStarts = partitionStarts;
        PeerGroup = peerGroup;
        GroupStarts = groupStarts;
        OrderKeys = orderKeys;
    }

    public int Length => Rows.Length;

    /// <summary>Input row at each sorted position.</summary>
    public int[] Rows { get; }

    /// <summary>First position of each partition, then <see cref="Length"/>.</summary>
    public int[] PartitionStarts { get; }

    /// <summary>Peer group number of each position (numbered across all partitions).</summary>
    public int[] PeerGroup { get; }

    /// <summary>First position of each peer group, then <see cref="Length"/>.</summary>
    public int[] GroupStarts { get; }

    /// <summary>The evaluated ORDER BY keys, indexed by input row.</summary>
    public IArrowArray[] OrderKeys { get; }

    public int PeerStart(int position) => GroupStarts[PeerGroup[position]];

    public int PeerEnd(int position) => GroupStarts[PeerGroup[position] + 1];

    public static WindowLayout Build(RecordBatch batch, WindowCall call)
    {
        int length = batch.Length;
        var partitionKeys = Evaluate(batch, call.PartitionKeys);
        var orderExpressions = new List<Planning.Expressions.BoundExpression>(call.OrderKeys.Count);
        foreach (var key in call.OrderKeys)
        {
            orderExpressions.Add(key.Expression);
        }

        var orderKeys = Evaluate(batch, orderExpressions);
        var rows = new int[length];
        for (int i = 0; i < length; i++)
        {
            rows[i] = i;
        }

        if (partitionKeys.Length + orderKeys.Length > 0)
        {
            var keys = new IArrowArray[partitionKeys.Length + orderKeys.Length];
            var orders = new (bool, bool)[keys.Length];
            for (int i = 0; i < partitionKeys.Length; i++)
            {
                keys[i] = partitionKeys[i];
                orders[i] = (true, true);
            }

            for (int i = 0; i < orderKeys.Length; i++)
            {
                keys[partitionKeys.Length + i] = orderKeys[i];
                orders[partitionKeys.Length + i] = (call.OrderKeys[i].Ascending, call.OrderKeys[i].NullsFirst);
            }

            System.Array.Sort(rows, new RowComparer(keys, orders));
        }

        var samePartition = new KeyEquality(partitionKeys);
        var samePeers = new KeyEquality(orderKeys);
        var partitionStarts = new List<int> { 0 };
        var groupStarts = new List<int> { 0 };
        var peerGroup = new int[length];
        for (int position = 1; position < length; position++)
        {
            int previous = rows[position - 1];
            int current = rows[position];
            bool newPartition = !samePartition.Equal(previous, current);
            if (newPartition)
            {
                partitionStarts.Add(position);
            }

            if (newPartition || !samePeers.Equal(previous, current))
            {
                groupStarts.Add(position);
            }

            peerGroup[position] = groupStarts.Count - 1;
        }

        partitionStarts.Add(length);
        groupStarts.Add(length);
        return new WindowLayout(rows, partitionStarts.ToArray(), peerGroup, groupStarts.ToArray(), orderKeys);
    }

    private static IArrowArray[] Evaluate(RecordBatch batch, IReadOnlyList<Planning.Expressions.BoundExpression> expressions)
    {
        var arrays = new IArrowArray[expressions.Count];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = CompiledExpression.Compile(expressions[i]).Evaluate(batch);
        }

        return arrays;
    }
}

/// <summary>Whether two rows are equal on every key (NULL equals NULL), as partitions and peers need.</summary>
internal sealed class KeyEquality
{
    private readonly Column[] _columns;

    public KeyEquality(IArrowArray[] keys)
    {
        _columns = new Column[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            _columns[i] = Column.Create(keys[i]);
        }
    }

    public bool Equal(int x, int y)
    {
        foreach (var column in _columns)
        {
            if (!column.Equal(x, y))
            {
                return false;
            }
        }

        return true;
    }

    private abstract class Column
    {
        private readonly bool[]? _isNull;

        protected Column(IArrowArray array)
        {
            if (array.NullCount > 0 || array.Data.DataType.TypeId == Apache.Arrow.Types.ArrowTypeId.Null)
            {
                var validity = new Validity(array);
                _isNull = new bool[array.Length];
                for (int i = 0; i < _isNull.Length; i++)
                {
                    _isNull[i] = !validity.IsValid(i);
                }
            }
        }

        public static Column Create(IArrowArray array)
        {
            var type = array is ExtensionArray extension ? extension.ExtensionType : array.Data.DataType;
            return SqlTypes.KindOf(type) switch
            {
                PhysicalKind.Int8 => new Primitive<sbyte>(array),
                PhysicalKind.Int16 => new Primitive<short>(array),
                PhysicalKind.Int32 => new Primitive<int>(array),
                PhysicalKind.Int64 => new Primitive<long>(array),
                PhysicalKind.Float => new Primitive<float>(array),
                PhysicalKind.Double => new Primitive<double>(array),
                PhysicalKind.Int128 => new Primitive<Int128>(array),
                PhysicalKind.Boolean => new Boolean(array),
                PhysicalKind.Null => new AllNull(array),
                _ => new Bytes(array),
            };
        }

        public bool Equal(int x, int y)
        {
            if (_isNull is not null && (_isNull[x] || _isNull[y]))
            {
                return _isNull[x] == _isNull[y];
            }

            return ValuesEqual(x, y);
        }

        protected abstract bool ValuesEqual(int x, int y);

        private sealed class Primitive<T>(IArrowArray array) : Column(array)
            where T : unmanaged, IComparable<T>
        {
            private readonly T[] _values = ArrayAccess.Values<T>(array).ToArray();

            protected override bool ValuesEqual(int x, int y) => _values[x].CompareTo(_values[y]) == 0;
        }

        private sealed class Boolean(IArrowArray array) : Column(array)
        {
            private readonly IArrowArray _array = array;

            protected override bool ValuesEqual(int x, int y) => ArrayAccess.GetBoolean(_array, x) == ArrayAccess.GetBoolean(_array, y);
        }

        private sealed class AllNull(IArrowArray array) : Column(array)
        {
            protected override bool ValuesEqual(int x, int y) => true;
        }

        private sealed class Bytes(IArrowArray array) : Column(array)
        {
            private readonly IArrowArray _array = array;

            protected override bool ValuesEqual(int x, int y) => ArrayAccess.GetBytes(_array, x).SequenceEqual(ArrayAccess.GetBytes(_array, y));
        }
    }
}
