using Apache.Arrow;
using Lakehouse.Iceberg;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Cli.Demo;

/// <summary>One table of the demo warehouse as written.</summary>
public sealed record DemoTable(string Name, string Folder, IcebergTable Table);

/// <summary>What <see cref="DemoWarehouse.Create"/> wrote.</summary>
public sealed record DemoWarehouseResult(string Folder, IReadOnlyList<DemoTable> Tables)
{
    public DemoTable this[string name] => Tables.Single(t => t.Name == name);
}

/// <summary>
/// Writes the sample warehouse: <c>events</c> (a week of web events, partitioned by day, committed in two appends so
/// time travel has an older snapshot), <c>orders</c> (partitioned by day) and <c>customers</c> (unpartitioned).
/// </summary>
public static class DemoWarehouse
{
    public const string WarehouseNotEmptyCode = "DEMO_WAREHOUSE_NOT_EMPTY";
    public const int Days = 7;
    public const int EventsFirstAppendDays = 4;

    public static readonly string[] TableNames = ["events", "orders", "customers"];

    /// <summary>
    /// (Re)creates the sample tables under <paramref name="folder"/>. Existing demo tables are replaced; any other
    /// content in a folder named like a demo table is left alone and reported as an error.
    /// </summary>
    public static DemoWarehouseResult Create(string folder, TextWriter log)
    {
        var warehouse = Path.GetFullPath(folder);
        Directory.CreateDirectory(warehouse);
        foreach (var name in TableNames)
        {
            RemovePreviousTable(Path.Combine(warehouse, name));
        }

        var io = LocalFileIO.Instance;
        var tables = new List<DemoTable>();

        var eventsFolder = Path.Combine(warehouse, "events");
        var eventsArrow = ArrowSchemaOf(SampleData.EventsSchema);
        var events = IcebergTableWriter.CreateTable(io, eventsFolder, SampleData.EventsSchema, SampleData.EventsSpec, DemoProperties("Web events, one partition per day"));
        events = IcebergTableWriter.AppendBatches(events, DayBatches(0, EventsFirstAppendDays, day => SampleData.Events(day, eventsArrow)));
        Describe(log, "events", events);
        events = IcebergTableWriter.AppendBatches(events, DayBatches(EventsFirstAppendDays, Days - EventsFirstAppendDays, day => SampleData.Events(day, eventsArrow)));
        Describe(log, "events", events);
        tables.Add(new DemoTable("events", eventsFolder, events));

        var ordersFolder = Path.Combine(warehouse, "orders");
        var ordersArrow = ArrowSchemaOf(SampleData.OrdersSchema);
        var orders = IcebergTableWriter.CreateTable(io, ordersFolder, SampleData.OrdersSchema, SampleData.OrdersSpec, DemoProperties("Orders, one partition per order date"));
        orders = IcebergTableWriter.AppendBatches(orders, DayBatches(0, Days, day => SampleData.Orders(day, ordersArrow)));
        Describe(log, "orders", orders);
        tables.Add(new DemoTable("orders", ordersFolder, orders));

        var customersFolder = Path.Combine(warehouse, "customers");
        var customers = IcebergTableWriter.CreateTable(io, customersFolder, SampleData.CustomersSchema, PartitionSpec.Unpartitioned, DemoProperties("Customers"));
        customers = IcebergTableWriter.AppendBatches(customers, [SampleData.Customers(ArrowSchemaOf(SampleData.CustomersSchema))]);
        Describe(log, "customers", customers);
        tables.Add(new DemoTable("customers", customersFolder, customers));

        return new DemoWarehouseResult(warehouse, tables);
    }

    private static void RemovePreviousTable(string tableFolder)
    {
        if (!Directory.Exists(tableFolder))
        {
            return;
        }

        var metadataFolder = Path.Combine(tableFolder, "metadata");
        foreach (var entry in Directory.EnumerateFileSystemEntries(tableFolder))
        {
            var name = Path.GetFileName(entry);
            if (name is not ("metadata" or "data"))
            {
                throw new IcebergException(WarehouseNotEmptyCode, $"'{tableFolder}' holds '{name}', which is not part of a demo table; choose another --warehouse");
            }
        }

        if (Directory.Exists(metadataFolder) || Directory.Exists(Path.Combine(tableFolder, "data")))
        {
            Directory.Delete(tableFolder, recursive: true);
        }
    }

    private static IEnumerable<RecordBatch> DayBatches(int firstDay, int days, Func<int, RecordBatch> batchOfDay)
    {
        for (var day = firstDay; day < firstDay + days; day++)
        {
            yield return batchOfDay(day);
        }
    }

    private static Apache.Arrow.Schema ArrowSchemaOf(IcebergSchema schema) => IcebergArrowSchema.ToArrowSchema(schema.Columns);

    private static Dictionary<string, string> DemoProperties(string comment) => new(StringComparer.Ordinal)
    {
        ["comment"] = comment,
        ["write.format.default"] = "parquet",
    };

    private static void Describe(TextWriter log, string name, IcebergTable table)
    {
        var snapshot = table.Metadata.CurrentSnapshot!;
        var summary = snapshot.Summary;
        log.WriteLine(
            $"  {name,-10} snapshot {snapshot.SnapshotId}: +{summary.GetValueOrDefault("added-data-files", "?")} files, " +
            $"+{summary.GetValueOrDefault("added-records", "?")} rows (total {summary.GetValueOrDefault("total-records", "?")} rows in " +
            $"{summary.GetValueOrDefault("total-data-files", "?")} files)  {Path.GetFileName(table.MetadataFileLocation)}");
    }
}
