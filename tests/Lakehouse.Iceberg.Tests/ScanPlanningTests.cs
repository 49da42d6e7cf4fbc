using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Storage;
using Xunit.Abstractions;

namespace Lakehouse.Iceberg.Tests;

public partial class ScanPlanningTests
{
    private readonly ITestOutputHelper _output;

    public ScanPlanningTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> CaseTables()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(IcebergSharedFolder.Iceberg, "cases.jsonl")))
        {
            var c = JsonNode.Parse(line)!;
            if (c["expect_error"] is not null)
            {
                continue;
            }

            foreach (Match m in ScanCall().Matches(c["sql"]!.GetValue<string>()))
            {
                if (seen.Add(m.Groups[1].Value))
                {
                    yield return [m.Groups[1].Value];
                }
            }
        }
    }

    public static IEnumerable<object[]> CountCases()
    {
        foreach (var line in File.ReadLines(Path.Combine(IcebergSharedFolder.Iceberg, "cases.jsonl")))
        {
            var c = JsonNode.Parse(line)!;
            if (c["expected"] is JsonArray rows && CountQuery().IsMatch(c["sql"]!.GetValue<string>()))
            {
                yield return [c["id"]!.GetValue<string>(), c["sql"]!.GetValue<string>(), rows[0]![0]!.GetValue<long>()];
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseTables))]
    public void EveryCaseTableLoadsAndPlans(string relativeTable)
    {
        var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, relativeTable));
        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance);
        Assert.Equal(table.Metadata.CurrentSnapshot, result.Snapshot);
        Assert.Equal(result.Metrics.DataFilesKept, result.Tasks.Count);
        foreach (var task in result.Tasks)
        {
            Assert.True(File.Exists(task.File.Path), $"data file not found: {task.File.Path} (recorded {task.File.RecordedPath})");
            foreach (var d in task.Deletes)
            {
                Assert.True(File.Exists(d.Path), $"delete file not found: {d.Path}");
            }
        }

        _output.WriteLine(result.Metrics.ToString());
    }

    [Theory]
    [MemberData(nameof(CountCases))]
    public void CountOfRecordsMatchesWhenNoDeletes(string id, string sql, long expected)
    {
        var m = CountQuery().Match(sql);
        var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, m.Groups[1].Value));
        var selection = m.Groups[2].Success ? SnapshotSelection.ById(long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : SnapshotSelection.Current;
        var result = IcebergScanPlanner.Plan(table, selection, AlwaysTrue.Instance);
        var hasDeletes = result.Tasks.Any(t => t.Deletes.Count > 0);
        var total = result.Tasks.Sum(t => t.File.RecordCount);
        if (hasDeletes)
        {
            Assert.True(total >= expected, $"{id}: {total} records before deletes cannot be fewer than {expected}");
        }
        else
        {
            Assert.Equal(expected, total);
        }
    }

    [Fact]
    public void PartitionFilterPrunesFiles()
    {
        var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, "duckdb-iceberg", "data", "persistent", "partition_integer"));
        var column = table.Metadata.CurrentSchema.FindColumn("partition_col")!;
        var all = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance);
        var filtered = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new Comparison(column.Id, ComparisonOperator.Equal, 42));
        _output.WriteLine(all.Metrics.ToString());
        _output.WriteLine(filtered.Metrics.ToString());
        Assert.True(filtered.Tasks.Count < all.Tasks.Count);
        Assert.True(filtered.Metrics.DataFilesPrunedByPartition + filtered.Metrics.DataFilesPrunedByStats + filtered.Metrics.ManifestsSkipped > 0);
        Assert.NotEmpty(filtered.Tasks);
        Assert.All(filtered.Tasks, t => Assert.Equal(42, Convert.ToInt32(t.IdentityPartitionValues[column.Id], System.Globalization.CultureInfo.InvariantCulture)));

        var none = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new Comparison(column.Id, ComparisonOperator.Equal, -123456));
        Assert.Empty(none.Tasks);
        var negated = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, new Not(new Comparison(column.Id, ComparisonOperator.NotEqual, 42)));
        Assert.Equal(filtered.Tasks.Count, negated.Tasks.Count);
    }

    [Fact]
    public void TimeTravelSelectsSnapshots()
    {
        var table = IcebergTable.Load(LocalFileIO.Instance, Path.Combine(IcebergSharedFolder.Iceberg, "duckdb-iceberg", "data", "persistent", "iceberg", "lineitem_iceberg"));
        var snapshots = table.Metadata.Snapshots.OrderBy(s => s.TimestampMs).ToList();
        Assert.True(snapshots.Count >= 2);
        var first = snapshots[0];
        var atFirst = IcebergScanPlanner.SelectSnapshot(table.Metadata, SnapshotSelection.AsOfTimestamp((first.TimestampMs * 1000) + 1));
        Assert.Equal(first.SnapshotId, atFirst!.SnapshotId);
        var latest = IcebergScanPlanner.SelectSnapshot(table.Metadata, SnapshotSelection.AsOfTimestamp(long.MaxValue / 2));
        Assert.Equal(snapshots[^1].SnapshotId, latest!.SnapshotId);
        Assert.Equal(table.Metadata.CurrentSnapshotId, IcebergScanPlanner.SelectSnapshot(table.Metadata, SnapshotSelection.ByRef("main"))!.SnapshotId);

        var before = Assert.Throws<IcebergException>(() => IcebergScanPlanner.Plan(table, SnapshotSelection.AsOfTimestamp((first.TimestampMs * 1000) - 1), AlwaysTrue.Instance));
        Assert.Equal(IcebergException.SnapshotNotFound, before.Code);
        var missing = Assert.Throws<IcebergException>(() => IcebergScanPlanner.Plan(table, SnapshotSelection.ById(42), AlwaysTrue.Instance));
        Assert.Equal(IcebergException.SnapshotNotFound, missing.Code);
        Assert.Contains("42", missing.Message, StringComparison.Ordinal);
        Assert.Equal(IcebergException.SnapshotNotFound, Assert.Throws<IcebergException>(() => IcebergScanPlanner.Plan(table, SnapshotSelection.ByRef("nope"), AlwaysTrue.Instance)).Code);
    }

    [Fact]
    public void PathsResolveAcrossLayouts()
    {
        var folder = Path.Combine(IcebergSharedFolder.Iceberg, "duckdb-iceberg", "data", "persistent", "big_query_error");
        var table = IcebergTable.Load(LocalFileIO.Instance, folder);
        var result = IcebergScanPlanner.Plan(table, SnapshotSelection.Current, AlwaysTrue.Instance);
        Assert.NotEmpty(result.Tasks);
        Assert.All(result.Tasks, t => Assert.StartsWith(Path.GetFullPath(folder), t.File.Path, StringComparison.Ordinal));
        Assert.Equal(Path.GetFullPath(folder) + "/data/x.parquet", table.ResolvePath("gs://laura-test-test-bucket/table_name/data/x.parquet"));
    }

    [GeneratedRegex(@"iceberg_scan\('([^']+)'\)")]
    private static partial Regex ScanCall();

    [GeneratedRegex(@"^SELECT count\(\*\) FROM iceberg_scan\('([^']+)'\)(?: FOR VERSION AS OF (\d+))?$")]
    private static partial Regex CountQuery();
}
