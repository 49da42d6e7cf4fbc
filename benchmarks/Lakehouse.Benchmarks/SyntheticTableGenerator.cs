using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Benchmarks;

/// <summary>
/// The layout of a synthetic Iceberg table whose metadata is real but whose data files do not exist: an
/// <c>events</c> table partitioned by <c>day(ts)</c>, with files appended in time order, so consecutive
/// manifests cover consecutive days. Every figure (files per day, paths, metrics) is a pure function of
/// the file count, the manifest count and the file's index, so the expected answer of a scan is known
/// without keeping a million entries in memory.
/// </summary>
public sealed class SyntheticTableLayout
{
    public const string TableName = "events";
    public const int IdFieldId = 1;
    public const int TsFieldId = 2;
    public const int CustomerFieldId = 3;
    public const int AmountFieldId = 4;
    public const int CategoryFieldId = 5;
    public const int DayPartitionFieldId = 1000;
    public const long MicrosPerDay = 86_400_000_000L;

    /// <summary>2022-01-01, the first partition's day.</summary>
    public static readonly int FirstEpochDay = DateOnly.FromDateTime(new DateTime(2022, 1, 1)).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static readonly string[] Categories = ["apparel", "books", "electronics", "garden", "grocery", "health", "home", "music", "outdoors", "sports", "toys", "travel"];

    private const int TargetPartitions = 1000;

    private readonly int[] _firstFileOfDay;

    public SyntheticTableLayout(int manifests, int files)
    {
        if (manifests <= 0 || files < manifests)
        {
            throw new BenchmarkException(BenchmarkException.InvalidArgument, $"--files ({files}) must be at least --manifests ({manifests}), and both positive");
        }

        Manifests = manifests;
        Files = files;
        Partitions = Math.Min(TargetPartitions, files);
        _firstFileOfDay = DistributeFilesOverDays(files, Partitions);
    }

    public int Manifests { get; }

    public int Files { get; }

    public int Partitions { get; }

    public static IcebergSchema Schema { get; } = new(0,
    [
        new NestedField(IdFieldId, "id", true, PrimitiveType.Long),
        new NestedField(TsFieldId, "ts", true, PrimitiveType.Timestamp),
        new NestedField(CustomerFieldId, "customer", false, PrimitiveType.String),
        new NestedField(AmountFieldId, "amount", false, PrimitiveType.Double),
        new NestedField(CategoryFieldId, "category", false, PrimitiveType.String),
    ]);

    public static PartitionSpec Spec { get; } = new(0, [new PartitionField(TsFieldId, DayPartitionFieldId, "ts_day", Transform.Parse("day"))]);

    /// <summary>Index of the first file of day <paramref name="day"/> (0-based from the first partition); <c>FirstFileOfDay(Partitions) == Files</c>.</summary>
    public int FirstFileOfDay(int day) => _firstFileOfDay[day];

    public int FirstFileOfManifest(int manifest) => (int)((long)manifest * Files / Manifests);

    public int DayOfFile(int file)
    {
        int index = Array.BinarySearch(_firstFileOfDay, file);
        if (index >= 0)
        {
            // Days have at least one file, so a matching start is unique.
            return index;
        }

        return ~index - 1;
    }

    public static long DayStartMicros(int day) => (long)(FirstEpochDay + day) * MicrosPerDay;

    public static string DayText(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + FirstEpochDay + day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The recorded path of a data file, shaped like a writer's: partition folder, task number, a write id.</summary>
    public static string DataFilePath(string location, int day, int file)
    {
        ulong high = Mix((ulong)file);
        ulong low = Mix(high ^ 0x9E3779B97F4A7C15UL);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{location}/data/ts_day={DayText(day)}/{file % 100_000:D5}-{file % 16}-{high >> 32:x8}-{(high >> 16) & 0xFFFF:x4}-{high & 0xFFFF:x4}-{low >> 48:x4}-{low & 0xFFFFFFFFFFFFUL:x12}-00001.parquet");
    }

    /// <summary>The data file entry of file <paramref name="file"/>, with partition value and column metrics.</summary>
    public DataFile DataFileOf(string location, int file)
    {
        int day = DayOfFile(file);
        int firstOfDay = _firstFileOfDay[day];
        int filesOfDay = _firstFileOfDay[day + 1] - firstOfDay;
        ulong hash = Mix((ulong)file + 0x5151UL);
        long records = 50_000 + (long)(hash % 100_000);
        long slot = MicrosPerDay / filesOfDay;
        long tsLower = DayStartMicros(day) + ((file - firstOfDay) * slot) + (long)(hash % 1000);
        long tsUpper = DayStartMicros(day) + ((file - firstOfDay + 1) * slot) - 1 - (long)((hash >> 10) % 1000);
        long idLower = (long)file * 200_000;
        long idUpper = idLower + records - 1;
        long customerNulls = (long)((hash >> 20) % (ulong)(records / 100));
        double amountLower = 0.5 + ((hash >> 30) % 1000) / 100.0;
        double amountUpper = 900 + ((hash >> 40) % 10_000) / 100.0;
        int firstCategory = (int)((hash >> 50) % 4);
        int lastCategory = Categories.Length - 1 - (int)((hash >> 54) % 4);
        long idBytes = records * 3, tsBytes = records * 4, customerBytes = records * 6, amountBytes = records * 7, categoryBytes = records / 3;
        string customerLower = string.Create(CultureInfo.InvariantCulture, $"customer-{(hash >> 8) % 1000:D6}");
        string customerUpper = string.Create(CultureInfo.InvariantCulture, $"customer-{999_000 + ((hash >> 12) % 1000):D6}");
        return new DataFile
        {
            Content = FileContent.Data,
            Path = DataFilePath(location, day, file),
            RecordedPath = DataFilePath(location, day, file),
            Format = FileFormat.Parquet,
            SpecId = Spec.SpecId,
            Partition = [FirstEpochDay + day],
            RecordCount = records,
            FileSizeInBytes = idBytes + tsBytes + customerBytes + amountBytes + categoryBytes + 4096,
            ColumnSizes = new Dictionary<int, long>
            {
                [IdFieldId] = idBytes,
                [TsFieldId] = tsBytes,
                [CustomerFieldId] = customerBytes,
                [AmountFieldId] = amountBytes,
                [CategoryFieldId] = categoryBytes,
            },
            ValueCounts = new Dictionary<int, long>
            {
                [IdFieldId] = records,
                [TsFieldId] = records,
                [CustomerFieldId] = records,
                [AmountFieldId] = records,
                [CategoryFieldId] = records,
            },
            NullValueCounts = new Dictionary<int, long>
            {
                [IdFieldId] = 0,
                [TsFieldId] = 0,
                [CustomerFieldId] = customerNulls,
                [AmountFieldId] = 0,
                [CategoryFieldId] = 0,
            },
            NanValueCounts = new Dictionary<int, long> { [AmountFieldId] = 0 },
            LowerBounds = new Dictionary<int, byte[]>
            {
                [IdFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Long, idLower),
                [TsFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Timestamp, tsLower),
                [CustomerFieldId] = Encoding.UTF8.GetBytes(customerLower),
                [AmountFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Double, amountLower),
                [CategoryFieldId] = Encoding.UTF8.GetBytes(Categories[firstCategory]),
            },
            UpperBounds = new Dictionary<int, byte[]>
            {
                [IdFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Long, idUpper),
                [TsFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Timestamp, tsUpper),
                [CustomerFieldId] = Encoding.UTF8.GetBytes(customerUpper),
                [AmountFieldId] = SingleValueSerialization.ToBytes(PrimitiveType.Double, amountUpper),
                [CategoryFieldId] = Encoding.UTF8.GetBytes(Categories[lastCategory]),
            },
            SplitOffsets = [4],
            SortOrderId = 0,
        };
    }

    /// <summary>Each day gets between 0.6 and 1.4 times the mean file count, so manifest boundaries fall inside days.</summary>
    private static int[] DistributeFilesOverDays(int files, int days)
    {
        var weights = new double[days];
        double total = 0;
        for (int d = 0; d < days; d++)
        {
            weights[d] = 0.6 + (0.8 * (Mix((ulong)d + 77) % 10_000) / 10_000.0);
            total += weights[d];
        }

        // Every day keeps one file; the rest follow the weights, rounding carried forward.
        var first = new int[days + 1];
        int spare = files - days;
        double carried = 0;
        int assigned = 0;
        for (int d = 0; d < days; d++)
        {
            first[d] = assigned;
            double share = (spare * weights[d] / total) + carried;
            int extra = d == days - 1 ? spare - (assigned - d) : (int)Math.Floor(share);
            carried = share - extra;
            assigned += 1 + extra;
        }

        first[days] = assigned;
        if (assigned != files)
        {
            throw new BenchmarkException(BenchmarkException.DataPreparationFailed, $"files per day add up to {assigned}, expected {files}");
        }

        return first;
    }

    private static ulong Mix(ulong value)
    {
        // splitmix64 finalizer: a cheap, well spread, reproducible hash.
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}

/// <summary>
/// Writes the synthetic table of a <see cref="SyntheticTableLayout"/> with our own manifest and metadata
/// writers: one snapshot, a manifest list with partition summaries, the manifests (Avro, deflate) and
/// <c>metadata/v1.metadata.json</c>. Cached: <c>complete.txt</c> marks a finished generation.
/// </summary>
public static class SyntheticTableGenerator
{
    private const string MarkerName = "complete.txt";
    private const long SnapshotId = 4_242_424_242_424_242L;

    /// <summary>The folder holding the table folder (<c>&lt;work&gt;/tables</c>); the table is its sub-folder <c>events</c>.</summary>
    public static string TablesFolder(string workFolder) => Path.Combine(workFolder, "tables");

    /// <summary>Generates the table unless the work folder already holds a complete one; returns whether it generated.</summary>
    public static bool Prepare(SyntheticTableLayout layout, string workFolder, TextWriter log)
    {
        string marker = Path.Combine(workFolder, MarkerName);
        string expectedMarker = MarkerText(layout);
        if (File.Exists(marker) && File.ReadAllText(marker) == expectedMarker)
        {
            log.WriteLine($"using the synthetic table cached in {workFolder}");
            return false;
        }

        string tablesFolder = TablesFolder(workFolder);
        if (Directory.Exists(tablesFolder))
        {
            Directory.Delete(tablesFolder, recursive: true);
        }

        Directory.CreateDirectory(workFolder);
        File.Delete(marker);
        var watch = Stopwatch.StartNew();
        log.WriteLine($"generating a synthetic table of {layout.Manifests} manifests, {layout.Files} data files, {layout.Partitions} day partitions into {workFolder} ...");
        string tableFolder = Path.GetFullPath(Path.Combine(tablesFolder, SyntheticTableLayout.TableName)).Replace('\\', '/');
        Directory.CreateDirectory(Path.Combine(tableFolder, "metadata"));
        Write(layout, tableFolder);
        File.WriteAllText(marker, expectedMarker);
        log.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F1} s");
        return true;
    }

    private static void Write(SyntheticTableLayout layout, string location)
    {
        var io = LocalFileIO.Instance;
        var schema = SyntheticTableLayout.Schema;
        var spec = SyntheticTableLayout.Spec;
        const long sequenceNumber = 1;
        var manifests = new ManifestFile[layout.Manifests];
        var manifestBytes = new long[layout.Manifests];
        Parallel.For(0, layout.Manifests, m =>
        {
            int first = layout.FirstFileOfManifest(m);
            int end = layout.FirstFileOfManifest(m + 1);
            var files = new DataFile[end - first];
            for (int f = first; f < end; f++)
            {
                files[f - first] = layout.DataFileOf(location, f);
                manifestBytes[m] += files[f - first].FileSizeInBytes;
            }

            string name = string.Create(CultureInfo.InvariantCulture, $"metadata/8d1c5a0e-synthetic-m{m:D6}.avro");
            manifests[m] = ManifestWriter.WriteDataManifest(io, location + "/" + name, location + "/" + name, schema, spec, SnapshotId, sequenceNumber, files);
        });

        long records = 0, bytes = 0;
        for (int m = 0; m < manifests.Length; m++)
        {
            records += manifests[m].AddedRowsCount ?? 0;
            bytes += manifestBytes[m];
        }

        string listName = string.Create(CultureInfo.InvariantCulture, $"metadata/snap-{SnapshotId}-1-8d1c5a0e-synthetic.avro");
        ManifestWriter.WriteManifestList(io, location + "/" + listName, SnapshotId, null, sequenceNumber, manifests);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        var snapshot = new Snapshot
        {
            SnapshotId = SnapshotId,
            SequenceNumber = sequenceNumber,
            TimestampMs = now,
            ManifestList = location + "/" + listName,
            SchemaId = schema.SchemaId,
            Summary = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["operation"] = "append",
                ["added-data-files"] = Text(layout.Files),
                ["added-records"] = Text(records),
                ["added-files-size"] = Text(bytes),
                ["changed-partition-count"] = Text(layout.Partitions),
                ["total-records"] = Text(records),
                ["total-files-size"] = Text(bytes),
                ["total-data-files"] = Text(layout.Files),
                ["total-delete-files"] = "0",
                ["total-position-deletes"] = "0",
                ["total-equality-deletes"] = "0",
            },
        };
        var metadata = new TableMetadata
        {
            FormatVersion = 2,
            TableUuid = "5f0c6a52-2b1e-4c7e-9d1a-3e5b7c9d0f12",
            Location = location,
            LastSequenceNumber = sequenceNumber,
            LastUpdatedMs = now,
            LastColumnId = schema.HighestFieldId(),
            Schemas = [schema],
            CurrentSchemaId = schema.SchemaId,
            PartitionSpecs = [spec],
            DefaultSpecId = spec.SpecId,
            LastPartitionId = SyntheticTableLayout.DayPartitionFieldId,
            SortOrders = [SortOrder.Unsorted],
            DefaultSortOrderId = SortOrder.Unsorted.OrderId,
            Properties = new Dictionary<string, string>(),
            CurrentSnapshotId = SnapshotId,
            Snapshots = [snapshot],
            Refs = new Dictionary<string, SnapshotRef>(StringComparer.Ordinal) { ["main"] = new SnapshotRef("main", SnapshotId, SnapshotRefType.Branch) },
            SnapshotLog = [new SnapshotLogEntry(SnapshotId, now)],
        };
        File.WriteAllText(Path.Combine(location, "metadata", "v1.metadata.json"), TableMetadataWriter.ToJson(metadata));
        File.WriteAllText(Path.Combine(location, "metadata", "version-hint.text"), "1");
    }

    private static string MarkerText(SyntheticTableLayout layout) =>
        string.Create(CultureInfo.InvariantCulture, $"manifests\t{layout.Manifests}\nfiles\t{layout.Files}\npartitions\t{layout.Partitions}\nlayout\t1\n");
}
