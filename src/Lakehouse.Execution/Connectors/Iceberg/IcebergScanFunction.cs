using Lakehouse.Iceberg;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Planning;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>
/// <c>iceberg_scan('&lt;table folder or metadata file&gt;')</c>, optionally followed by
/// <c>FOR VERSION AS OF &lt;snapshot id | 'ref'&gt;</c> or <c>FOR TIMESTAMP AS OF &lt;timestamp&gt;</c>.
/// </summary>
public sealed class IcebergScanFunction : ITableFunction
{
    private readonly IFileIO _io;

    public IcebergScanFunction(IFileIO io) => _io = io;

    public string Name => "iceberg_scan";

    public ITableProvider Resolve(IReadOnlyList<object?> arguments, TimeTravel? timeTravel, TableFunctionContext context)
    {
        if (arguments.Count != 1 || arguments[0] is not string path || path.Length == 0)
        {
            throw new IcebergException(
                "INVALID_ARGUMENT",
                "iceberg_scan takes one argument: the table folder or metadata file path as a string literal, e.g. iceberg_scan('warehouse/db/events')");
        }

        var location = IsUri(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(context.BaseDirectory, path));
        var table = IcebergTable.Load(_io, location);
        var selection = ToSelection(timeTravel);
        var snapshot = IcebergScanPlanner.SelectSnapshot(table.Metadata, selection);
        var schema = timeTravel is not null && snapshot?.SchemaId is { } schemaId
            ? table.Metadata.SchemaById(schemaId) ?? table.Metadata.CurrentSchema
            : table.Metadata.CurrentSchema;
        return new IcebergTableProvider(table, selection, schema, snapshot, path);
    }

    private static SnapshotSelection ToSelection(TimeTravel? timeTravel)
    {
        if (timeTravel is null)
        {
            return SnapshotSelection.Current;
        }

        if (timeTravel.TimestampMicros is { } micros)
        {
            return SnapshotSelection.AsOfTimestamp(micros);
        }

        return timeTravel.Version switch
        {
            long id => SnapshotSelection.ById(id),
            int id => SnapshotSelection.ById(id),
            string name => SnapshotSelection.ByRef(name),
            Int128 id when id >= long.MinValue && id <= long.MaxValue => SnapshotSelection.ById((long)id),
            _ => throw new IcebergException("INVALID_ARGUMENT", $"FOR VERSION AS OF takes a snapshot id or a branch/tag name, not '{timeTravel.Version}'"),
        };
    }

    private static bool IsUri(string path) => path.Contains("://", StringComparison.Ordinal) || path.StartsWith("file:", StringComparison.Ordinal);
}
