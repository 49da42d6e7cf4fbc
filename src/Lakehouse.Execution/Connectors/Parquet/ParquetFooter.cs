using System.Collections.Concurrent;
using System.Numerics;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;
using ParquetSharp;
using ParquetSharp.Schema;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>What one Parquet file's footer tells the planner: its schema, size, row count and per-column value ranges.</summary>
internal sealed record ParquetFooter(
    string Path,
    ParquetFileSchema Schema,
    long RowCount,
    long SizeInBytes,
    IReadOnlyDictionary<int, FieldRange> Ranges)
{
    private const int CacheLimit = 4096;

    /// <summary>Footers of local files by path, reused while the file keeps its length and modification time.</summary>
    private static readonly ConcurrentDictionary<string, (long Length, DateTime Modified, ParquetFooter Footer)> LocalCache = new(StringComparer.Ordinal);

    public static ParquetFooter Read(IFileIO io, string path)
    {
        if (path.Contains("://", StringComparison.Ordinal))
        {
            return ReadUncached(io, path);
        }

        var info = new FileInfo(path);
        if (info.Exists && LocalCache.TryGetValue(path, out var cached) && cached.Length == info.Length && cached.Modified == info.LastWriteTimeUtc)
        {
            return cached.Footer;
        }

        var footer = ReadUncached(io, path);
        if (info.Exists)
        {
            if (LocalCache.Count >= CacheLimit)
            {
                LocalCache.Clear();
            }

            LocalCache[path] = (info.Length, info.LastWriteTimeUtc, footer);
        }

        return footer;
    }

    private static ParquetFooter ReadUncached(IFileIO io, string path)
    {
        try
        {
            using var reader = Open(io, path, out var size);
            using var metadata = reader.FileMetaData;
            var schema = ParquetSchemaMapper.Map(metadata.Schema, path);
            var ranges = ReadRanges(reader, metadata, schema);
            return new ParquetFooter(path, schema, metadata.NumRows, size, ranges);
        }
        catch (ParquetException e)
        {
            throw ParquetErrors.Error(ParquetErrors.InvalidParquetFile, $"read_parquet: not a readable Parquet file: {path}: {FirstLine(e.Message)}");
        }
        catch (IOException e)
        {
            throw ParquetErrors.Error(ParquetErrors.InvalidParquetFile, $"read_parquet: cannot read {path}: {FirstLine(e.Message)}");
        }
    }

    private static ParquetFileReader Open(IFileIO io, string path, out long size)
    {
        if (!path.Contains("://", StringComparison.Ordinal))
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"read_parquet: file not found: {path}");
            }

            size = info.Length;
            return new ParquetFileReader(path);
        }

        size = io.GetLength(path);
        return new ParquetFileReader(io.OpenRead(path), leaveOpen: false);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    /// <summary>Value ranges of top-level primitive columns over the whole file, from row group statistics.</summary>
    private static Dictionary<int, FieldRange> ReadRanges(ParquetFileReader reader, FileMetaData metadata, ParquetFileSchema schema)
    {
        var ranges = new Dictionary<int, FieldRange>();
        var fields = metadata.Schema.GroupNode.Fields;
        var leafIndex = 0;
        var rowGroups = metadata.NumRowGroups;
        for (var i = 0; i < fields.Length; i++)
        {
            var node = fields[i];
            var column = schema.Columns[i];
            if (node is PrimitiveNode primitive && rowGroups > 0)
            {
                var range = ColumnRange(reader, rowGroups, leafIndex, primitive, column.Type);
                if (range is { } known)
                {
                    ranges[column.Id] = known;
                }
            }

            leafIndex += CountLeaves(node);
        }

        return ranges;
    }

    private static FieldRange? ColumnRange(ParquetFileReader reader, int rowGroups, int leafIndex, PrimitiveNode node, IcebergType type)
    {
        using var logical = node.LogicalType;
        object? lower = null;
        object? upper = null;
        var mayContainNull = false;
        var mayContainNonNull = false;
        for (var g = 0; g < rowGroups; g++)
        {
            using var rowGroup = reader.RowGroup(g);
            var groupMetadata = rowGroup.MetaData;
            using var chunk = groupMetadata.GetColumnChunkMetaData(leafIndex);
            if (!chunk.IsStatsSet)
            {
                return null;
            }

            using var statistics = chunk.Statistics;
            if (statistics is null)
            {
                return null;
            }

            mayContainNull |= statistics.NullCount > 0;
            if (statistics.NumValues == 0)
            {
                continue;
            }

            if (!statistics.HasMinMax)
            {
                return null;
            }

            var min = ToValue(statistics, type, logical, node.TypeLength, minimum: true);
            var max = ToValue(statistics, type, logical, node.TypeLength, minimum: false);
            if (min is null || max is null)
            {
                return null;
            }

            mayContainNonNull = true;
            if (lower is null || IcebergValueComparer.Compare(min, lower) < 0)
            {
                lower = min;
            }

            if (upper is null || IcebergValueComparer.Compare(max, upper) > 0)
            {
                upper = max;
            }
        }

        return new FieldRange(lower, upper, mayContainNull, mayContainNonNull, MayContainNaN: false);
    }

    /// <summary>A statistics bound in the Iceberg .NET value form of <paramref name="type"/>, or null when not usable for pruning.</summary>
    private static object? ToValue(Statistics statistics, IcebergType type, LogicalType logical, int typeLength, bool minimum)
    {
        switch (type.Id)
        {
            case TypeId.Boolean when statistics is Statistics<bool> b:
                return minimum ? b.Min : b.Max;
            case TypeId.Int or TypeId.Date when statistics is Statistics<int> i:
                return minimum ? i.Min : i.Max;
            case TypeId.Long when statistics is Statistics<long> l:
                return minimum ? l.Min : l.Max;
            case TypeId.Timestamp or TypeId.TimestampTz when statistics is Statistics<long> t && logical is TimestampLogicalType timestamp:
                {
                    var raw = minimum ? t.Min : t.Max;
                    return timestamp.TimeUnit switch
                    {
                        TimeUnit.Millis => raw * 1000,
                        TimeUnit.Nanos => Math.DivRem(raw, 1000L) is var (q, r) && r < 0 ? q - 1 : q,
                        _ => raw,
                    };
                }

            case TypeId.Decimal when statistics is Statistics<int> i:
                return new BigInteger(minimum ? i.Min : i.Max);
            case TypeId.Decimal when statistics is Statistics<long> l:
                return new BigInteger(minimum ? l.Min : l.Max);
            case TypeId.Decimal when statistics is Statistics<FixedLenByteArray> f:
                return new BigInteger(CopyFixed(minimum ? f.Min : f.Max, typeLength), isUnsigned: false, isBigEndian: true);
            case TypeId.Decimal when statistics is Statistics<ByteArray> b:
                return new BigInteger(Copy(minimum ? b.Min : b.Max), isUnsigned: false, isBigEndian: true);
            case TypeId.String when statistics is Statistics<ByteArray> s:
                return System.Text.Encoding.UTF8.GetString(Copy(minimum ? s.Min : s.Max));
            default:
                return null;
        }
    }

    private static unsafe byte[] Copy(ByteArray value)
    {
        if (value.Length == 0)
        {
            return [];
        }

        return new ReadOnlySpan<byte>((void*)value.Pointer, value.Length).ToArray();
    }

    private static unsafe byte[] CopyFixed(FixedLenByteArray value, int length) =>
        length <= 0 ? [] : new ReadOnlySpan<byte>((void*)value.Pointer, length).ToArray();

    private static int CountLeaves(Node node)
    {
        if (node is not GroupNode group)
        {
            return 1;
        }

        var count = 0;
        foreach (var child in group.Fields)
        {
            count += CountLeaves(child);
        }

        return count;
    }
}
