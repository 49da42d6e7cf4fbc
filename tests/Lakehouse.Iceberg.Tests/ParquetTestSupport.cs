using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Builds scan tasks by hand and turns Arrow batches into plain rows for assertions.</summary>
internal static class ParquetTestSupport
{
    private static readonly Lazy<string> SharedRoot = new(FindSharedRoot);

    public static string Persistent(string relative) =>
        Path.Combine(SharedRoot.Value, "iceberg", "duckdb-iceberg", "data", "persistent", relative);

    public static string Shared(string relative) => Path.Combine(SharedRoot.Value, relative);

    public static DataFile DataFileAt(string path, FileContent content = FileContent.Data, FileFormat format = FileFormat.Parquet, string? recordedPath = null) => new()
    {
        Content = content,
        Path = path,
        RecordedPath = recordedPath ?? path,
        Format = format,
        SpecId = 0,
        Partition = [],
        RecordCount = 0,
        FileSizeInBytes = File.Exists(path) ? new FileInfo(path).Length : 0,
    };

    public static FileScanTask Task(DataFile file, Types.Schema schema, IReadOnlyList<DataFile>? deletes = null, string? nameMapping = null, IReadOnlyDictionary<int, object?>? partitionValues = null) => new()
    {
        File = file,
        Deletes = deletes ?? [],
        Schema = schema,
        IdentityPartitionValues = partitionValues ?? new Dictionary<int, object?>(),
        NameMappingJson = nameMapping,
    };

    public static List<object?[]> ReadRows(FileScanTask task, IReadOnlyList<int> fieldIds, int batchSize = 65536)
    {
        var rows = new List<object?[]>();
        foreach (var batch in IcebergDataFileReader.Read(LocalFileIO.Instance, task, fieldIds, batchSize))
        {
            Assert.Equal(fieldIds.Count, batch.ColumnCount);
            for (var r = 0; r < batch.Length; r++)
            {
                var row = new object?[batch.ColumnCount];
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    row[c] = Value(batch.Column(c), r);
                }

                rows.Add(row);
            }
        }

        return rows;
    }

    public static object? Value(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            BooleanArray a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int64Array a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            Date32Array a => MemoryMarshal.Cast<byte, int>(a.ValueBuffer.Span)[a.Offset + index],
            Time64Array a => a.GetValue(index),
            TimestampArray a => MemoryMarshal.Cast<byte, long>(a.ValueBuffer.Span)[a.Offset + index],
            Decimal128Array a => MemoryMarshal.Cast<byte, Int128>(a.ValueBuffer.Span)[a.Offset + index],
            StringArray a => a.GetString(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            GuidArray a => a.GetGuid(index),
            FixedSizeBinaryArray a => a.GetBytes(index).ToArray(),
            StructArray a => StructValue(a, index),
            ListArray a => ListValue(a, index),
            NullArray => null,
            _ => throw new InvalidOperationException($"unexpected array {array.GetType().Name}"),
        };
    }

    private static object?[] StructValue(StructArray array, int index)
    {
        var values = new object?[array.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(array.Fields[i], index);
        }

        return values;
    }

    private static List<object?> ListValue(ListArray array, int index)
    {
        var values = new List<object?>();
        var start = array.ValueOffsets[index];
        var end = array.ValueOffsets[index + 1];
        for (var i = start; i < end; i++)
        {
            values.Add(Value(array.Values, i));
        }

        return values;
    }

    private static string FindSharedRoot()
    {
        // Build outputs may live outside the repository, so the source location is a fallback start.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, SourceDirectory() })
        {
            var directory = new DirectoryInfo(start);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lakehouse.sln")))
            {
                directory = directory.Parent;
            }

            if (directory?.Parent is not null)
            {
                return Path.Combine(directory.Parent.FullName, "shared");
            }
        }

        throw new InvalidOperationException("repository root (Lakehouse.sln) not found above " + AppContext.BaseDirectory);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "") =>
        Path.GetDirectoryName(sourceFile) ?? string.Empty;
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        FullPath = Path.Combine(Path.GetTempPath(), "lakehouse-parquet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string File(string name) => Path.Combine(FullPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
