using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Iceberg.Tests;

public sealed class IcebergWriterTests : IDisposable
{
    private const long MicrosPerDay = 86_400_000_000L;
    private static readonly int FirstDay = ValueText.ParseDate("2024-03-01");
    private static readonly string?[] Categories = ["books", "games", null];

    private static readonly IcebergSchema TableSchema = new(0,
    [
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "category", false, PrimitiveType.String),
        new NestedField(4, "amount", false, new DecimalType(10, 2)),
        new NestedField(5, "score", false, PrimitiveType.Double),
    ]);

    private static readonly PartitionSpec Spec = new(0,
    [
        new PartitionField(3, 1000, "category", Transform.Identity),
        new PartitionField(2, 1001, "event_day", Transform.Parse("day")),
    ]);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CreateTableWritesFirstMetadataVersionWithoutSnapshot()
    {
        var created = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec, new Dictionary<string, string> { ["owner"] = "tests" });

        Assert.True(File.Exists(Path.Combine(TableFolder, "metadata", "v1.metadata.json")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(TableFolder, "metadata", "version-hint.text")));
        var loaded = IcebergTable.Load(LocalFileIO.Instance, TableFolder);
        Assert.Equal(2, loaded.Metadata.FormatVersion);
        Assert.Null(loaded.Metadata.CurrentSnapshot);
        Assert.Equal(5, loaded.Metadata.LastColumnId);
        Assert.Equal(1001, loaded.Metadata.LastPartitionId);
        Assert.Equal("tests", loaded.Metadata.Properties["owner"]);
        Assert.Equal(new[] { "category", "event_day" }, loaded.Metadata.DefaultSpec.Fields.Select(f => f.Name));
        Assert.Equal("day", loaded.Metadata.DefaultSpec.Fields[1].Transform.ToString());
        Assert.Equal(created.Metadata.TableUuid, loaded.Metadata.TableUuid);
        Assert.Empty(IcebergScanPlanner.Plan(loaded, SnapshotSelection.Current, AlwaysTrue.Instance).Tasks);
    }

    [Fact]
    public void CreatingATableTwiceFails()
    {
        IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);

        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec));
        Assert.Equal(IcebergTableWriter.TableExists, error.Code);
    }

    [Fact]
    public void PartitionFieldOnMissingColumnIsRejected()
    {
        var spec = new PartitionSpec(0, [new PartitionField(42, 1000, "nope", Transform.Identity)]);

        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, spec));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoAppendsPlanAndReadBackAtEachSnapshot()
    {
        var (first, second, firstRows, secondRows) = WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);

        Assert.EndsWith("v3.metadata.json", table.MetadataFileLocation, StringComparison.Ordinal);
        Assert.Equal(2, table.Metadata.Snapshots.Count);
        Assert.Equal(second, table.Metadata.CurrentSnapshotId);
        Assert.Equal(second, table.Metadata.Refs["main"].SnapshotId);
        Assert.Equal(new[] { first, second }, table.Metadata.SnapshotLog.Select(e => e.SnapshotId));
        Assert.Equal(2, table.Metadata.MetadataLog.Count);
        var firstSnapshot = table.Metadata.SnapshotById(first)!;
        var secondSnapshot = table.Metadata.SnapshotById(second)!;
        Assert.Equal(1, firstSnapshot.SequenceNumber);
        Assert.Equal(2, secondSnapshot.SequenceNumber);
        Assert.Equal(first, secondSnapshot.ParentSnapshotId);
        Assert.Equal("append", secondSnapshot.Operation);
        Assert.Equal(secondRows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), secondSnapshot.Summary["added-records"]);
        Assert.Equal((firstRows.Count + secondRows.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), secondSnapshot.Summary["total-records"]);
        Assert.Equal(firstSnapshot.Summary["total-data-files"], firstSnapshot.Summary["added-data-files"]);

        var current = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance);
        Assert.Equal(DistinctPartitions(firstRows) + DistinctPartitions(secondRows), current.Tasks.Count);
        Assert.Equal(firstRows.Count + secondRows.Count, current.Tasks.Sum(t => t.File.RecordCount));
        AssertRows(firstRows.Concat(secondRows), ReadAll(current));

        var travelled = IcebergScanPlanner.Plan(table, SnapshotSelection.ById(first), AlwaysTrue.Instance);
        Assert.Equal(DistinctPartitions(firstRows), travelled.Tasks.Count);
        AssertRows(firstRows, ReadAll(travelled));
        Assert.All(travelled.Tasks, t => Assert.Equal(1, t.File.DataSequenceNumber));
    }

    [Fact]
    public void EachFileHoldsOnePartitionAndIdentityValuesAreKnown()
    {
        WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);

        foreach (var task in IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance).Tasks)
        {
            var category = (string?)task.File.Partition[0];
            var day = (int)task.File.Partition[1]!;
            Assert.Equal(category, task.IdentityPartitionValues[3]);
            Assert.Contains("/data/category=" + (category ?? "null") + "/event_day=" + ValueText.FormatDate(day) + "/", task.File.Path, StringComparison.Ordinal);
            foreach (var row in ReadRows(task))
            {
                Assert.Equal(category, row.Category);
                Assert.Equal(day, (int)Math.Floor(row.EventTime / (double)MicrosPerDay));
            }
        }
    }

    [Fact]
    public void DayRangeFilterPrunesPartitionsAndManifests()
    {
        var (_, _, firstRows, secondRows) = WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);
        var lastDayStart = (long)(FirstDay + 3) * MicrosPerDay;

        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new Comparison(2, ComparisonOperator.GreaterThanOrEqual, lastDayStart));

        // Only the second append covers the last day, so the first manifest is skipped from its partition summary.
        Assert.Equal(2, result.Metrics.ManifestsTotal);
        Assert.Equal(1, result.Metrics.ManifestsSkipped);
        Assert.Equal(DistinctPartitions(secondRows.Where(r => r.EventTime >= lastDayStart).ToList()), result.Metrics.DataFilesKept);
        Assert.True(result.Metrics.DataFilesPrunedByPartition > 0);
        Assert.True(result.Metrics.BytesPruned > 0);
        AssertRows(firstRows.Concat(secondRows).Where(r => r.EventTime >= lastDayStart), ReadAll(result));
    }

    [Fact]
    public void IdentityFilterPrunesOtherCategories()
    {
        var (_, _, firstRows, secondRows) = WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);
        var all = firstRows.Concat(secondRows).ToList();

        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new Comparison(3, ComparisonOperator.Equal, "games"));

        // Day 2 appears in both appends, so files are counted per append.
        var gamesFiles = DistinctPartitions(firstRows.Where(r => r.Category == "games").ToList()) + DistinctPartitions(secondRows.Where(r => r.Category == "games").ToList());
        Assert.Equal(gamesFiles, result.Tasks.Count);
        Assert.Equal(DistinctPartitions(firstRows) + DistinctPartitions(secondRows) - gamesFiles, result.Metrics.DataFilesPrunedByPartition);
        AssertRows(all.Where(r => r.Category == "games"), ReadAll(result));

        var nulls = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new IsNull(3));
        Assert.All(nulls.Tasks, t => Assert.Null(t.File.Partition[0]));
        AssertRows(all.Where(r => r.Category is null), ReadAll(nulls));
    }

    [Fact]
    public void ManifestsReadBackWithTheManifestReader()
    {
        var (first, second, firstRows, secondRows) = WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);

        var manifests = ManifestReader.ReadManifestList(table, table.Metadata.CurrentSnapshot!.ManifestList!);
        Assert.Equal(2, manifests.Count);
        var newest = manifests.Single(m => m.AddedSnapshotId == second);
        var oldest = manifests.Single(m => m.AddedSnapshotId == first);
        Assert.Equal(2, newest.SequenceNumber);
        Assert.Equal(1, oldest.SequenceNumber);
        Assert.Equal(ManifestContent.Data, newest.Content);
        Assert.Equal(secondRows.Count, newest.AddedRowsCount);
        Assert.Equal(DistinctPartitions(secondRows), newest.AddedFilesCount);
        Assert.Equal(new FileInfo(newest.Path).Length, newest.Length);

        var summaries = oldest.Partitions!;
        Assert.Equal(2, summaries.Count);
        Assert.Equal(firstRows.Any(r => r.Category is null), summaries[0].ContainsNull);
        Assert.Equal("books", SingleValueSerialization.FromBytes(PrimitiveType.String, summaries[0].LowerBound));
        Assert.Equal("games", SingleValueSerialization.FromBytes(PrimitiveType.String, summaries[0].UpperBound));
        Assert.False(summaries[1].ContainsNull);
        Assert.Null(summaries[1].ContainsNaN);
        Assert.Equal(firstRows.Min(r => DayOf(r)), SingleValueSerialization.FromBytes(PrimitiveType.Date, summaries[1].LowerBound));
        Assert.Equal(firstRows.Max(r => DayOf(r)), SingleValueSerialization.FromBytes(PrimitiveType.Date, summaries[1].UpperBound));

        var entries = ManifestReader.ReadManifest(table, newest);
        Assert.Equal(DistinctPartitions(secondRows), entries.Count);
        foreach (var entry in entries)
        {
            Assert.Equal(ManifestEntryStatus.Added, entry.Status);
            Assert.Equal(second, entry.SnapshotId);
            Assert.Equal(2, entry.File.DataSequenceNumber);
            Assert.Equal(2, entry.File.FileSequenceNumber);
            Assert.Equal(FileFormat.Parquet, entry.File.Format);
            Assert.StartsWith(table.Metadata.Location + "/data/", entry.File.RecordedPath, StringComparison.Ordinal);
            Assert.Equal(new FileInfo(entry.File.Path).Length, entry.File.FileSizeInBytes);
            Assert.Equal(5, entry.File.ValueCounts!.Count);
            Assert.Equal(entry.File.RecordCount, entry.File.ValueCounts[1]);
            Assert.True(entry.File.LowerBounds!.ContainsKey(2));
            Assert.True(entry.File.NanValueCounts!.ContainsKey(5));
        }

        var avro = AvroFileReader.Read(File.ReadAllBytes(newest.Path), newest.Path);
        Assert.Equal("2", avro.MetadataString("format-version"));
        Assert.Equal("data", avro.MetadataString("content"));
        Assert.Equal("0", avro.MetadataString("partition-spec-id"));
        Assert.Equal(TableSchema.Columns.Count, SchemaJson.ParseSchema(System.Text.Json.Nodes.JsonNode.Parse(avro.MetadataString("schema")!)).Columns.Count);
        Assert.Contains("\"event_day\"", avro.MetadataString("partition-spec"), StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestSchemasCarryTheSpecFieldIds()
    {
        var referenceFolder = Path.Combine(IcebergSharedFolder.Iceberg, "duckdb-iceberg", "data", "persistent", "partition_time", "default.db", "partition_time", "metadata");
        var referenceList = Directory.GetFiles(referenceFolder, "snap-*.avro").Single();
        var referenceManifest = Directory.GetFiles(referenceFolder, "*-m0.avro").Single();
        WriteTwoAppends();
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);
        var manifest = ManifestReader.ReadManifestList(table, table.Metadata.CurrentSnapshot!.ManifestList!)[0];

        var writtenList = AvroFileReader.Read(File.ReadAllBytes(table.ResolvePath(table.Metadata.CurrentSnapshot.ManifestList!)), "list").Schema;
        var expectedList = AvroFileReader.Read(File.ReadAllBytes(referenceList), referenceList).Schema;
        Assert.Equal(FieldIds(expectedList), FieldIds(writtenList));

        var writtenEntry = AvroFileReader.Read(File.ReadAllBytes(manifest.Path), "manifest").Schema;
        var expectedEntry = AvroFileReader.Read(File.ReadAllBytes(referenceManifest), referenceManifest).Schema;
        var expectedIds = FieldIds(expectedEntry).Where(pair => !pair.Key.StartsWith("data_file.partition.", StringComparison.Ordinal)).ToList();
        var writtenIds = FieldIds(writtenEntry);
        foreach (var (name, id) in expectedIds)
        {
            Assert.Equal((name, id), (name, writtenIds.Single(p => p.Key == name).Value));
        }

        Assert.Equal(1000, writtenIds.Single(p => p.Key == "data_file.partition.category").Value);
        Assert.Equal(1001, writtenIds.Single(p => p.Key == "data_file.partition.event_day").Value);
    }

    [Fact]
    public void MovedTableStillPlansAndReads()
    {
        var (_, _, firstRows, secondRows) = WriteTwoAppends();
        var moved = Path.Combine(_temp.FullPath, "elsewhere", "events_copy");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(TableFolder, moved);

        var table = IcebergTable.Load(LocalFileIO.Instance, moved);
        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance);

        Assert.All(result.Tasks, t => Assert.StartsWith(moved, t.File.Path, StringComparison.Ordinal));
        AssertRows(firstRows.Concat(secondRows), ReadAll(result));
        var appended = IcebergTableWriter.AppendBatches(table, [Batch(Rows(5, 1, 9))]);
        Assert.Equal(firstRows.Count + secondRows.Count + 9, IcebergScanPlanner.Plan(appended, SnapshotSelection.Current, AlwaysTrue.Instance).Tasks.Sum(t => t.File.RecordCount));
    }

    [Fact]
    public void AppendingFromAStaleTableIsAConflict()
    {
        var created = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        IcebergTableWriter.AppendBatches(created, [Batch(Rows(0, 1, 10))]);

        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.AppendBatches(created, [Batch(Rows(1, 1, 10))]));
        Assert.Equal(IcebergTableWriter.CommitConflict, error.Code);
    }

    [Fact]
    public void BatchNotMatchingTheSchemaIsRejected()
    {
        var created = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        var narrow = new RecordBatch(new Apache.Arrow.Schema.Builder().Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false)).Build(), [new Int64Array.Builder().Append(1).Build()], 1);

        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.AppendBatches(created, [narrow]));
        Assert.Contains("columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnpartitionedTableGetsOneFilePerAppend()
    {
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, PartitionSpec.Unpartitioned);
        var rows = Rows(0, 3, 40);
        table = IcebergTableWriter.AppendBatches(table, [Batch(rows.Take(50).ToList()), Batch(rows.Skip(50).ToList())]);

        var result = IcebergScanPlanner.Plan(IcebergTable.Load(LocalFileIO.Instance, TableFolder), SnapshotSelection.Current, AlwaysTrue.Instance);
        var task = Assert.Single(result.Tasks);
        Assert.Empty(task.File.Partition);
        AssertRows(rows, ReadAll(result));
        Assert.Single(table.Metadata.Snapshots);
    }

    [Fact]
    public void TimeTravelByTimestampFindsTheFirstSnapshot()
    {
        var created = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        var afterFirst = IcebergTableWriter.AppendBatches(created, [Batch(Rows(0, 1, 20))], options: new AppendOptions { TimestampMs = 1_700_000_000_000 });
        IcebergTableWriter.AppendBatches(afterFirst, [Batch(Rows(1, 1, 20))], options: new AppendOptions { TimestampMs = 1_700_000_100_000 });
        var table = IcebergTable.Load(LocalFileIO.Instance, TableFolder);

        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.AsOfTimestamp(1_700_000_050_000_000), AlwaysTrue.Instance);

        Assert.Equal(afterFirst.Metadata.CurrentSnapshotId, result.Snapshot!.SnapshotId);
        Assert.Equal(20, result.Tasks.Sum(t => t.File.RecordCount));
    }

    [Fact]
    public void AppendOfPrewrittenDataFilesRecordsThem()
    {
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        var files = IcebergTableWriter.WriteDataFiles(table, [Batch(Rows(0, 2, 15))]);
        Assert.Equal(Categories.Length * 2, files.Count);

        var committed = IcebergTableWriter.Append(LocalFileIO.Instance, table, files, new AppendOptions { SnapshotId = 77, Summary = new Dictionary<string, string> { ["engine"] = "lakehouse" } });

        Assert.Equal(77, committed.Metadata.CurrentSnapshotId);
        Assert.Equal("lakehouse", committed.Metadata.CurrentSnapshot!.Summary["engine"]);
        Assert.Equal(files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), committed.Metadata.CurrentSnapshot.Summary["changed-partition-count"]);
        var error = Assert.Throws<IcebergException>(() => IcebergTableWriter.Append(LocalFileIO.Instance, committed, files, new AppendOptions { SnapshotId = 77 }));
        Assert.Equal(IcebergTableWriter.CommitConflict, error.Code);
    }

    private string TableFolder => Path.Combine(_temp.FullPath, "warehouse", "events");

    private (long First, long Second, List<Row> FirstRows, List<Row> SecondRows) WriteTwoAppends()
    {
        var firstRows = Rows(0, 3, 60);
        var secondRows = Rows(2, 2, 45);
        var table = IcebergTableWriter.CreateTable(LocalFileIO.Instance, TableFolder, TableSchema, Spec);
        table = IcebergTableWriter.AppendBatches(table, [Batch(firstRows.Take(100).ToList()), Batch(firstRows.Skip(100).ToList())]);
        var first = table.Metadata.CurrentSnapshotId!.Value;
        table = IcebergTableWriter.AppendBatches(table, [Batch(secondRows)]);
        return (first, table.Metadata.CurrentSnapshotId!.Value, firstRows, secondRows);
    }

    private static int DayOf(Row row) => (int)Math.Floor(row.EventTime / (double)MicrosPerDay);

    private static int DistinctPartitions(List<Row> rows) => rows.Select(r => (r.Category, DayOf(r))).Distinct().Count();

    /// <summary>Rows spread over <paramref name="days"/> days from <see cref="FirstDay"/> + <paramref name="dayOffset"/>, every category in each day.</summary>
    private static List<Row> Rows(int dayOffset, int days, int perDay)
    {
        var random = new Random(dayOffset * 31 + days);
        var rows = new List<Row>();
        for (var d = 0; d < days; d++)
        {
            for (var i = 0; i < perDay; i++)
            {
                var id = ((long)(dayOffset + d) * 100_000) + (dayOffset * 1000) + i;
                var time = ((long)(FirstDay + dayOffset + d) * MicrosPerDay) + (long)(random.NextDouble() * (MicrosPerDay - 1));
                rows.Add(new Row(
                    id,
                    time,
                    Categories[i % Categories.Length],
                    i % 4 == 0 ? null : new BigInteger(random.Next(-100_000, 100_000)),
                    i % 5 == 0 ? double.NaN : i % 7 == 0 ? null : random.NextDouble()));
            }
        }

        return rows;
    }

    private static RecordBatch Batch(List<Row> rows)
    {
        var arrowSchema = IcebergArrowSchema.ToArrowSchema(TableSchema.Columns);
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder((TimestampType)arrowSchema.GetFieldByName("event_time").DataType);
        var categories = new StringArray.Builder();
        var amounts = new Decimal128Array.Builder((Decimal128Type)arrowSchema.GetFieldByName("amount").DataType);
        var scores = new DoubleArray.Builder();
        foreach (var row in rows)
        {
            ids.Append(row.Id);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks(row.EventTime * 10));
            if (row.Category is null)
            {
                categories.AppendNull();
            }
            else
            {
                categories.Append(row.Category);
            }

            if (row.Amount is { } amount)
            {
                amounts.Append((decimal)amount / 100m);
            }
            else
            {
                amounts.AppendNull();
            }

            if (row.Score is { } score)
            {
                scores.Append(score);
            }
            else
            {
                scores.AppendNull();
            }
        }

        return new RecordBatch(arrowSchema, [ids.Build(), times.Build(), categories.Build(), amounts.Build(), scores.Build()], rows.Count);
    }

    private static List<Row> ReadAll(IcebergScanResult result) => result.Tasks.SelectMany(ReadRows).ToList();

    private static IEnumerable<Row> ReadRows(FileScanTask task)
    {
        foreach (var batch in IcebergDataFileReader.Read(LocalFileIO.Instance, task, [1, 2, 3, 4, 5]))
        {
            for (var r = 0; r < batch.Length; r++)
            {
                var amount = batch.Column(3).IsNull(r) ? (BigInteger?)null : (BigInteger)MemoryMarshal.Cast<byte, Int128>(((Decimal128Array)batch.Column(3)).ValueBuffer.Span)[batch.Column(3).Offset + r];
                yield return new Row(
                    ((Int64Array)batch.Column(0)).GetValue(r)!.Value,
                    ((TimestampArray)batch.Column(1)).GetValue(r)!.Value,
                    ((StringArray)batch.Column(2)).GetString(r),
                    amount,
                    ((DoubleArray)batch.Column(4)).GetValue(r));
            }
        }
    }

    private static void AssertRows(IEnumerable<Row> expected, List<Row> actual)
    {
        var expectedSorted = expected.OrderBy(r => r.Id).ToList();
        var actualSorted = actual.OrderBy(r => r.Id).ToList();
        Assert.Equal(expectedSorted.Count, actualSorted.Count);
        for (var i = 0; i < expectedSorted.Count; i++)
        {
            Assert.Equal(expectedSorted[i].Id, actualSorted[i].Id);
            Assert.Equal(expectedSorted[i].EventTime, actualSorted[i].EventTime);
            Assert.Equal(expectedSorted[i].Category, actualSorted[i].Category);
            Assert.Equal(expectedSorted[i].Amount, actualSorted[i].Amount);
            Assert.Equal(expectedSorted[i].Score, actualSorted[i].Score);
        }
    }

    private static List<KeyValuePair<string, int>> FieldIds(AvroSchema schema)
    {
        var result = new List<KeyValuePair<string, int>>();
        Collect(schema, string.Empty, result);
        return result;
    }

    private static void Collect(AvroSchema schema, string prefix, List<KeyValuePair<string, int>> result)
    {
        switch (schema)
        {
            case AvroRecordSchema record:
                foreach (var field in record.Fields)
                {
                    var name = prefix + field.Name;
                    if (field.FieldId is { } id)
                    {
                        result.Add(new KeyValuePair<string, int>(name, id));
                    }

                    Collect(field.Schema, name + ".", result);
                }

                break;
            case AvroUnionSchema union:
                foreach (var branch in union.Branches)
                {
                    Collect(branch, prefix, result);
                }

                break;
            case AvroArraySchema array:
                if (array.ElementId is { } elementId)
                {
                    result.Add(new KeyValuePair<string, int>(prefix + "element", elementId));
                }

                Collect(array.Items, prefix, result);
                break;
        }
    }

    private sealed record Row(long Id, long EventTime, string? Category, BigInteger? Amount, double? Score);
}
