using System.Globalization;
using Apache.Arrow;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Types;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>
/// An Iceberg table at one snapshot, as the planner sees it. Scan planning prunes manifests and
/// files with the pushed filter and turns every surviving data file into a split.
/// </summary>
public sealed class IcebergTableProvider : ITableProvider
{
    private readonly IcebergTable _table;
    private readonly SnapshotSelection _selection;
    private readonly Lakehouse.Iceberg.Types.Schema _schema;
    private readonly string _displayPath;

    public IcebergTableProvider(IcebergTable table, SnapshotSelection selection, Lakehouse.Iceberg.Types.Schema schema, Snapshot? snapshot, string displayPath)
    {
        _table = table;
        _selection = selection;
        _schema = schema;
        _displayPath = displayPath;
        Snapshot = snapshot;
        Schema = IcebergArrowSchema.ToArrowSchema(schema.Columns);
        long? rows = ReadLong(snapshot, "total-records");
        var bounds = new Lazy<ColumnRanges>(ReadColumnRanges, LazyThreadSafetyMode.ExecutionAndPublication);
        Statistics = new TableStatistics(rows, ReadLong(snapshot, "total-files-size"))
        {
            Column = column => bounds.Value.Statistics(column, rows),
        };
    }

    /// <summary>Column ranges cost a pass over every manifest entry; beyond this many data files the planner goes without them.</summary>
    private const long MaxFilesForColumnRanges = 20_000;

    /// <summary>Value ranges of the integer and date columns over all data files of the snapshot, from the manifests' bounds.</summary>
    private ColumnRanges ReadColumnRanges()
    {
        var bounds = new ColumnRanges();
        if (Snapshot is null || !(ReadLong(Snapshot, "total-data-files") is { } files && files <= MaxFilesForColumnRanges))
        {
            return bounds;
        }

        var columns = _schema.Columns;
        var result = IcebergScanPlanner.Plan(_table, _selection, AlwaysTrue.Instance);
        foreach (var task in result.Tasks)
        {
            var file = task.File;
            for (int c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                if (column.Type is PrimitiveType { Id: TypeId.Int or TypeId.Long or TypeId.Date } primitive
                    && file.LowerBounds is not null && file.UpperBounds is not null
                    && file.LowerBounds.TryGetValue(column.Id, out var lower) && file.UpperBounds.TryGetValue(column.Id, out var upper))
                {
                    bounds.Add(c, SingleValueSerialization.FromBytes(primitive, lower), SingleValueSerialization.FromBytes(primitive, upper));
                }
                else
                {
                    bounds.Unknown(c);
                }
            }
        }

        return bounds;
    }

    public Snapshot? Snapshot { get; }

    public string DisplayName => Snapshot is null
        ? $"iceberg_scan('{_displayPath}') (no snapshot)"
        : $"iceberg_scan('{_displayPath}') @ snapshot {Snapshot.SnapshotId.ToString(CultureInfo.InvariantCulture)}";

    public Apache.Arrow.Schema Schema { get; }

    public TableStatistics Statistics { get; }

    public ScanPlan PlanScan(ScanRequest request)
    {
        var columns = _schema.Columns;
        var projectedIds = new int[request.Columns.Count];
        var outputFields = new List<Field>(request.Columns.Count);
        for (var i = 0; i < projectedIds.Length; i++)
        {
            projectedIds[i] = columns[request.Columns[i]].Id;
            outputFields.Add(Schema.FieldsList[request.Columns[i]]);
        }

        var filter = PushdownTranslator.Translate(request.Filter, columns);
        var result = IcebergScanPlanner.Plan(_table, _selection, filter);
        var splits = new List<ScanSplit>(result.Tasks.Count);
        foreach (var task in result.Tasks)
        {
            var payload = IcebergSplitCodec.Encode(new IcebergSplit(task, projectedIds, request.Limit));
            splits.Add(new ScanSplit(IcebergSplitReader.Id, payload, task.File.RecordCount, task.File.FileSizeInBytes));
        }

        var metrics = result.Metrics;
        var explain = new List<string>
        {
            $"manifests: {metrics.ManifestsScanned} read, {metrics.ManifestsSkipped} skipped of {metrics.ManifestsTotal}",
            $"data files: {metrics.DataFilesKept} kept, {metrics.DataFilesPrunedByPartition} pruned by partition, {metrics.DataFilesPrunedByStats} pruned by column statistics (of {metrics.DataFilesTotal})",
            $"bytes: {metrics.BytesKept} kept, {metrics.BytesPruned} pruned",
            $"delete files: {metrics.DeleteFilesAttached}",
        };
        return new ScanPlan(splits, new Apache.Arrow.Schema(outputFields, null), explain);
    }

    private static long? ReadLong(Snapshot? snapshot, string key) =>
        snapshot is not null && snapshot.Summary.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
