using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Cli.Tpch;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Benchmarks;

/// <summary>One Iceberg data file of a benchmark table.</summary>
public sealed record BenchmarkDataFile(string Table, string Path, long Bytes, long Rows);

/// <summary>
/// The TPC-H tables of one scale as Iceberg tables written by our writer, under
/// <c>&lt;work&gt;/iceberg/&lt;table&gt;</c>: lineitem partitioned by month(l_shipdate), orders by
/// month(o_orderdate), the others unpartitioned. Generated once; <c>files.tsv</c> lists every data
/// file and marks the data as complete.
/// </summary>
public sealed class TpchIcebergData
{
    private const string FileListName = "files.tsv";
    private const int SourceRowsPerFile = 500_000;

    // Rows handed to one partitioned write: each write makes one file per month it touches.
    private const long PartitionedRowsPerWrite = 3_000_000;

    private TpchIcebergData(string tablesFolder, IReadOnlyList<BenchmarkDataFile> files)
    {
        TablesFolder = tablesFolder;
        Files = files;
    }

    /// <summary>The folder whose sub-folders are the Iceberg tables.</summary>
    public string TablesFolder { get; }

    public IReadOnlyList<BenchmarkDataFile> Files { get; }

    public IEnumerable<BenchmarkDataFile> FilesOf(string table)
    {
        foreach (var file in Files)
        {
            if (file.Table == table)
            {
                yield return file;
            }
        }
    }

    public static TpchIcebergData Prepare(double scaleFactor, string workFolder, TextWriter log)
    {
        string tablesFolder = Path.Combine(workFolder, "iceberg");
        string fileList = Path.Combine(workFolder, FileListName);
        if (File.Exists(fileList))
        {
            log.WriteLine($"using the TPC-H data cached in {workFolder}");
            return new TpchIcebergData(tablesFolder, ReadFileList(fileList));
        }

        var watch = Stopwatch.StartNew();
        string sourceFolder = Path.Combine(workFolder, "source");
        foreach (var stale in new[] { sourceFolder, tablesFolder })
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        Directory.CreateDirectory(workFolder);
        log.WriteLine($"generating TPC-H SF {scaleFactor.ToString(CultureInfo.InvariantCulture)} into {workFolder} ...");
        TpchGenerator.Generate(new TpchOptions(scaleFactor, sourceFolder, RowsPerFile: SourceRowsPerFile));
        var files = new List<BenchmarkDataFile>();
        foreach (var table in TpchGenerator.Tables)
        {
            files.AddRange(WriteTable(table, Path.Combine(sourceFolder, table), Path.Combine(tablesFolder, table)));
        }

        Directory.Delete(sourceFolder, recursive: true);
        WriteFileList(fileList, files);
        log.WriteLine($"wrote {files.Count} Iceberg data files in {watch.Elapsed.TotalSeconds:F1} s");
        return new TpchIcebergData(tablesFolder, files);
    }

    private static List<BenchmarkDataFile> WriteTable(string table, string sourceFolder, string tableFolder)
    {
        var sources = Directory.GetFiles(sourceFolder, "*.parquet");
        System.Array.Sort(sources, StringComparer.Ordinal);
        if (sources.Length == 0)
        {
            throw new BenchmarkException(BenchmarkException.DataPreparationFailed, $"the generator wrote no Parquet file for table '{table}' in '{sourceFolder}'");
        }

        var arrowSchema = SourceParquet.ReadSchema(sources[0]);
        var schema = IcebergSchemaOf(table, arrowSchema);
        var spec = SpecOf(table, schema);
        var icebergTable = IcebergTableWriter.CreateTable(LocalFileIO.Instance, tableFolder, schema, spec);
        var dataFiles = new List<DataFile>();
        if (spec.IsUnpartitioned)
        {
            foreach (var source in sources)
            {
                var batches = new List<RecordBatch>(SourceParquet.ReadBatches(source));
                dataFiles.AddRange(IcebergTableWriter.WriteDataFiles(icebergTable, batches));
                Release(batches);
            }
        }
        else
        {
            var chunk = new List<RecordBatch>();
            long chunkRows = 0;
            foreach (var source in sources)
            {
                foreach (var batch in SourceParquet.ReadBatches(source))
                {
                    chunk.Add(batch);
                    chunkRows += batch.Length;
                }

                if (chunkRows >= PartitionedRowsPerWrite)
                {
                    dataFiles.AddRange(IcebergTableWriter.WriteDataFiles(icebergTable, chunk));
                    Release(chunk);
                    chunk = [];
                    chunkRows = 0;
                }
            }

            if (chunk.Count > 0)
            {
                dataFiles.AddRange(IcebergTableWriter.WriteDataFiles(icebergTable, chunk));
                Release(chunk);
            }
        }

        IcebergTableWriter.Append(LocalFileIO.Instance, icebergTable, dataFiles);
        var written = new List<BenchmarkDataFile>(dataFiles.Count);
        foreach (var file in dataFiles)
        {
            written.Add(new BenchmarkDataFile(table, Path.GetFullPath(LocalFileIO.ToLocalPath(file.Path)), file.FileSizeInBytes, file.RecordCount));
        }

        return written;
    }

    /// <summary>The source batches live in native memory of the Parquet reader: free it once they are written.</summary>
    private static void Release(List<RecordBatch> batches)
    {
        foreach (var batch in batches)
        {
            batch.Dispose();
        }

        batches.Clear();
    }

    private static PartitionSpec SpecOf(string table, IcebergSchema schema)
    {
        string? monthColumn = table switch
        {
            "lineitem" => "l_shipdate",
            "orders" => "o_orderdate",
            _ => null,
        };
        if (monthColumn is null)
        {
            return PartitionSpec.Unpartitioned;
        }

        var source = schema.Struct.FieldByName(monthColumn)
            ?? throw new BenchmarkException(BenchmarkException.DataPreparationFailed, $"table '{table}' has no column '{monthColumn}' to partition by");
        return new PartitionSpec(0, [new PartitionField(source.Id, 1000, monthColumn + "_month", Transform.Parse("month"))]);
    }

    private static IcebergSchema IcebergSchemaOf(string table, Apache.Arrow.Schema arrowSchema)
    {
        var fields = new List<NestedField>(arrowSchema.FieldsList.Count);
        int id = 1;
        foreach (var field in arrowSchema.FieldsList)
        {
            IcebergType type = field.DataType switch
            {
                Int64Type => PrimitiveType.Long,
                Int32Type => PrimitiveType.Int,
                Decimal128Type d => new DecimalType(d.Precision, d.Scale),
                Date32Type => PrimitiveType.Date,
                StringType => PrimitiveType.String,
                DoubleType => PrimitiveType.Double,
                _ => throw new BenchmarkException(BenchmarkException.DataPreparationFailed, $"table '{table}' column '{field.Name}': Arrow type {field.DataType.Name} has no Iceberg mapping here"),
            };
            fields.Add(new NestedField(id++, field.Name, !field.IsNullable, type));
        }

        return new IcebergSchema(0, fields);
    }

    private static void WriteFileList(string path, List<BenchmarkDataFile> files)
    {
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
        {
            foreach (var file in files)
            {
                writer.WriteLine(string.Join('\t', file.Table, file.Path, file.Bytes.ToString(CultureInfo.InvariantCulture), file.Rows.ToString(CultureInfo.InvariantCulture)));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static List<BenchmarkDataFile> ReadFileList(string path)
    {
        var files = new List<BenchmarkDataFile>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var parts = line.Split('\t');
            if (parts.Length != 4
                || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes)
                || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out long rows))
            {
                throw new BenchmarkException(BenchmarkException.DataPreparationFailed, $"{path}:{lineNumber}: expected 'table<TAB>path<TAB>bytes<TAB>rows'; delete the work folder to regenerate");
            }

            files.Add(new BenchmarkDataFile(parts[0], parts[1], bytes, rows));
        }

        return files;
    }
}
