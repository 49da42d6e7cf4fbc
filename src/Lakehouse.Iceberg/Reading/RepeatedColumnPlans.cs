using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Types;
using ParquetSharp;

namespace Lakehouse.Iceberg.Reading;

/// <summary>
/// The levels of one leaf under a list or map for a whole row group: the number of entries per row
/// varies, so repeated columns are decoded a row group at a time and sliced into batches.
/// </summary>
internal sealed class EntryLevels : IDisposable
{
    public EntryLevels(LeafColumn leaf) => Leaf = leaf;

    public LeafColumn Leaf { get; }

    public short[] Definition { get; private set; } = [];

    public short[] Repetition { get; private set; } = [];

    public int Count { get; private set; }

    public static int EntryCount(RowGroupReader rowGroup, LeafColumn leaf)
    {
        using var chunk = rowGroup.MetaData.GetColumnChunkMetaData(leaf.ColumnIndex);
        return checked((int)chunk.NumValues);
    }

    /// <summary>Keeps the leaf's levels of the entries just read.</summary>
    public void Capture(int count)
    {
        Count = count;
        Definition = leafSlice(Leaf.DefinitionLevels, count);
        Repetition = leafSlice(Leaf.RepetitionLevels, count);

        static short[] leafSlice(short[] levels, int count) => count == 0 ? [] : levels.AsSpan(0, count).ToArray();
    }

    public void ReadLevelsOnly(RowGroupReader rowGroup)
    {
        Leaf.StartRowGroup(rowGroup);
        var count = EntryCount(rowGroup, Leaf);
        if (count > 0)
        {
            Leaf.ReadLevels(count);
        }

        Capture(count);
    }

    public void Dispose() => Leaf.Dispose();
}

/// <summary>Produces the values of list elements or map keys/values for selected entries of the row group.</summary>
internal abstract class EntryPlan : IDisposable
{
    protected EntryPlan(IArrowType arrowType) => ArrowType = arrowType;

    public IArrowType ArrowType { get; }

    /// <summary>Levels of a leaf below this plan; null for constants.</summary>
    public abstract EntryLevels? Levels { get; }

    public abstract void StartRowGroup(RowGroupReader rowGroup);

    public abstract ArrayData Take(ReadOnlySpan<int> entries);

    public virtual void Dispose()
    {
    }
}

internal sealed class EntryPrimitive : EntryPlan
{
    private readonly PrimitiveColumnPlan _plan;
    private readonly EntryLevels _levels;
    private ArrayData? _entries;

    public EntryPrimitive(IArrowType arrowType, PrimitiveColumnPlan plan, LeafColumn leaf)
        : base(arrowType)
    {
        _plan = plan;
        _levels = new EntryLevels(leaf);
    }

    public override EntryLevels? Levels => _levels;

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
        _plan.StartRowGroup(rowGroup);
        var count = EntryLevels.EntryCount(rowGroup, _levels.Leaf);
        _entries = _plan.Read(count);
        _levels.Capture(count);
    }

    public override ArrayData Take(ReadOnlySpan<int> entries) => ArrowArrays.Take(_entries!, entries);

    public override void Dispose() => _plan.Dispose();
}

internal sealed class EntryStruct : EntryPlan
{
    private readonly IReadOnlyList<EntryPlan> _children;
    private readonly EntryLevels _levels;
    private readonly bool _ownLevels;
    private readonly short _presentLevel;

    public EntryStruct(IArrowType arrowType, IReadOnlyList<EntryPlan> children, EntryLevels levels, bool ownLevels, short presentLevel)
        : base(arrowType)
    {
        _children = children;
        _levels = levels;
        _ownLevels = ownLevels;
        _presentLevel = presentLevel;
    }

    public override EntryLevels? Levels => _levels;

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
        foreach (var child in _children)
        {
            child.StartRowGroup(rowGroup);
        }

        if (_ownLevels)
        {
            _levels.ReadLevelsOnly(rowGroup);
        }
    }

    public override ArrayData Take(ReadOnlySpan<int> entries)
    {
        var children = new ArrayData[_children.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = _children[i].Take(entries);
        }

        var definition = _levels.Definition;
        var validity = new byte[(entries.Length + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (definition[entries[i]] >= _presentLevel)
            {
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return new ArrayData(ArrowType, entries.Length, nulls, 0, [nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity)], children);
    }

    public override void Dispose()
    {
        if (_ownLevels)
        {
            _levels.Dispose();
        }

        foreach (var child in _children)
        {
            child.Dispose();
        }
    }
}

internal sealed class EntryConstant : EntryPlan
{
    private readonly IcebergType _type;
    private readonly object? _value;

    public EntryConstant(IArrowType arrowType, IcebergType type, object? value)
        : base(arrowType)
    {
        _type = type;
        _value = value;
    }

    public override EntryLevels? Levels => null;

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
    }

    public override ArrayData Take(ReadOnlySpan<int> entries) => ArrowArrays.Constant(ArrowType, _type, _value, entries.Length);
}

/// <summary>
/// A list or map column (one level of repetition): offsets and validity come from the levels of one
/// leaf, element values from the entry plans, taken at the entries that hold an element.
/// </summary>
internal sealed class RepeatedColumnPlan : ColumnPlan, ILevelSource
{
    private readonly IReadOnlyList<EntryPlan> _elements;
    private readonly EntryLevels _source;
    private readonly bool _ownSource;
    private readonly short _presentLevel;
    private readonly short _elementLevel;
    private int[] _rowStarts = [];
    private int[] _slots = [];
    private int _cursor;
    private int _rowGroupRows;

    /// <param name="elements">one plan for a list's element, or the key and value plans of a map.</param>
    /// <param name="presentLevel">definition level at or above which the list/map is not null.</param>
    /// <param name="elementLevel">definition level at or above which an entry holds an element.</param>
    public RepeatedColumnPlan(IArrowType arrowType, IReadOnlyList<EntryPlan> elements, EntryLevels source, bool ownSource, short presentLevel, short elementLevel)
        : base(arrowType)
    {
        _elements = elements;
        _source = source;
        _ownSource = ownSource;
        _presentLevel = presentLevel;
        _elementLevel = elementLevel;
    }

    public override ILevelSource? LevelSource => this;

    public short[] DefinitionLevels { get; private set; } = [];

    public override void StartRowGroup(RowGroupReader rowGroup)
    {
        foreach (var element in _elements)
        {
            element.StartRowGroup(rowGroup);
        }

        if (_ownSource)
        {
            _source.ReadLevelsOnly(rowGroup);
        }

        _rowGroupRows = checked((int)rowGroup.MetaData.NumRows);
        if (_rowStarts.Length < _rowGroupRows + 1)
        {
            _rowStarts = new int[_rowGroupRows + 1];
        }

        var repetition = _source.Repetition;
        var row = 0;
        for (var e = 0; e < _source.Count; e++)
        {
            if (repetition[e] == 0)
            {
                if (row == _rowGroupRows)
                {
                    throw new IcebergException("INVALID_DATA_FILE", $"column {_source.Leaf.Path}: more rows in the levels than the row group's {_rowGroupRows}");
                }

                _rowStarts[row++] = e;
            }
        }

        if (row != _rowGroupRows)
        {
            throw new IcebergException("INVALID_DATA_FILE", $"column {_source.Leaf.Path}: levels hold {row} rows, the row group {_rowGroupRows}");
        }

        _rowStarts[row] = _source.Count;
        _cursor = 0;
    }

    public override ArrayData Read(int rows)
    {
        if (DefinitionLevels.Length < rows)
        {
            DefinitionLevels = new short[rows];
        }

        var definition = _source.Definition;
        var offsetBytes = new byte[(rows + 1) * sizeof(int)];
        var offsets = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
        var validity = new byte[(rows + 7) / 8];
        var nulls = 0;
        var slotCount = 0;
        var maxSlots = _rowStarts[_cursor + rows] - _rowStarts[_cursor];
        if (_slots.Length < maxSlots)
        {
            _slots = new int[maxSlots];
        }

        for (var r = 0; r < rows; r++)
        {
            var first = _rowStarts[_cursor + r];
            var end = _rowStarts[_cursor + r + 1];
            var level = definition[first];
            DefinitionLevels[r] = level;
            if (level >= _presentLevel)
            {
                validity[r >> 3] |= (byte)(1 << (r & 7));
                for (var e = first; e < end; e++)
                {
                    if (definition[e] >= _elementLevel)
                    {
                        _slots[slotCount++] = e;
                    }
                }
            }
            else
            {
                nulls++;
            }

            offsets[r + 1] = slotCount;
        }

        _cursor += rows;
        var slots = _slots.AsSpan(0, slotCount);
        var validityBuffer = nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity);
        if (ArrowType is Apache.Arrow.Types.MapType mapType)
        {
            var entries = new ArrayData(mapType.KeyValueType, slotCount, 0, 0, [ArrowBuffer.Empty], [_elements[0].Take(slots), _elements[1].Take(slots)]);
            return new ArrayData(ArrowType, rows, nulls, 0, [validityBuffer, new ArrowBuffer(offsetBytes)], [entries]);
        }

        return new ArrayData(ArrowType, rows, nulls, 0, [validityBuffer, new ArrowBuffer(offsetBytes)], [_elements[0].Take(slots)]);
    }

    public override void Dispose()
    {
        if (_ownSource)
        {
            _source.Dispose();
        }

        foreach (var element in _elements)
        {
            element.Dispose();
        }
    }
}
