using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>Orders rows of one batch by several evaluated key columns.</summary>
public sealed class RowComparer : IComparer<int>
{
    private readonly KeyComparer[] _keys;

    public RowComparer(IReadOnlyList<IArrowArray> keys, IReadOnlyList<(bool Ascending, bool NullsFirst)> orders)
    {
        _keys = new KeyComparer[keys.Count];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = KeyComparer.Create(keys[i], orders[i].Ascending, orders[i].NullsFirst);
        }
    }

    public int Compare(int x, int y)
    {
        foreach (var key in _keys)
        {
            int result = key.Compare(x, y);
            if (result != 0)
            {
                return result;
            }
        }

        return x.CompareTo(y);
    }

    private abstract class KeyComparer
    {
        private readonly bool[]? _isNull;
        private readonly int _direction;
        private readonly int _nullOrder;

        protected KeyComparer(IArrowArray array, bool ascending, bool nullsFirst)
        {
            _direction = ascending ? 1 : -1;
            _nullOrder = nullsFirst ? -1 : 1;
            if (array.NullCount > 0)
            {
                _isNull = new bool[array.Length];
                for (int i = 0; i < array.Length; i++)
                {
                    _isNull[i] = array.IsNull(i);
                }
            }
        }

        public static KeyComparer Create(IArrowArray array, bool ascending, bool nullsFirst)
        {
            var type = array is ExtensionArray extension ? extension.ExtensionType : array.Data.DataType;
            return SqlTypes.KindOf(type) switch
            {
                PhysicalKind.Int8 => new Primitive<sbyte>(array, ascending, nullsFirst),
                PhysicalKind.Int16 => new Primitive<short>(array, ascending, nullsFirst),
                PhysicalKind.Int32 => new Primitive<int>(array, ascending, nullsFirst),
                PhysicalKind.Int64 => new Primitive<long>(array, ascending, nullsFirst),
                PhysicalKind.Float => new Primitive<float>(array, ascending, nullsFirst),
                PhysicalKind.Double => new Primitive<double>(array, ascending, nullsFirst),
                PhysicalKind.Int128 => new Primitive<Int128>(array, ascending, nullsFirst),
                PhysicalKind.Boolean => new Boolean(array, ascending, nullsFirst),
                PhysicalKind.Null => new Constant(array, ascending, nullsFirst),
                _ => new Bytes(array, ascending, nullsFirst),
            };
        }

        public int Compare(int x, int y)
        {
            if (_isNull is not null)
            {
                bool xNull = _isNull[x];
                bool yNull = _isNull[y];
                if (xNull || yNull)
                {
                    return xNull == yNull ? 0 : (xNull ? _nullOrder : -_nullOrder);
                }
            }

            return _direction * CompareValues(x, y);
        }

        protected abstract int CompareValues(int x, int y);

        private sealed class Primitive<T>(IArrowArray array, bool ascending, bool nullsFirst) : KeyComparer(array, ascending, nullsFirst)
            where T : unmanaged, IComparable<T>
        {
            private readonly T[] _values = ArrayAccess.Values<T>(array).ToArray();

            protected override int CompareValues(int x, int y) => _values[x].CompareTo(_values[y]);
        }

        private sealed class Boolean : KeyComparer
        {
            private readonly bool[] _values;

            public Boolean(IArrowArray array, bool ascending, bool nullsFirst)
                : base(array, ascending, nullsFirst)
            {
                _values = new bool[array.Length];
                for (int i = 0; i < _values.Length; i++)
                {
                    _values[i] = ArrayAccess.GetBoolean(array, i);
                }
            }

            protected override int CompareValues(int x, int y) => _values[x].CompareTo(_values[y]);
        }

        private sealed class Constant(IArrowArray array, bool ascending, bool nullsFirst) : KeyComparer(array, ascending, nullsFirst)
        {
            protected override int CompareValues(int x, int y) => 0;
        }

        private sealed class Bytes(IArrowArray array, bool ascending, bool nullsFirst) : KeyComparer(array, ascending, nullsFirst)
        {
            private readonly IArrowArray _array = array;

            protected override int CompareValues(int x, int y) =>
                ArrayAccess.GetBytes(_array, x).SequenceCompareTo(ArrayAccess.GetBytes(_array, y));
        }
    }
}
