using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using ArrayData = Apache.Arrow.ArrayData;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Deletes;

/// <summary>
/// The deletes that apply to one data file: deleted row positions (from position delete files and
/// deletion vectors) and sets of deleted equality keys. Selects the surviving rows of each batch.
/// </summary>
public sealed class DeleteFilter
{
    /// <summary>Reserved field ids of position delete files.</summary>
    public const int FilePathFieldId = 2147483546;

    public const int PosFieldId = 2147483545;

    private static readonly NestedField FilePathField = new(FilePathFieldId, "file_path", true, PrimitiveType.String);
    private static readonly NestedField PosField = new(PosFieldId, "pos", true, PrimitiveType.Long);

    private readonly long[] _deletedPositions;
    private readonly List<EqualityDeleteSet> _equalitySets;
    private byte[] _keyBuffer = new byte[256];

    private DeleteFilter(long[] deletedPositions, List<EqualityDeleteSet> equalitySets, IReadOnlyList<int> equalityFieldIds)
    {
        _deletedPositions = deletedPositions;
        _equalitySets = equalitySets;
        EqualityFieldIds = equalityFieldIds;
    }

    /// <summary>Field ids the equality deletes compare on (the reader must decode them).</summary>
    public IReadOnlyList<int> EqualityFieldIds { get; }

    /// <summary>Deleted row positions, ascending and distinct.</summary>
    public IReadOnlyList<long> DeletedPositions => _deletedPositions;

    /// <summary>Loads every delete file of <paramref name="task"/>; null when there are none.</summary>
    public static DeleteFilter? Load(IFileIO io, FileScanTask task, CancellationToken ct = default)
    {
        if (task.Deletes.Count == 0)
        {
            return null;
        }

        var positions = new List<long>();
        var equalitySets = new List<EqualityDeleteSet>();
        var equalityIds = new List<int>();
        var targets = new PathTargets(task.File);
        foreach (var delete in task.Deletes)
        {
            ct.ThrowIfCancellationRequested();
            switch (delete.Content)
            {
                case FileContent.PositionDeletes when delete.Format == FileFormat.Puffin:
                    positions.AddRange(ReadDeletionVector(io, delete, task.File));
                    break;
                case FileContent.PositionDeletes when delete.Format == FileFormat.Parquet:
                    ReadPositionDeletes(io, delete, targets, positions, ct);
                    break;
                case FileContent.EqualityDeletes when delete.Format == FileFormat.Parquet:
                    {
                        var set = ReadEqualityDeletes(io, delete, task, ct);
                        equalitySets.Add(set);
                        foreach (var id in set.FieldIds)
                        {
                            if (!equalityIds.Contains(id))
                            {
                                equalityIds.Add(id);
                            }
                        }

                        break;
                    }

                case FileContent.Data:
                    throw new IcebergException(IcebergException.InvalidValue, $"data file {delete.Path} listed as a delete file");
                default:
                    throw new IcebergException(IcebergException.Unsupported, $"{delete.Content} files in {delete.Format} format are not supported: {delete.Path}");
            }
        }

        var sorted = positions.ToArray();
        Array.Sort(sorted);
        var distinct = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[distinct - 1])
            {
                sorted[distinct++] = sorted[i];
            }
        }

        return new DeleteFilter(distinct == sorted.Length ? sorted : sorted.AsSpan(0, distinct).ToArray(), equalitySets, equalityIds);
    }

    /// <summary>
    /// Writes the indexes of surviving rows of a batch starting at file position <paramref name="firstRowPosition"/>
    /// into <paramref name="keep"/> and returns how many survive.
    /// </summary>
    internal int Select(long firstRowPosition, int rows, ArrayData[] columns, IReadOnlyDictionary<int, int> columnIndexByFieldId, Span<int> keep)
    {
        foreach (var set in _equalitySets)
        {
            for (var k = 0; k < set.FieldIds.Length; k++)
            {
                set.ColumnIndexes[k] = columnIndexByFieldId[set.FieldIds[k]];
            }
        }

        var cursor = LowerBound(_deletedPositions, firstRowPosition);
        var count = 0;
        for (var i = 0; i < rows; i++)
        {
            var position = firstRowPosition + i;
            if (cursor < _deletedPositions.Length && _deletedPositions[cursor] == position)
            {
                cursor++;
                continue;
            }

            if (_equalitySets.Count > 0 && IsEqualityDeleted(columns, i))
            {
                continue;
            }

            keep[count++] = i;
        }

        return count;
    }

    private bool IsEqualityDeleted(ArrayData[] columns, int row)
    {
        foreach (var set in _equalitySets)
        {
            var length = 0;
            foreach (var index in set.ColumnIndexes)
            {
                KeyEncoder.Append(columns[index], row, ref _keyBuffer, ref length);
            }

            if (set.Lookup.Contains(_keyBuffer.AsSpan(0, length)))
            {
                return true;
            }
        }

        return false;
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }

    private static long[] ReadDeletionVector(IFileIO io, DataFile delete, DataFile dataFile)
    {
        if (delete.ContentOffset is long offset && delete.ContentSizeInBytes is long size)
        {
            if (offset < 0 || size < 0 || size > int.MaxValue)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"deletion vector {delete.Path}: invalid content offset {offset} / size {size}");
            }

            var blob = new byte[size];
            io.ReadRange(delete.Path, offset, blob);
            return DeletionVectorDecoder.Decode(blob);
        }

        // Without a recorded blob location, look the vector up in the Puffin footer.
        var file = io.ReadAllBytes(delete.Path);
        if (!PuffinReader.HasPuffinMagic(file))
        {
            return DeletionVectorDecoder.Decode(file);
        }

        var footer = PuffinReader.ReadFooter(file);
        PuffinBlobMetadata? match = null;
        var targets = new PathTargets(dataFile);
        foreach (var blob in footer.Blobs)
        {
            if (blob.Type != DeletionVectorDecoder.BlobType)
            {
                continue;
            }

            if (!blob.Properties.TryGetValue("referenced-data-file", out var referenced) || targets.Matches(Encoding.UTF8.GetBytes(referenced)))
            {
                match = blob;
                break;
            }
        }

        return match is null ? [] : DeletionVectorDecoder.Decode(PuffinReader.ReadBlob(file, match));
    }

    private static void ReadPositionDeletes(IFileIO io, DataFile delete, PathTargets targets, List<long> positions, CancellationToken ct)
    {
        foreach (var chunk in IcebergDataFileReader.ReadColumns(io, delete.Path, [FilePathField, PosField], null, null, 65536, ct))
        {
            var paths = chunk.Columns[0];
            var pos = chunk.Columns[1];
            if (paths.GetNullCount() > 0 || pos.GetNullCount() > 0)
            {
                throw new IcebergException(IcebergException.InvalidValue, $"position delete file {delete.Path} has null file_path or pos values");
            }

            var offsets = MemoryMarshal.Cast<byte, int>(paths.Buffers[1].Span);
            var bytes = paths.Buffers[2].Span;
            var values = MemoryMarshal.Cast<byte, long>(pos.Buffers[1].Span);
            for (var i = 0; i < chunk.Rows; i++)
            {
                if (targets.Matches(bytes.Slice(offsets[i], offsets[i + 1] - offsets[i])))
                {
                    positions.Add(values[i]);
                }
            }
        }
    }

    private static EqualityDeleteSet ReadEqualityDeletes(IFileIO io, DataFile delete, FileScanTask task, CancellationToken ct)
    {
        var ids = delete.EqualityFieldIds;
        if (ids is null || ids.Count == 0)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"equality delete file {delete.Path} has no equality field ids");
        }

        var fields = new List<NestedField>(ids.Count);
        foreach (var id in ids)
        {
            var field = task.Schema.Struct.FieldById(id)
                ?? throw new IcebergException(IcebergException.Unsupported, $"equality delete file {delete.Path}: field id {id} is not a top-level column of schema {task.Schema.SchemaId}");
            if (!field.Type.IsPrimitive)
            {
                throw new IcebergException(IcebergException.Unsupported, $"equality delete file {delete.Path}: field '{field.Name}' of type {field.Type} cannot be an equality key");
            }

            fields.Add(field);
        }

        var set = new EqualityDeleteSet([.. ids]);
        var buffer = new byte[256];
        foreach (var chunk in IcebergDataFileReader.ReadColumns(io, delete.Path, fields, task.NameMappingJson, null, 65536, ct))
        {
            for (var row = 0; row < chunk.Rows; row++)
            {
                var length = 0;
                foreach (var column in chunk.Columns)
                {
                    KeyEncoder.Append(column, row, ref buffer, ref length);
                }

                set.Keys.Add(buffer.AsSpan(0, length).ToArray());
            }
        }

        return set;
    }

    private sealed class EqualityDeleteSet
    {
        public EqualityDeleteSet(int[] fieldIds)
        {
            FieldIds = fieldIds;
            ColumnIndexes = new int[fieldIds.Length];
            Keys = new HashSet<byte[]>(ByteKeyComparer.Instance);
            Lookup = Keys.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public int[] FieldIds { get; }

        /// <summary>Where each key column sits in the decoded batch (set per batch).</summary>
        public int[] ColumnIndexes { get; }

        public HashSet<byte[]> Keys { get; }

        public HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> Lookup { get; }
    }

    private sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    /// <summary>The data file's recorded and resolved paths, normalised, for matching position delete rows.</summary>
    private sealed class PathTargets
    {
        private readonly byte[] _recorded;
        private readonly byte[] _resolved;

        public PathTargets(DataFile file)
        {
            _recorded = Encoding.UTF8.GetBytes(file.RecordedPath);
            _resolved = Encoding.UTF8.GetBytes(file.Path);
        }

        public bool Matches(ReadOnlySpan<byte> path)
        {
            var normalized = DeletePaths.Normalize(path);
            return normalized.SequenceEqual(DeletePaths.Normalize(_recorded)) || normalized.SequenceEqual(DeletePaths.Normalize(_resolved));
        }
    }
}

/// <summary>Normalisation of recorded file paths for comparing position delete targets.</summary>
public static class DeletePaths
{
    /// <summary>Drops a <c>file://</c> or <c>file:</c> prefix, the scheme and authority of other URIs, and a leading <c>./</c>.</summary>
    public static ReadOnlySpan<byte> Normalize(ReadOnlySpan<byte> path)
    {
        if (path.StartsWith("file://"u8))
        {
            path = path.Slice(7);
        }
        else if (path.StartsWith("file:"u8))
        {
            path = path.Slice(5);
        }
        else
        {
            var scheme = path.IndexOf("://"u8);
            if (scheme > 0 && path.Slice(0, scheme).IndexOfAny("/."u8) < 0)
            {
                var rest = path.Slice(scheme + 3);
                var slash = rest.IndexOf((byte)'/');
                path = slash >= 0 ? rest.Slice(slash) : [];
            }
        }

        while (path.StartsWith("./"u8))
        {
            path = path.Slice(2);
        }

        return path;
    }

    public static string Normalize(string path) => Encoding.UTF8.GetString(Normalize(Encoding.UTF8.GetBytes(path)));
}

/// <summary>Encodes a row's key columns into bytes: a presence byte, then the value (length-prefixed for variable width).</summary>
internal static class KeyEncoder
{
    public static void Append(ArrayData data, int row, ref byte[] buffer, ref int length)
    {
        var at = data.Offset + row;
        var validity = data.Buffers[0];
        var isNull = data.DataType is NullType || (!validity.IsEmpty && (validity.Span[at >> 3] & (1 << (at & 7))) == 0);
        if (isNull)
        {
            Ensure(ref buffer, length + 1);
            buffer[length++] = 0;
            return;
        }

        switch (data.DataType)
        {
            case BooleanType:
                Ensure(ref buffer, length + 2);
                buffer[length++] = 1;
                buffer[length++] = (byte)((data.Buffers[1].Span[at >> 3] >> (at & 7)) & 1);
                return;
            case StringType or BinaryType:
                {
                    var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
                    var value = data.Buffers[2].Span.Slice(offsets[at], offsets[at + 1] - offsets[at]);
                    Ensure(ref buffer, length + 5 + value.Length);
                    buffer[length++] = 1;
                    BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(length), value.Length);
                    length += 4;
                    value.CopyTo(buffer.AsSpan(length));
                    length += value.Length;
                    return;
                }

            default:
                {
                    var width = ArrowArrays.FixedWidth(data.DataType);
                    Ensure(ref buffer, length + 1 + width);
                    buffer[length++] = 1;
                    data.Buffers[1].Span.Slice(at * width, width).CopyTo(buffer.AsSpan(length));
                    length += width;
                    return;
                }
        }
    }

    private static void Ensure(ref byte[] buffer, int needed)
    {
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }
    }
}
