using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Lakehouse.Execution.Arrays;

/// <summary>Validity bits of an array: all valid when the array has no nulls.</summary>
public readonly ref struct Validity
{
    private readonly ReadOnlySpan<byte> _bits;
    private readonly int _offset;
    private readonly bool _allNull;

    public Validity(IArrowArray array)
    {
        var data = array.Data;

        // Arrays of the null type carry no buffers at all: every slot is null.
        _allNull = data.DataType.TypeId == Apache.Arrow.Types.ArrowTypeId.Null;
        AllValid = !_allNull && (data.NullCount == 0 || data.Buffers[0].IsEmpty);
        _bits = AllValid || _allNull ? default : data.Buffers[0].Span;
        _offset = data.Offset;
    }

    public bool AllValid { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(int index)
    {
        if (AllValid)
        {
            return true;
        }

        if (_allNull)
        {
            return false;
        }

        int bit = index + _offset;
        return (_bits[bit >> 3] & (1 << (bit & 7))) != 0;
    }
}

/// <summary>Typed, allocation-free views over Arrow array buffers.</summary>
public static class ArrayAccess
{
    /// <summary>The storage array of an extension array (uuid), or the array itself.</summary>
    public static IArrowArray Storage(IArrowArray array) => array is ExtensionArray extension ? extension.Storage : array;

    public static ReadOnlySpan<T> Values<T>(IArrowArray array)
        where T : unmanaged
    {
        var data = array.Data;
        return MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
    }

    public static ReadOnlySpan<int> Offsets(IArrowArray array)
    {
        var data = array.Data;
        return MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset, data.Length + 1);
    }

    public static ReadOnlySpan<byte> VariableData(IArrowArray array) => array.Data.Buffers[2].Span;

    public static ReadOnlySpan<byte> BooleanBits(IArrowArray array) => array.Data.Buffers[1].Span;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GetBit(ReadOnlySpan<byte> bits, int index) => (bits[index >> 3] & (1 << (index & 7))) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBit(Span<byte> bits, int index) => bits[index >> 3] |= (byte)(1 << (index & 7));

    public static bool GetBoolean(IArrowArray array, int index) => GetBit(BooleanBits(array), index + array.Data.Offset);

    /// <summary>Bytes of value <paramref name="index"/> of a string, binary or fixed-size binary (incl. uuid) array.</summary>
    public static ReadOnlySpan<byte> GetBytes(IArrowArray array, int index)
    {
        array = Storage(array);
        var data = array.Data;
        if (data.DataType is Apache.Arrow.Types.FixedSizeBinaryType fixedType)
        {
            int width = fixedType.ByteWidth;
            return data.Buffers[1].Span.Slice((data.Offset + index) * width, width);
        }

        var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
        int start = offsets[data.Offset + index];
        int end = offsets[data.Offset + index + 1];
        return data.Buffers[2].Span.Slice(start, end - start);
    }
}
