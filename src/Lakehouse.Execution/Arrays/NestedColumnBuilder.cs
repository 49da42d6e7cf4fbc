using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Execution.Arrays;

/// <summary>
/// Builds struct, list and map columns (as read from Iceberg tables) by copying rows, so filters,
/// sorts, joins and limits can carry nested columns along.
/// </summary>
public sealed class NestedColumnBuilder : ColumnBuilder
{
    private readonly ColumnBuilder[] _children;
    private readonly bool _isList;
    private int[] _offsets;

    public NestedColumnBuilder(IArrowType type, int capacity)
        : base(type, capacity)
    {
        switch (type)
        {
            case StructType structType:
                _children = new ColumnBuilder[structType.Fields.Count];
                for (int i = 0; i < _children.Length; i++)
                {
                    _children[i] = Create(structType.Fields[i].DataType, capacity);
                }

                _offsets = [];
                break;
            case MapType map:
                _children = [Create(new StructType([map.KeyField, map.ValueField]), capacity)];
                _isList = true;
                _offsets = new int[capacity + 1];
                break;
            case ListType list:
                _children = [Create(list.ValueDataType, capacity)];
                _isList = true;
                _offsets = new int[capacity + 1];
                break;
            default:
                throw new ExecutionException(ExecutionException.NotSupported, $"{type.Name} is not a nested type");
        }
    }

    public static bool IsNested(IArrowType type) => type is StructType or ListType or MapType;

    public override void AppendFrom(IArrowArray source, int row)
    {
        MarkValid();
        if (_isList)
        {
            var list = (ListArray)source;
            int start = list.ValueOffsets[row];
            int end = list.ValueOffsets[row + 1];
            var values = list.Values;
            _children[0].AppendRange(values, start, end - start);
            PushOffset();
        }
        else
        {
            var structArray = (StructArray)source;
            int childRow = structArray.Offset + row;
            for (int i = 0; i < _children.Length; i++)
            {
                var child = structArray.Fields[i];
                if (child.IsNull(childRow))
                {
                    _children[i].AppendNull();
                }
                else
                {
                    _children[i].AppendFrom(child, childRow);
                }
            }
        }

        Length++;
    }

    public override void AppendScalar(object? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        throw new ExecutionException(ExecutionException.NotSupported, $"cannot build a {Type.Name} value from a constant");
    }

    protected override void AppendDefault()
    {
        if (_isList)
        {
            PushOffset();
        }
        else
        {
            foreach (var child in _children)
            {
                child.AppendNull();
            }
        }
    }

    private void PushOffset()
    {
        if (_offsets.Length < Length + 2)
        {
            System.Array.Resize(ref _offsets, Math.Max(Length + 2, _offsets.Length * 2));
        }

        _offsets[Length + 1] = _children[0].Length;
    }

    public override IArrowArray Build()
    {
        var children = new ArrayData[_children.Length];
        for (int i = 0; i < children.Length; i++)
        {
            children[i] = _children[i].Build().Data;
        }

        ArrowBuffer[] buffers = _isList
            ? [ValidityBuffer(), new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_offsets.AsSpan(0, Length + 1)).ToArray())]
            : [ValidityBuffer()];
        return ArrowArrayFactory.BuildArray(new ArrayData(Type, Length, NullCount, 0, buffers, children));
    }
}
