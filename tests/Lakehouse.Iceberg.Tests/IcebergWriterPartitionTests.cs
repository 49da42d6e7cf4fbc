using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Partition values of every transform and many source types survive the manifest round trip.</summary>
public sealed class IcebergWriterPartitionTests : IDisposable
{
    private static readonly IcebergSchema TableSchema = new(0,
    [
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "flag", false, PrimitiveType.Boolean),
        new NestedField(3, "name", false, PrimitiveType.String),
        new NestedField(4, "price", false, new DecimalType(9, 2)),
        new NestedField(5, "key", false, PrimitiveType.Uuid),
        new NestedField(6, "ts", false, PrimitiveType.Timestamp),
        new NestedField(7, "ratio", false, PrimitiveType.Float),
        new NestedField(8, "day", false, PrimitiveType.Date),
    ]);

    private static readonly PartitionSpec Spec = new(0,
    [
        new PartitionField(2, 1000, "flag", Transform.Identity),
        new PartitionField(3, 1001, "name", Transform.Identity),
        new PartitionField(4, 1002, "price", Transform.Identity),
        new PartitionField(5, 1003, "key", Transform.Identity),
        new PartitionField(6, 1004, "ts_year", Transform.Parse("year")),
        new PartitionField(6, 1005, "ts_month", Transform.Parse("month")),
        new PartitionField(6, 1006, "ts_hour", Transform.Parse("hour")),
        new PartitionField(1, 1007, "id_bucket", Transform.Parse("bucket[4]")),
        new PartitionField(3, 1008, "name_trunc", Transform.Parse("truncate[2]")),
        new PartitionField(7, 1009, "ratio", Transform.Identity),
        new PartitionField(8, 1010, "day", Transform.Identity),
    ]);

    private static readonly string?[] Names = ["a/b c", "ümlaut", null, "plain"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string TableFolder => Path.Combine(_temp.FullPath, "typed");

    [Fact]
    public void EveryPartitionValueRoundTripsThroughTheManifest()
    {
        var rows = Rows(24);
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        IcebergTableWriter.AppendBatches(table, [Batch(rows)]);
        var loaded = IcebergTable.Load(LocalFileIO.Instance, TableFolder);

        var result = IcebergScanPlanner.Plan(loaded, SnapshotSelection.Current, AlwaysTrue.Instance);

        Assert.Equal(rows.Count, result.Tasks.Sum(t => t.File.RecordCount));
        var seen = 0;
        foreach (var task in result.Tasks)
        {
            foreach (var batch in IcebergDataFileReader.Read(LocalFileIO.Instance, task, [1, 2, 3, 4, 5, 6, 7, 8]))
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    var id = ((Int64Array)batch.Column(0)).GetValue(r)!.Value;
                    var expected = Expected(rows.Single(row => row.Id == id));
                    Assert.Equal(expected.Count, task.File.Partition.Count);
                    for (var f = 0; f < expected.Count; f++)
                    {
                        Assert.True(SameValue(expected[f], task.File.Partition[f]), $"partition field {Spec.Fields[f].Name}: expected {expected[f]}, got {task.File.Partition[f]}");
                    }

                    seen++;
                }
            }
        }

        Assert.Equal(rows.Count, seen);
    }

    [Fact]
    public void SlicedBatchesArePartitionedFromTheirOffset()
    {
        var rows = Rows(30);
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        var batch = Batch(rows);
        var sliced = new RecordBatch(batch.Schema, batch.Arrays.Select(a => ArrowArrayFactory.Slice(a, 7, 15)), 15);

        var files = IcebergTableWriter.WriteDataFiles(table, [sliced]);

        Assert.Equal(15, files.Sum(f => f.RecordCount));
        var expectedPartitions = rows.Skip(7).Take(15).Select(Expected).ToList();
        Assert.All(files, f => Assert.Contains(expectedPartitions, e => e.Zip(f.Partition).All(pair => SameValue(pair.First, pair.Second))));
        var task = new Scan.FileScanTask { File = files[0], Deletes = [], Schema = TableSchema, IdentityPartitionValues = new Dictionary<int, object?>() };
        var ids = IcebergDataFileReader.Read(LocalFileIO.Instance, task, [1]).SelectMany(b => Enumerable.Range(0, b.Length).Select(r => ((Int64Array)b.Column(0)).GetValue(r)!.Value)).ToList();
        Assert.All(ids, id => Assert.InRange(id, 7, 21));
    }

    [Fact]
    public void DataFileFoldersUseHumanReadableEscapedValues()
    {
        var rows = Rows(4);
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        var files = IcebergTableWriter.WriteDataFiles(table, [Batch(rows)]);

        var first = files.Single(f => Equals(f.Partition[1], "a/b c")).RecordedPath;
        Assert.Contains("/name=a%2Fb%20c/", first, StringComparison.Ordinal);
        Assert.Contains("/ts_year=2024/ts_month=2024-03/ts_hour=2024-03-01-00/", first, StringComparison.Ordinal);
        Assert.Contains("/price=-1.50/", first, StringComparison.Ordinal);
        Assert.Contains("/day=2024-03-01", first, StringComparison.Ordinal);
        Assert.Contains("/name=null/", files.Single(f => f.Partition[1] is null).RecordedPath, StringComparison.Ordinal);
        Assert.All(files, f => Assert.True(File.Exists(f.Path)));
    }

    [Fact]
    public void FloatPartitionSummaryRecordsNaN()
    {
        var rows = Rows(8);
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        table = IcebergTableWriter.AppendBatches(table, [Batch(rows)]);

        var manifest = Assert.Single(Manifests.ManifestReader.ReadManifestList(table, table.Metadata.CurrentSnapshot!.ManifestList!));
        var ratio = manifest.Partitions![9];
        Assert.True(ratio.ContainsNaN);
        Assert.False(ratio.ContainsNull);
        Assert.Equal(0.5f, SingleValueSerialization.FromBytes(PrimitiveType.Float, ratio.LowerBound));
        var flag = manifest.Partitions[0];
        Assert.Null(flag.ContainsNaN);
        Assert.Equal(false, SingleValueSerialization.FromBytes(PrimitiveType.Boolean, flag.LowerBound));
        Assert.Equal(true, SingleValueSerialization.FromBytes(PrimitiveType.Boolean, flag.UpperBound));
    }

    [Theory]
    [InlineData(3, "day")]
    [InlineData(8, "hour")]
    [InlineData(7, "truncate[2]")]
    [InlineData(2, "bucket[3]")]
    public void TransformOnAnUnsupportedSourceTypeIsRejected(int sourceId, string transform)
    {
        var spec = new PartitionSpec(0, [new PartitionField(sourceId, 1000, "p", Transform.Parse(transform))]);

        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, spec));

        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.False(Directory.Exists(Path.Combine(TableFolder, "metadata")));
    }

    private static IReadOnlyList<object?> Expected(Row row)
    {
        object?[] sources = [row.Flag, row.Name, row.Price, row.Key, row.Ts, row.Ts, row.Ts, row.Id, row.Name, row.Ratio, row.Day];
        var values = new object?[Spec.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var sourceType = TableSchema.FindField(Spec.Fields[i].SourceId)!.Type;
            values[i] = Spec.Fields[i].Transform.Apply(sourceType, sources[i]);
        }

        return values;
    }

    private static bool SameValue(object? expected, object? actual) =>
        expected is null
            ? actual is null
            : actual is not null && expected.GetType() == actual.GetType()
              && (IcebergValueComparer.Compare(expected, actual) == 0 || (IcebergValueComparer.IsNaN(expected) && IcebergValueComparer.IsNaN(actual)));

    private static List<Row> Rows(int count)
    {
        var start = ValueText.ParseTimestampMicros("2024-03-01T00:30:00");
        var rows = new List<Row>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(new Row(
                i,
                i % 3 == 2 ? null : i % 2 == 0,
                Names[i % Names.Length],
                i % 5 == 4 ? null : new BigInteger(-150 + (i * 37)),
                i % 6 == 5 ? null : new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                start + (i * 7_200_000_000L * 5),
                i % 4 == 3 ? float.NaN : 0.5f * (i % 3 + 1),
                ValueText.ParseDate("2024-03-01") + (i % 2)));
        }

        return rows;
    }

    private static RecordBatch Batch(List<Row> rows)
    {
        var arrowSchema = IcebergArrowSchema.ToArrowSchema(TableSchema.Columns);
        var ids = new Int64Array.Builder();
        var flags = new BooleanArray.Builder();
        var names = new StringArray.Builder();
        var prices = new Decimal128Array.Builder((Decimal128Type)arrowSchema.GetFieldByName("price").DataType);
        var keys = new GuidArray.Builder();
        var times = new TimestampArray.Builder((TimestampType)arrowSchema.GetFieldByName("ts").DataType);
        var ratios = new FloatArray.Builder();
        var days = new Date32Array.Builder();
        foreach (var row in rows)
        {
            ids.Append(row.Id);
            if (row.Flag is { } flag)
            {
                flags.Append(flag);
            }
            else
            {
                flags.AppendNull();
            }

            if (row.Name is null)
            {
                names.AppendNull();
            }
            else
            {
                names.Append(row.Name);
            }

            if (row.Price is { } price)
            {
                prices.Append((decimal)price / 100m);
            }
            else
            {
                prices.AppendNull();
            }

            if (row.Key is { } key)
            {
                keys.Append(key);
            }
            else
            {
                keys.AppendNull();
            }

            times.Append(DateTimeOffset.UnixEpoch.AddTicks(row.Ts * 10));
            ratios.Append(row.Ratio);
            days.Append(DateTime.UnixEpoch.AddDays(row.Day));
        }

        return new RecordBatch(arrowSchema, [ids.Build(), flags.Build(), names.Build(), prices.Build(), keys.Build(), times.Build(), ratios.Build(), days.Build()], rows.Count);
    }

    private sealed record Row(long Id, bool? Flag, string? Name, BigInteger? Price, Guid? Key, long Ts, float Ratio, int Day);
}
