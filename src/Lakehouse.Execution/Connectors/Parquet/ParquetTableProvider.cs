using System.Globalization;
using Apache.Arrow;
using Lakehouse.Execution.Connectors.Iceberg;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// A set of Parquet files with one schema. Each file is one split; files whose footer statistics
/// show that no row can pass the pushed filter are skipped.
/// </summary>
internal sealed class ParquetTableProvider : ITableProvider
{
    private static readonly IReadOnlyDictionary<int, object?> NoPartitionValues = new Dictionary<int, object?>();

    private readonly string _displayPath;
    private readonly IReadOnlyList<ParquetFooter> _files;
    private readonly Lakehouse.Iceberg.Types.Schema _schema;

    public ParquetTableProvider(string displayPath, IReadOnlyList<ParquetFooter> files)
    {
        _displayPath = displayPath;
        _files = files;
        _schema = new Lakehouse.Iceberg.Types.Schema(0, files[0].Schema.Columns);
        Schema = IcebergArrowSchema.ToArrowSchema(_schema.Columns);
        long rows = 0;
        long bytes = 0;
        foreach (var file in files)
        {
            rows += file.RowCount;
            bytes += file.SizeInBytes;
        }

        var bounds = new ColumnRanges();
        var columns = _schema.Columns;
        foreach (var file in files)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                if (file.Ranges.TryGetValue(columns[c].Id, out var range))
                {
                    bounds.Add(c, range.Lower, range.Upper);
                }
                else
                {
                    bounds.Unknown(c);
                }
            }
        }

        Statistics = new TableStatistics(rows, bytes) { Column = column => bounds.Statistics(column, rows) };
    }

    public string DisplayName => $"read_parquet('{_displayPath}')";

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

        var filter = PruningEvaluator.Normalize(PushdownTranslator.Translate(request.Filter, columns));
        var splits = new List<ScanSplit>(_files.Count);
        long keptRows = 0;
        long keptBytes = 0;
        var pruned = 0;
        foreach (var file in _files)
        {
            if (request.Limit is { } limit && request.Filter is null && keptRows >= limit)
            {
                break;
            }

            if (filter is not AlwaysTrue && !PruningEvaluator.MightMatch(filter, id => file.Ranges.TryGetValue(id, out var range) ? range : FieldRange.Unknown))
            {
                pruned++;
                continue;
            }

            var task = new FileScanTask
            {
                File = new DataFile
                {
                    Content = FileContent.Data,
                    Path = file.Path,
                    RecordedPath = file.Path,
                    Format = FileFormat.Parquet,
                    SpecId = 0,
                    Partition = System.Array.Empty<object?>(),
                    RecordCount = file.RowCount,
                    FileSizeInBytes = file.SizeInBytes,
                },
                Deletes = [],
                Schema = _schema,
                IdentityPartitionValues = NoPartitionValues,
                NameMappingJson = file.Schema.NameMappingJson,
            };
            var payload = IcebergSplitCodec.Encode(new IcebergSplit(task, projectedIds, request.Limit));
            splits.Add(new ScanSplit(ParquetSplitReader.Id, payload, file.RowCount, file.SizeInBytes));
            keptRows += file.RowCount;
            keptBytes += file.SizeInBytes;
        }

        var explain = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"parquet files: {splits.Count} kept, {pruned} pruned by column statistics (of {_files.Count})"),
            string.Create(CultureInfo.InvariantCulture, $"rows: {keptRows} kept of {Statistics.RowCount}; bytes: {keptBytes} kept of {Statistics.TotalBytes}"),
        };
        return new ScanPlan(splits, new Apache.Arrow.Schema(outputFields, null), explain);
    }
}
