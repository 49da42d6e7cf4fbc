using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;
using Lakehouse.Iceberg.Deletes;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing.Parquet;
using Lakehouse.Storage;
using static Lakehouse.Iceberg.Tests.ParquetTestSupport;

namespace Lakehouse.Iceberg.Tests;

public class DeleteFilterTests
{
    private static readonly Types.Schema DataSchema = new(0, [
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "tag", false, PrimitiveType.String),
    ]);

    private static readonly Types.Schema PositionDeleteSchema = new(0, [
        new NestedField(DeleteFilter.FilePathFieldId, "file_path", true, PrimitiveType.String),
        new NestedField(DeleteFilter.PosFieldId, "pos", true, PrimitiveType.Long),
    ]);

    private static string SmallAlternatingBlob => Shared("iceberg/spec-vectors/apache-iceberg/org/apache/iceberg/deletes/small-alternating-values-position-index.bin");

    /// <summary>Rows id = 0..count-1, tag = "t{id % 5}" or NULL when id % 10 == 9.</summary>
    private static string WriteData(TempFolder temp, int count)
    {
        var path = temp.File("data.parquet");
        var ids = new Int64Array.Builder();
        var tags = new StringArray.Builder();
        for (var i = 0; i < count; i++)
        {
            ids.Append(i);
            if (i % 10 == 9)
            {
                tags.AppendNull();
            }
            else
            {
                tags.Append("t" + (i % 5));
            }
        }

        var batch = new RecordBatch(IcebergArrowSchema.ToArrowSchema(DataSchema.Columns), [ids.Build(), tags.Build()], count);
        IcebergParquetWriter.Write(LocalFileIO.Instance, path, DataSchema, [batch], [], 0);
        return path;
    }

    private static DataFile WritePositionDeletes(TempFolder temp, string name, params (string Path, long Pos)[] rows)
    {
        var paths = new StringArray.Builder();
        var positions = new Int64Array.Builder();
        foreach (var (path, pos) in rows)
        {
            paths.Append(path);
            positions.Append(pos);
        }

        var batch = new RecordBatch(IcebergArrowSchema.ToArrowSchema(PositionDeleteSchema.Columns), [paths.Build(), positions.Build()], rows.Length);
        var file = temp.File(name);
        IcebergParquetWriter.Write(LocalFileIO.Instance, file, PositionDeleteSchema, [batch], [], 0);
        return DataFileAt(file, FileContent.PositionDeletes);
    }

    private static DataFile WriteEqualityDeletes(TempFolder temp, string name, params string?[] tags)
    {
        var schema = new Types.Schema(0, [DataSchema.Columns[1]]);
        var builder = new StringArray.Builder();
        foreach (var tag in tags)
        {
            if (tag is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(tag);
            }
        }

        var file = temp.File(name);
        IcebergParquetWriter.Write(LocalFileIO.Instance, file, schema, [new RecordBatch(IcebergArrowSchema.ToArrowSchema(schema.Columns), [builder.Build()], tags.Length)], [], 0);
        return DataFileAt(file, FileContent.EqualityDeletes) with { EqualityFieldIds = [2] };
    }

    private static List<long> ReadIds(FileScanTask task, int batchSize = 16) =>
        ReadRows(task, [1], batchSize).Select(r => (long)r[0]!).ToList();

    [Fact]
    public void PositionDeletesMatchNormalisedPathsAcrossBatches()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 100);
        var recorded = "s3://bucket/warehouse/t/data.parquet";
        var deletes = WritePositionDeletes(
            temp,
            "pos.parquet",
            ("file://" + dataPath, 0),
            (dataPath, 15),
            ("s3a://other-bucket/warehouse/t/data.parquet", 16),
            ("./other/file.parquet", 17),
            ("/elsewhere/data.parquet", 18),
            (dataPath, 99),
            (dataPath, 15));
        var task = Task(DataFileAt(dataPath, recordedPath: recorded), DataSchema, [deletes]);
        var ids = ReadIds(task);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i).Where(i => i is not (0 or 15 or 16 or 99)), ids);
    }

    [Fact]
    public void DeletionVectorAtRecordedOffset()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 20);
        var blob = File.ReadAllBytes(SmallAlternatingBlob);
        var puffinPath = temp.File("dv.puffin");
        File.WriteAllBytes(puffinPath, [.. "PFA1"u8.ToArray(), .. new byte[6], .. blob]);
        var vector = DataFileAt(puffinPath, FileContent.PositionDeletes, FileFormat.Puffin) with { ContentOffset = 10, ContentSizeInBytes = blob.Length };
        Assert.Equal(new long[] { 0, 2, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }, ReadIds(Task(DataFileAt(dataPath), DataSchema, [vector]), batchSize: 4));
    }

    [Fact]
    public void DeletionVectorFoundThroughPuffinFooter()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 12);
        var blob = File.ReadAllBytes(SmallAlternatingBlob);
        var json = $$$"""{"blobs":[{"type":"apache-datasketches-theta-v1","fields":[1],"snapshot-id":1,"sequence-number":1,"offset":4,"length":{{{blob.Length}}}},{"type":"deletion-vector-v1","fields":[2147483645],"snapshot-id":1,"sequence-number":1,"offset":4,"length":{{{blob.Length}}},"properties":{"referenced-data-file":"{{{dataPath}}}","cardinality":"5"}}]}""";
        var footer = Encoding.UTF8.GetBytes(json);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, footer.Length);
        var puffinPath = temp.File("dv.puffin");
        File.WriteAllBytes(puffinPath, [.. "PFA1"u8.ToArray(), .. blob, .. "PFA1"u8.ToArray(), .. footer, .. size, 0, 0, 0, 0, .. "PFA1"u8.ToArray()]);

        var parsed = PuffinReader.ReadFooter(LocalFileIO.Instance, puffinPath);
        Assert.Equal(2, parsed.Blobs.Count);
        Assert.Equal("5", parsed.Blobs[1].Properties["cardinality"]);

        var vector = DataFileAt(puffinPath, FileContent.PositionDeletes, FileFormat.Puffin);
        Assert.Equal(new long[] { 0, 2, 4, 6, 8, 10, 11 }, ReadIds(Task(DataFileAt(dataPath), DataSchema, [vector])));
    }

    [Fact]
    public void EqualityDeletesTreatNullAsEqualAndCombineWithPositions()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 40);
        var equality = WriteEqualityDeletes(temp, "eq.parquet", "t1", null);
        var positions = WritePositionDeletes(temp, "pos.parquet", (dataPath, 0), (dataPath, 2));

        // Only id is projected; the tag key column is decoded for the comparison and dropped.
        var ids = ReadIds(Task(DataFileAt(dataPath), DataSchema, [equality, positions]), batchSize: 7);
        var expected = Enumerable.Range(0, 40).Where(i => i % 5 != 1 && i % 10 != 9 && i is not (0 or 2)).Select(i => (long)i);
        Assert.Equal(expected, ids);

        var batches = IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema, [equality]), [1]).ToList();
        Assert.All(batches, b => Assert.Equal(1, b.ColumnCount));
    }

    [Fact]
    public void EmptyProjectionCountsSurvivingRows()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 30);
        var positions = WritePositionDeletes(temp, "pos.parquet", (dataPath, 3), (dataPath, 4), (dataPath, 29));
        var batches = IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema, [positions]), [], batchSize: 8).ToList();
        Assert.Equal(27, batches.Sum(b => b.Length));
    }

    [Fact]
    public void AllRowsDeletedYieldsNoBatches()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 3);
        var positions = WritePositionDeletes(temp, "pos.parquet", (dataPath, 0), (dataPath, 1), (dataPath, 2));
        Assert.Empty(IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema, [positions]), [1, 2]));
    }

    [Fact]
    public void LoadReportsDeletedPositionsSortedAndDistinct()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 3);
        var positions = WritePositionDeletes(temp, "pos.parquet", (dataPath, 9), (dataPath, 1), (dataPath, 9));
        var blob = File.ReadAllBytes(SmallAlternatingBlob);
        var dvPath = temp.File("bare.puffin");
        File.WriteAllBytes(dvPath, blob);
        var vector = DataFileAt(dvPath, FileContent.PositionDeletes, FileFormat.Puffin) with { ContentOffset = 0, ContentSizeInBytes = blob.Length };
        var filter = DeleteFilter.Load(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema, [positions, vector]));
        Assert.NotNull(filter);
        Assert.Equal(new long[] { 1, 3, 5, 7, 9 }, filter.DeletedPositions);
        Assert.Null(DeleteFilter.Load(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema)));
    }

    [Fact]
    public void UnsupportedDeleteFormatIsRejected()
    {
        using var temp = new TempFolder();
        var dataPath = WriteData(temp, 3);
        var avroDeletes = DataFileAt(dataPath, FileContent.PositionDeletes, FileFormat.Avro);
        var error = Assert.Throws<IcebergException>(() => IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(dataPath), DataSchema, [avroDeletes]), [1]).ToList());
        Assert.Equal(IcebergException.Unsupported, error.Code);
    }

    [Theory]
    [InlineData("file:///tmp/a.parquet", "/tmp/a.parquet")]
    [InlineData("file:/tmp/a.parquet", "/tmp/a.parquet")]
    [InlineData("file://data/persistent/x.parquet", "data/persistent/x.parquet")]
    [InlineData("s3://bucket/key/a.parquet", "/key/a.parquet")]
    [InlineData("hdfs://host:8020/key/a.parquet", "/key/a.parquet")]
    [InlineData("./data/a.parquet", "data/a.parquet")]
    [InlineData("data/a.parquet", "data/a.parquet")]
    public void PathNormalisation(string recorded, string expected) => Assert.Equal(expected, DeletePaths.Normalize(recorded));
}
