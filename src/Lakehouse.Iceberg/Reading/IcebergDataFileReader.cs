using Apache.Arrow;
using Lakehouse.Iceberg.Deletes;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;
using ParquetSharp;

namespace Lakehouse.Iceberg.Reading;

/// <summary>
/// Reads an Iceberg data file (Parquet) into Arrow record batches in the scan schema, resolving
/// columns by field id and applying the task's position deletes, deletion vectors and equality deletes.
/// </summary>
public sealed class IcebergDataFileReader
{
    /// <summary>Error code for data or delete files that cannot be decoded.</summary>
    public const string InvalidDataFile = "INVALID_DATA_FILE";

    private static readonly IReadOnlyDictionary<int, object?> NoConstants = new Dictionary<int, object?>();

    private IcebergDataFileReader()
    {
    }

    /// <summary>
    /// Reads the task's data file. The output schema is <see cref="IcebergArrowSchema.ToArrowSchema"/> of
    /// the top-level fields of <c>task.Schema</c> with <paramref name="projectedFieldIds"/>, in that order;
    /// an empty projection yields batches that only carry a row count.
    /// </summary>
    public static IEnumerable<RecordBatch> Read(IFileIO io, FileScanTask task, IReadOnlyList<int> projectedFieldIds, int batchSize = 65536, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(projectedFieldIds);
        if (batchSize <= 0)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"batch size must be positive, got {batchSize}");
        }

        if (task.File.Format != FileFormat.Parquet)
        {
            throw new IcebergException(IcebergException.Unsupported, $"data file format {task.File.Format} is not supported: {task.File.Path}");
        }

        var projected = new List<NestedField>(projectedFieldIds.Count);
        foreach (var id in projectedFieldIds)
        {
            projected.Add(task.Schema.Struct.FieldById(id)
                ?? throw new IcebergException(IcebergException.InvalidValue, $"field id {id} is not a top-level column of schema {task.Schema.SchemaId}"));
        }

        return ReadIterator(io, task, projected, batchSize, ct);
    }

    private static IEnumerable<RecordBatch> ReadIterator(IFileIO io, FileScanTask task, List<NestedField> projected, int batchSize, CancellationToken ct)
    {
        var schema = IcebergArrowSchema.ToArrowSchema(projected);
        var deletes = DeleteFilter.Load(io, task, ct);
        var fields = new List<NestedField>(projected);
        var equalityColumnIndexes = new Dictionary<int, int>();
        if (deletes is not null)
        {
            foreach (var id in deletes.EqualityFieldIds)
            {
                var index = fields.FindIndex(f => f.Id == id);
                if (index < 0)
                {
                    index = fields.Count;
                    fields.Add(task.Schema.Struct.FieldById(id)!);
                }

                equalityColumnIndexes[id] = index;
            }
        }

        int[] keep = [];
        foreach (var chunk in ReadColumns(io, task.File.Path, fields, task.NameMappingJson, task.IdentityPartitionValues, batchSize, ct))
        {
            var rows = chunk.Rows;
            var columns = chunk.Columns;
            var count = rows;
            if (deletes is not null)
            {
                if (keep.Length < rows)
                {
                    keep = new int[rows];
                }

                count = deletes.Select(chunk.FirstRowPosition, rows, columns, equalityColumnIndexes, keep);
            }

            if (count == 0)
            {
                continue;
            }

            var arrays = new IArrowArray[projected.Count];
            for (var c = 0; c < arrays.Length; c++)
            {
                var data = count == rows ? columns[c] : ArrowArrays.Take(columns[c], keep.AsSpan(0, count));
                arrays[c] = ArrowArrays.Build(data);
            }

            yield return new RecordBatch(schema, arrays, count);
        }
    }

    /// <summary>A decoded chunk of rows of one file: columns in the order of the requested fields.</summary>
    internal readonly record struct ColumnChunk(long FirstRowPosition, int Rows, ArrayData[] Columns);

    /// <summary>Decodes <paramref name="fields"/> from a Parquet file without applying deletes.</summary>
    internal static IEnumerable<ColumnChunk> ReadColumns(
        IFileIO io,
        string path,
        IReadOnlyList<NestedField> fields,
        string? nameMappingJson,
        IReadOnlyDictionary<int, object?>? constants,
        int batchSize,
        CancellationToken ct)
    {
        using var reader = Open(io, path);
        using var metadata = reader.FileMetaData;
        var plans = new List<ColumnPlan>(fields.Count);
        try
        {
            var planner = new ParquetColumnPlanner(metadata.Schema, path, nameMappingJson, constants ?? NoConstants);
            foreach (var field in fields)
            {
                plans.Add(planner.Plan(field));
            }

            long position = 0;
            var rowGroups = metadata.NumRowGroups;
            for (var g = 0; g < rowGroups; g++)
            {
                ct.ThrowIfCancellationRequested();
                using var rowGroup = reader.RowGroup(g);
                var groupRows = rowGroup.MetaData.NumRows;
                foreach (var plan in plans)
                {
                    plan.StartRowGroup(rowGroup);
                }

                long done = 0;
                while (done < groupRows)
                {
                    ct.ThrowIfCancellationRequested();
                    var rows = (int)Math.Min(batchSize, groupRows - done);
                    var columns = new ArrayData[plans.Count];
                    try
                    {
                        for (var c = 0; c < columns.Length; c++)
                        {
                            columns[c] = plans[c].Read(rows);
                        }
                    }
                    catch (ParquetException e)
                    {
                        throw new IcebergException(InvalidDataFile, $"cannot decode Parquet file {path} (row group {g}): {e.Message}", e);
                    }

                    yield return new ColumnChunk(position + done, rows, columns);
                    done += rows;
                }

                position += groupRows;
            }
        }
        finally
        {
            foreach (var plan in plans)
            {
                plan.Dispose();
            }
        }
    }

    private static ParquetFileReader Open(IFileIO io, string path)
    {
        try
        {
            if ((io is FileIORouter router ? router.Resolve(path) : io) is LocalFileIO)
            {
                var local = LocalFileIO.ToLocalPath(path);
                if (!File.Exists(local))
                {
                    throw new StorageException("FILE_NOT_FOUND", $"file not found: {local}");
                }

                return new ParquetFileReader(local);
            }

            return new ParquetFileReader(io.OpenRead(path), leaveOpen: false);
        }
        catch (ParquetException e)
        {
            throw new IcebergException(InvalidDataFile, $"not a readable Parquet file: {path}: {e.Message}", e);
        }
    }
}
