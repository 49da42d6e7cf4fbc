using System.Globalization;
using System.Text;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Paths;
using Lakehouse.Iceberg.Reading;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Planning;

/// <summary>
/// Plans a scan: selects the snapshot, prunes manifests by partition summaries and data files by partition
/// values and column metrics, and attaches the delete files that apply to each data file.
/// </summary>
public sealed class IcebergScanPlanner
{
    private static readonly IReadOnlyDictionary<int, object?> NoIdentityValues = new System.Collections.ObjectModel.ReadOnlyDictionary<int, object?>(new Dictionary<int, object?>());

    public static IcebergScanResult Plan(IcebergTable table, SnapshotSelection selection, IcebergExpression filter, CancellationToken ct = default)
    {
        var metadata = table.Metadata;
        var specs = metadata.PartitionSpecs.ToDictionary(s => s.SpecId);
        var snapshot = SelectSnapshot(metadata, selection);
        var schema = selection is CurrentSnapshotSelection || snapshot?.SchemaId is null
            ? metadata.CurrentSchema
            : metadata.SchemaById(snapshot.SchemaId.Value) ?? metadata.CurrentSchema;
        if (snapshot is null)
        {
            return new IcebergScanResult { Snapshot = null, Schema = schema, PartitionSpecs = specs, Tasks = Array.Empty<FileScanTask>(), Metrics = new ScanMetrics() };
        }

        var normalized = PruningEvaluator.Normalize(filter);
        var manifests = snapshot.ManifestList is not null
            ? ManifestReader.ReadManifestList(table, snapshot.ManifestList)
            : ManifestReader.FromInlineManifests(table, snapshot.Manifests ?? Array.Empty<string>());

        // Computed up front so the parallel manifest readers below only read them.
        var projections = new Dictionary<int, IcebergExpression>();
        var partitionTypes = new Dictionary<int, IcebergType[]>();
        foreach (var spec in metadata.PartitionSpecs)
        {
            projections[spec.SpecId] = Project(normalized, spec, metadata);
            partitionTypes[spec.SpecId] = ManifestReader.PartitionResultTypes(metadata, spec);
        }

        var surviving = new List<ManifestFile>(manifests.Count);
        foreach (var m in manifests)
        {
            if (m.PartitionSpecId < 0 || m.Partitions is null || !specs.TryGetValue(m.PartitionSpecId, out var spec)
                || ManifestMightMatch(projections[m.PartitionSpecId], m, spec, partitionTypes[m.PartitionSpecId]))
            {
                surviving.Add(m);
            }
        }

        var context = new EntryFilter(normalized, projections, specs, MetricFieldTypes(schema), MappedFieldIds(metadata.NameMappingJson));

        // Each manifest is read and filtered by one worker, so the entries it prunes are garbage at once
        // instead of being held until every manifest is read.
        var planned = new ManifestPlan[surviving.Count];
        try
        {
            Parallel.For(0, surviving.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, i =>
            {
                planned[i] = context.Filter(ManifestReader.ReadManifest(table, surviving[i]));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A bad manifest should surface as its own coded error, not as a wrapper around it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        ct.ThrowIfCancellationRequested();

        var dataFiles = new List<DataFile>();
        var deleteFiles = new List<DataFile>();
        int total = 0, prunedByPartition = 0, prunedByStats = 0;
        long bytesKept = 0, bytesPruned = 0;
        foreach (var plan in planned)
        {
            dataFiles.AddRange(plan.DataFiles);
            deleteFiles.AddRange(plan.DeleteFiles);
            total += plan.Total;
            prunedByPartition += plan.PrunedByPartition;
            prunedByStats += plan.PrunedByStats;
            bytesKept += plan.BytesKept;
            bytesPruned += plan.BytesPruned;
        }

        var deleteIndex = new DeleteIndex(deleteFiles, specs);
        var nameMapping = metadata.NameMappingJson;
        var tasks = new List<FileScanTask>(dataFiles.Count);
        var attached = new HashSet<string>(StringComparer.Ordinal);
        var hasDeletes = deleteFiles.Count > 0;
        foreach (var file in dataFiles)
        {
            var deletes = hasDeletes ? deleteIndex.For(file) : Array.Empty<DataFile>();
            foreach (var d in deletes)
            {
                attached.Add(d.RecordedPath + "#" + d.ContentOffset);
            }

            tasks.Add(new FileScanTask
            {
                File = file,
                Deletes = deletes,
                Schema = schema,
                IdentityPartitionValues = specs.TryGetValue(file.SpecId, out var fileSpec) ? IdentityValues(file, fileSpec) : NoIdentityValues,
                NameMappingJson = nameMapping,
            });
        }

        return new IcebergScanResult
        {
            Snapshot = snapshot,
            Schema = schema,
            PartitionSpecs = specs,
            Tasks = tasks,
            Metrics = new ScanMetrics
            {
                ManifestsTotal = manifests.Count,
                ManifestsScanned = surviving.Count,
                ManifestsSkipped = manifests.Count - surviving.Count,
                DataFilesTotal = total,
                DataFilesKept = dataFiles.Count,
                DataFilesPrunedByPartition = prunedByPartition,
                DataFilesPrunedByStats = prunedByStats,
                BytesKept = bytesKept,
                BytesPruned = bytesPruned,
                DeleteFilesAttached = attached.Count,
            },
        };
    }

    /// <summary>Resolves a selection to a snapshot; null only for <see cref="SnapshotSelection.Current"/> on a table without snapshots.</summary>
    public static Snapshot? SelectSnapshot(TableMetadata metadata, SnapshotSelection selection)
    {
        switch (selection)
        {
            case CurrentSnapshotSelection:
                return metadata.CurrentSnapshot;
            case SnapshotByIdSelection byId:
                return metadata.SnapshotById(byId.SnapshotId)
                    ?? throw new IcebergException(IcebergException.SnapshotNotFound, $"snapshot {byId.SnapshotId} does not exist in the table");
            case SnapshotByRefSelection byRef:
                if (metadata.Refs.TryGetValue(byRef.Name, out var reference))
                {
                    return metadata.SnapshotById(reference.SnapshotId)
                        ?? throw new IcebergException(IcebergException.SnapshotNotFound, $"ref '{byRef.Name}' points at missing snapshot {reference.SnapshotId}");
                }

                throw new IcebergException(IcebergException.SnapshotNotFound, $"no branch or tag named '{byRef.Name}'");
            case SnapshotAsOfSelection asOf:
            {
                Snapshot? best = null;
                var candidates = metadata.SnapshotLog.Count > 0
                    ? metadata.SnapshotLog.Select(e => (e.SnapshotId, e.TimestampMs))
                    : metadata.Snapshots.Select(s => (s.SnapshotId, s.TimestampMs));
                long bestTimestamp = long.MinValue;
                foreach (var (id, timestampMs) in candidates)
                {
                    if (timestampMs * 1000 <= asOf.MicrosUtc && timestampMs >= bestTimestamp && metadata.SnapshotById(id) is { } s)
                    {
                        best = s;
                        bestTimestamp = timestampMs;
                    }
                }

                return best ?? throw new IcebergException(
                    IcebergException.SnapshotNotFound,
                    $"no snapshot at or before {ValueText.FormatTimestampMicros(asOf.MicrosUtc, withZone: true)}");
            }

            default:
                throw new IcebergException(IcebergException.Unsupported, $"unknown snapshot selection {selection}");
        }
    }

    /// <summary>Inclusive projection of a normalized filter onto the partition fields of <paramref name="spec"/>.</summary>
    public static IcebergExpression Project(IcebergExpression filter, PartitionSpec spec, TableMetadata metadata)
    {
        switch (filter)
        {
            case And a:
                return new And(Project(a.Left, spec, metadata), Project(a.Right, spec, metadata));
            case Or o:
                return new Or(Project(o.Left, spec, metadata), Project(o.Right, spec, metadata));
            case AlwaysTrue or AlwaysFalse:
                return filter;
            case Not:
                return AlwaysTrue.Instance;
        }

        var sourceId = filter switch
        {
            Comparison c => c.FieldId,
            In i => i.FieldId,
            IsNull n => n.FieldId,
            NotNull n => n.FieldId,
            IsNaN n => n.FieldId,
            StartsWith s => s.FieldId,
            _ => -1,
        };
        IcebergExpression result = AlwaysTrue.Instance;
        var types = ManifestReader.PartitionResultTypes(metadata, spec);
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            if (field.SourceId != sourceId || types[i].Id == TypeId.Unknown)
            {
                continue;
            }

            var sourceType = FindSourceType(metadata, sourceId);
            if (sourceType is null)
            {
                continue;
            }

            IcebergExpression projected;
            try
            {
                projected = field.Transform.Project(field.FieldId, sourceType, filter);
            }
            catch (Exception e) when (e is IcebergException or InvalidCastException or FormatException or OverflowException)
            {
                projected = AlwaysTrue.Instance;
            }

            result = result is AlwaysTrue ? projected : new And(result, projected);
        }

        return result;
    }

    private static IcebergType? FindSourceType(TableMetadata metadata, int sourceId)
    {
        var field = metadata.CurrentSchema.FindField(sourceId);
        for (var s = metadata.Schemas.Count - 1; field is null && s >= 0; s--)
        {
            field = metadata.Schemas[s].FindField(sourceId);
        }

        return field?.Type;
    }

    private static bool ManifestMightMatch(IcebergExpression projected, ManifestFile manifest, PartitionSpec spec, IcebergType[] types)
    {
        if (projected is AlwaysTrue)
        {
            return true;
        }

        var summaries = manifest.Partitions!;
        return PruningEvaluator.MightMatch(projected, fieldId =>
        {
            for (var i = 0; i < spec.Fields.Count && i < summaries.Count; i++)
            {
                if (spec.Fields[i].FieldId == fieldId && types[i] is PrimitiveType type)
                {
                    var s = summaries[i];
                    var lower = Decode(type, s.LowerBound);
                    var upper = Decode(type, s.UpperBound);
                    var mayNaN = s.ContainsNaN ?? true;
                    return new FieldRange(lower, upper, s.ContainsNull, lower is not null || upper is not null || mayNaN || s.LowerBound is not null, mayNaN);
                }
            }

            return FieldRange.Unknown;
        });
    }

    private static bool PartitionMightMatch(IcebergExpression projected, DataFile file, PartitionSpec spec)
    {
        if (projected is AlwaysTrue)
        {
            return true;
        }

        return PruningEvaluator.MightMatch(projected, fieldId =>
        {
            for (var i = 0; i < spec.Fields.Count && i < file.Partition.Count; i++)
            {
                if (spec.Fields[i].FieldId == fieldId)
                {
                    return FieldRange.Exact(file.Partition[i]);
                }
            }

            return FieldRange.Unknown;
        });
    }

    /// <summary>
    /// With a name mapping, files written without field ids read a column only if the mapping names it,
    /// so statistics recorded for unmapped fields may describe values the reader never returns: those
    /// fields are not used for pruning.
    /// </summary>
    private static HashSet<int>? MappedFieldIds(string? nameMappingJson)
    {
        if (nameMappingJson is null)
        {
            return null;
        }

        NameMapping mapping;
        try
        {
            mapping = NameMapping.Parse(nameMappingJson);
        }
        catch (IcebergException)
        {
            return [];
        }

        var ids = new HashSet<int>();
        AddMappedIds(mapping, ids);
        return ids;
    }

    private static void AddMappedIds(NameMapping mapping, HashSet<int> ids)
    {
        foreach (var field in mapping.Fields)
        {
            if (field.FieldId is { } id)
            {
                ids.Add(id);
            }

            if (field.Nested is not null)
            {
                AddMappedIds(field.Nested, ids);
            }
        }
    }

    private static FieldRange MetricsRange(DataFile file, int fieldId, Dictionary<int, PrimitiveType> fieldTypes)
    {
        if (!fieldTypes.TryGetValue(fieldId, out var type))
        {
            return FieldRange.Unknown;
        }

        long? valueCount = file.ValueCounts is { } vc && vc.TryGetValue(fieldId, out var v) ? v : null;
        long? nullCount = file.NullValueCounts is { } nc && nc.TryGetValue(fieldId, out var n) ? n : null;
        long? nanCount = file.NanValueCounts is { } nanc && nanc.TryGetValue(fieldId, out var nn) ? nn : null;
        var lower = file.LowerBounds is { } lb && lb.TryGetValue(fieldId, out var lbytes) ? Decode(type, lbytes) : null;
        var upper = file.UpperBounds is { } ub && ub.TryGetValue(fieldId, out var ubytes) ? Decode(type, ubytes) : null;
        var isFloating = type.Id is TypeId.Float or TypeId.Double;
        var mayNull = nullCount is null || nullCount > 0;
        var mayNonNull = !(valueCount is not null && nullCount is not null && valueCount == nullCount);
        var mayNaN = isFloating && (nanCount is null || nanCount > 0);
        return new FieldRange(lower, upper, mayNull, mayNonNull, mayNaN);
    }

    private static object? Decode(PrimitiveType type, byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return SingleValueSerialization.FromBytes(type, bytes);
        }
        catch (IcebergException)
        {
            return null;
        }
    }

    /// <summary>Primitive fields reachable through structs only: metrics of list and map elements do not bound row values.</summary>
    private static Dictionary<int, PrimitiveType> MetricFieldTypes(Schema schema)
    {
        var result = new Dictionary<int, PrimitiveType>();
        void Visit(IReadOnlyList<NestedField> fields)
        {
            foreach (var f in fields)
            {
                if (f.Type is PrimitiveType p && p.Id is not (TypeId.Variant or TypeId.Geometry or TypeId.Geography or TypeId.Unknown))
                {
                    result[f.Id] = p;
                }
                else if (f.Type is StructType s)
                {
                    Visit(s.Fields);
                }
            }
        }

        Visit(schema.Columns);
        return result;
    }

    private static IReadOnlyDictionary<int, object?> IdentityValues(DataFile file, PartitionSpec spec)
    {
        var hasIdentity = false;
        foreach (var field in spec.Fields)
        {
            hasIdentity |= field.Transform is IdentityTransform;
        }

        if (!hasIdentity)
        {
            return NoIdentityValues;
        }

        var values = new Dictionary<int, object?>();
        for (var i = 0; i < spec.Fields.Count && i < file.Partition.Count; i++)
        {
            if (spec.Fields[i].Transform is IdentityTransform)
            {
                values[spec.Fields[i].SourceId] = file.Partition[i];
            }
        }

        return values;
    }

    /// <summary>What one manifest contributes to a scan: its kept data files, its delete files, and counts.</summary>
    private sealed record ManifestPlan(List<DataFile> DataFiles, List<DataFile> DeleteFiles, int Total, int PrunedByPartition, int PrunedByStats, long BytesKept, long BytesPruned);

    /// <summary>Prunes the data files of a manifest by partition values and column metrics; safe to share between threads.</summary>
    private sealed class EntryFilter(
        IcebergExpression normalized,
        Dictionary<int, IcebergExpression> projections,
        Dictionary<int, PartitionSpec> specs,
        Dictionary<int, PrimitiveType> fieldTypes,
        HashSet<int>? mappedFieldIds)
    {
        public ManifestPlan Filter(IReadOnlyList<ManifestEntry> entries)
        {
            var dataFiles = new List<DataFile>();
            var deleteFiles = new List<DataFile>();
            int total = 0, prunedByPartition = 0, prunedByStats = 0;
            long bytesKept = 0, bytesPruned = 0;
            foreach (var entry in entries)
            {
                if (entry.Status == ManifestEntryStatus.Deleted)
                {
                    continue;
                }

                var file = entry.File;
                if (file.Content != FileContent.Data)
                {
                    deleteFiles.Add(file);
                    continue;
                }

                total++;
                if (projections.TryGetValue(file.SpecId, out var projected) && specs.TryGetValue(file.SpecId, out var spec)
                    && !PartitionMightMatch(projected, file, spec))
                {
                    prunedByPartition++;
                    bytesPruned += file.FileSizeInBytes;
                    continue;
                }

                if (normalized is not AlwaysTrue
                    && !PruningEvaluator.MightMatch(normalized, id => mappedFieldIds is not null && !mappedFieldIds.Contains(id) ? FieldRange.Unknown : MetricsRange(file, id, fieldTypes)))
                {
                    prunedByStats++;
                    bytesPruned += file.FileSizeInBytes;
                    continue;
                }

                bytesKept += file.FileSizeInBytes;
                dataFiles.Add(file);
            }

            return new ManifestPlan(dataFiles, deleteFiles, total, prunedByPartition, prunedByStats, bytesKept, bytesPruned);
        }
    }

    /// <summary>Finds the delete files that apply to a data file (spec: scan planning, delete file application).</summary>
    private sealed class DeleteIndex
    {
        private readonly Dictionary<string, List<DataFile>> _byPartition = new(StringComparer.Ordinal);
        private readonly List<DataFile> _global = new();
        private readonly Dictionary<string, List<DataFile>> _byReferencedFile = new(StringComparer.Ordinal);

        public DeleteIndex(List<DataFile> deletes, Dictionary<int, PartitionSpec> specs)
        {
            foreach (var d in deletes)
            {
                if (d.ReferencedDataFile is not null && d.Content == FileContent.PositionDeletes)
                {
                    Add(_byReferencedFile, PathResolver.Normalize(d.ReferencedDataFile), d);
                }
                else if (!specs.TryGetValue(d.SpecId, out var spec) || spec.IsUnpartitioned)
                {
                    _global.Add(d);
                }
                else
                {
                    Add(_byPartition, PartitionKey(d), d);
                }
            }
        }

        public IReadOnlyList<DataFile> For(DataFile file)
        {
            var result = new List<DataFile>();
            var dataSeq = file.DataSequenceNumber ?? 0;
            if (_byReferencedFile.TryGetValue(PathResolver.Normalize(file.RecordedPath), out var referenced))
            {
                AddApplicable(result, referenced, dataSeq);
            }

            if (_byPartition.TryGetValue(PartitionKey(file), out var samePartition))
            {
                AddApplicable(result, samePartition, dataSeq);
            }

            AddApplicable(result, _global, dataSeq);
            return result;
        }

        private static void AddApplicable(List<DataFile> result, List<DataFile> candidates, long dataSeq)
        {
            foreach (var d in candidates)
            {
                var deleteSeq = d.DataSequenceNumber ?? 0;
                var applies = d.Content == FileContent.EqualityDeletes ? deleteSeq > dataSeq : deleteSeq >= dataSeq;
                if (applies)
                {
                    result.Add(d);
                }
            }
        }

        private static void Add(Dictionary<string, List<DataFile>> map, string key, DataFile file)
        {
            if (!map.TryGetValue(key, out var list))
            {
                list = new List<DataFile>();
                map[key] = list;
            }

            list.Add(file);
        }

        private static string PartitionKey(DataFile file)
        {
            var sb = new StringBuilder();
            sb.Append(file.SpecId.ToString(CultureInfo.InvariantCulture));
            foreach (var v in file.Partition)
            {
                sb.Append('|');
                sb.Append(v switch
                {
                    null => "\u0000null",
                    byte[] bytes => Convert.ToHexString(bytes),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => v.ToString(),
                });
            }

            return sb.ToString();
        }
    }
}
