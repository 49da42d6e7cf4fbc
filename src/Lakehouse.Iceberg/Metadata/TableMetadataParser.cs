using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Iceberg.Metadata;

/// <summary>Parses and validates table metadata JSON documents of format versions 1, 2 and 3.</summary>
public static class TableMetadataParser
{
    public const int MaxSupportedFormatVersion = 3;

    /// <summary>Parses a metadata document; any problem raises <see cref="IcebergException"/> with code INVALID_METADATA.</summary>
    public static TableMetadata Parse(string json, string? sourceName = null)
    {
        var where = sourceName is null ? string.Empty : $" in '{sourceName}'";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new IcebergException(IcebergException.InvalidMetadata, $"table metadata{where} is not valid JSON: {e.Message}", e);
        }

        try
        {
            return ParseDocument(root as JsonObject ?? throw Invalid("table metadata must be a JSON object"));
        }
        catch (IcebergException e) when (e.Code == IcebergException.InvalidMetadata && sourceName is not null)
        {
            throw new IcebergException(e.Code, e.Message + where, e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or KeyNotFoundException or ArgumentException)
        {
            throw new IcebergException(IcebergException.InvalidMetadata, $"invalid table metadata{where}: {e.Message}", e);
        }
    }

    private static TableMetadata ParseDocument(JsonObject doc)
    {
        var formatVersion = RequiredInt(doc, "format-version");
        if (formatVersion < 1 || formatVersion > MaxSupportedFormatVersion)
        {
            throw Invalid($"unsupported format-version {formatVersion} (supported: 1 to {MaxSupportedFormatVersion})");
        }

        var v1 = formatVersion == 1;
        var location = Required(doc, "location").GetValue<string>();
        var tableUuid = v1 ? doc["table-uuid"]?.GetValue<string>() : Required(doc, "table-uuid").GetValue<string>();
        var lastSequenceNumber = v1 ? doc["last-sequence-number"]?.GetValue<long>() ?? 0 : Required(doc, "last-sequence-number").GetValue<long>();
        var lastUpdatedMs = Required(doc, "last-updated-ms").GetValue<long>();
        var lastColumnId = RequiredInt(doc, "last-column-id");

        var (schemas, currentSchemaId) = ParseSchemas(doc, v1);
        if (!schemas.Any(s => s.SchemaId == currentSchemaId))
        {
            throw Invalid($"current-schema-id {currentSchemaId} does not match any schema in 'schemas'");
        }

        var (specs, defaultSpecId) = ParsePartitionSpecs(doc, v1);
        if (!specs.Any(s => s.SpecId == defaultSpecId))
        {
            throw Invalid($"default-spec-id {defaultSpecId} does not match any partition spec");
        }

        int lastPartitionId;
        if (doc["last-partition-id"] is { } lastPartition)
        {
            lastPartitionId = lastPartition.GetValue<int>();
        }
        else if (v1)
        {
            lastPartitionId = specs.SelectMany(s => s.Fields).Select(f => f.FieldId).DefaultIfEmpty(999).Max();
        }
        else
        {
            throw Invalid("missing required field 'last-partition-id'");
        }

        var (sortOrders, defaultSortOrderId) = ParseSortOrders(doc, v1);

        var properties = ParseStringMap(doc["properties"]);
        var snapshots = ParseSnapshots(doc["snapshots"]);
        long? currentSnapshotId = doc["current-snapshot-id"] is { } current ? ReadId(current) : null;
        if (currentSnapshotId == -1)
        {
            currentSnapshotId = null;
        }

        if (currentSnapshotId is { } currentId && !snapshots.Any(s => s.SnapshotId == currentId))
        {
            throw Invalid($"current-snapshot-id {currentId} does not match any snapshot in 'snapshots'");
        }

        var refs = ParseRefs(doc["refs"]);
        if (doc["refs"] is null && currentSnapshotId is { } mainId)
        {
            refs["main"] = new SnapshotRef("main", mainId, SnapshotRefType.Branch);
        }

        var snapshotLog = new List<SnapshotLogEntry>();
        if (doc["snapshot-log"] is JsonArray log)
        {
            foreach (var e in log)
            {
                snapshotLog.Add(new SnapshotLogEntry(ReadId(Required(e!.AsObject(), "snapshot-id")), Required(e.AsObject(), "timestamp-ms").GetValue<long>()));
            }
        }

        var metadataLog = new List<MetadataLogEntry>();
        if (doc["metadata-log"] is JsonArray mlog)
        {
            foreach (var e in mlog)
            {
                metadataLog.Add(new MetadataLogEntry(Required(e!.AsObject(), "metadata-file").GetValue<string>(), Required(e.AsObject(), "timestamp-ms").GetValue<long>()));
            }
        }

        var keys = new List<EncryptionKey>();
        if (doc["encryption-keys"] is JsonArray keyArray)
        {
            foreach (var k in keyArray)
            {
                var ko = k!.AsObject();
                keys.Add(new EncryptionKey(
                    Required(ko, "key-id").GetValue<string>(),
                    Required(ko, "encrypted-key-metadata").GetValue<string>(),
                    ko["encrypted-by-id"]?.GetValue<string>(),
                    ParseStringMap(ko["properties"])));
            }
        }

        return new TableMetadata
        {
            FormatVersion = formatVersion,
            TableUuid = tableUuid,
            Location = location,
            LastSequenceNumber = lastSequenceNumber,
            LastUpdatedMs = lastUpdatedMs,
            LastColumnId = lastColumnId,
            Schemas = schemas,
            CurrentSchemaId = currentSchemaId,
            PartitionSpecs = specs,
            DefaultSpecId = defaultSpecId,
            LastPartitionId = lastPartitionId,
            SortOrders = sortOrders,
            DefaultSortOrderId = defaultSortOrderId,
            Properties = properties,
            CurrentSnapshotId = currentSnapshotId,
            Snapshots = snapshots,
            Refs = refs,
            SnapshotLog = snapshotLog,
            MetadataLog = metadataLog,
            NextRowId = doc["next-row-id"]?.GetValue<long>(),
            EncryptionKeys = keys,
        };
    }

    private static (List<Schema> Schemas, int CurrentSchemaId) ParseSchemas(JsonObject doc, bool v1)
    {
        if (doc["schemas"] is JsonArray schemaArray)
        {
            if (doc["current-schema-id"] is null)
            {
                throw Invalid("'schemas' is present but 'current-schema-id' is missing");
            }

            var schemas = new List<Schema>(schemaArray.Count);
            foreach (var s in schemaArray)
            {
                schemas.Add(SchemaJson.ParseSchema(s));
            }

            if (schemas.Count == 0)
            {
                throw Invalid("'schemas' is empty");
            }

            return (schemas, RequiredInt(doc, "current-schema-id"));
        }

        if (!v1)
        {
            throw Invalid("missing required field 'schemas'");
        }

        if (doc["schema"] is null)
        {
            throw Invalid("missing required field 'schema' (or 'schemas')");
        }

        var schema = SchemaJson.ParseSchema(doc["schema"]);
        return ([schema], schema.SchemaId);
    }

    private static (List<PartitionSpec> Specs, int DefaultSpecId) ParsePartitionSpecs(JsonObject doc, bool v1)
    {
        if (doc["partition-specs"] is JsonArray specArray)
        {
            var specs = new List<PartitionSpec>(specArray.Count);
            foreach (var s in specArray)
            {
                var so = s as JsonObject ?? throw Invalid("a partition spec must be a JSON object");
                specs.Add(new PartitionSpec(RequiredInt(so, "spec-id"), ParsePartitionFields(Required(so, "fields"))));
            }

            if (specs.Count == 0)
            {
                throw Invalid("'partition-specs' is empty");
            }

            if (doc["default-spec-id"] is { } defaultId)
            {
                return (specs, defaultId.GetValue<int>());
            }

            if (!v1)
            {
                throw Invalid("missing required field 'default-spec-id'");
            }

            return (specs, specs.Max(s => s.SpecId));
        }

        if (!v1)
        {
            throw Invalid("missing required field 'partition-specs'");
        }

        if (doc["partition-spec"] is not JsonArray legacy)
        {
            throw Invalid("missing required field 'partition-spec' (or 'partition-specs')");
        }

        return ([new PartitionSpec(0, ParsePartitionFields(legacy))], 0);
    }

    private static List<PartitionField> ParsePartitionFields(JsonNode fieldsNode)
    {
        var array = fieldsNode as JsonArray ?? throw Invalid("partition spec 'fields' must be an array");
        var fields = new List<PartitionField>(array.Count);
        var nextFieldId = 1000;
        foreach (var f in array)
        {
            var fo = f as JsonObject ?? throw Invalid("a partition field must be a JSON object");
            var fieldId = fo["field-id"]?.GetValue<int>() ?? nextFieldId;
            nextFieldId = fieldId + 1;
            List<int>? sourceIds = null;
            int sourceId;
            if (fo["source-id"] is { } sid)
            {
                sourceId = sid.GetValue<int>();
            }
            else if (fo["source-ids"] is JsonArray sids && sids.Count > 0)
            {
                sourceIds = sids.Select(x => x!.GetValue<int>()).ToList();
                sourceId = sourceIds[0];
            }
            else
            {
                throw Invalid("a partition field needs 'source-id'");
            }

            fields.Add(new PartitionField(sourceId, fieldId, Required(fo, "name").GetValue<string>(), Transform.Parse(Required(fo, "transform").GetValue<string>()))
            {
                SourceIds = sourceIds ?? [sourceId],
            });
        }

        return fields;
    }

    private static (List<SortOrder> Orders, int DefaultId) ParseSortOrders(JsonObject doc, bool v1)
    {
        if (doc["sort-orders"] is not JsonArray array)
        {
            if (!v1)
            {
                throw Invalid("missing required field 'sort-orders'");
            }

            return ([SortOrder.Unsorted], 0);
        }

        var orders = new List<SortOrder>(array.Count);
        foreach (var o in array)
        {
            var oo = o as JsonObject ?? throw Invalid("a sort order must be a JSON object");
            var fields = new List<SortField>();
            foreach (var f in Required(oo, "fields").AsArray())
            {
                var fo = f!.AsObject();
                var direction = Required(fo, "direction").GetValue<string>() switch
                {
                    "asc" => SortDirection.Ascending,
                    "desc" => SortDirection.Descending,
                    var d => throw Invalid($"invalid sort direction '{d}'"),
                };
                var nullOrder = Required(fo, "null-order").GetValue<string>() switch
                {
                    "nulls-first" => NullOrder.NullsFirst,
                    "nulls-last" => NullOrder.NullsLast,
                    var n => throw Invalid($"invalid null-order '{n}'"),
                };
                var sourceId = fo["source-id"]?.GetValue<int>() ?? fo["source-ids"]?.AsArray()[0]?.GetValue<int>()
                    ?? throw Invalid("a sort field needs 'source-id'");
                fields.Add(new SortField(sourceId, Transform.Parse(Required(fo, "transform").GetValue<string>()), direction, nullOrder));
            }

            orders.Add(new SortOrder(RequiredInt(oo, "order-id"), fields));
        }

        int defaultId;
        if (doc["default-sort-order-id"] is { } defaultNode)
        {
            defaultId = defaultNode.GetValue<int>();
        }
        else if (v1)
        {
            defaultId = orders.Count > 0 ? orders[0].OrderId : 0;
        }
        else
        {
            throw Invalid("missing required field 'default-sort-order-id'");
        }

        if (orders.Count > 0 && !orders.Any(o => o.OrderId == defaultId))
        {
            throw Invalid($"default-sort-order-id {defaultId} does not match any sort order");
        }

        return (orders, defaultId);
    }

    private static List<Snapshot> ParseSnapshots(JsonNode? node)
    {
        var snapshots = new List<Snapshot>();
        if (node is not JsonArray array)
        {
            return snapshots;
        }

        foreach (var s in array)
        {
            var so = s as JsonObject ?? throw Invalid("a snapshot must be a JSON object");
            List<string>? manifests = null;
            if (so["manifests"] is JsonArray m)
            {
                manifests = m.Select(x => x!.GetValue<string>()).ToList();
            }

            var manifestList = so["manifest-list"]?.GetValue<string>();
            var snapshotId = ReadId(Required(so, "snapshot-id"));
            if (manifestList is null && manifests is null)
            {
                throw Invalid($"snapshot {snapshotId} has neither 'manifest-list' nor 'manifests'");
            }

            snapshots.Add(new Snapshot
            {
                SnapshotId = snapshotId,
                ParentSnapshotId = so["parent-snapshot-id"] is { } parent ? ReadId(parent) : null,
                SequenceNumber = so["sequence-number"]?.GetValue<long>() ?? 0,
                TimestampMs = Required(so, "timestamp-ms").GetValue<long>(),
                ManifestList = manifestList,
                Manifests = manifests,
                Summary = ParseStringMap(so["summary"]),
                SchemaId = so["schema-id"]?.GetValue<int>(),
                FirstRowId = so["first-row-id"]?.GetValue<long>(),
                AddedRows = so["added-rows"]?.GetValue<long>(),
                KeyId = so["key-id"]?.GetValue<string>(),
            });
        }

        return snapshots;
    }

    private static Dictionary<string, SnapshotRef> ParseRefs(JsonNode? node)
    {
        var refs = new Dictionary<string, SnapshotRef>(StringComparer.Ordinal);
        if (node is not JsonObject obj)
        {
            return refs;
        }

        foreach (var (name, value) in obj)
        {
            var ro = value as JsonObject ?? throw Invalid($"ref '{name}' must be a JSON object");
            var type = Required(ro, "type").GetValue<string>() switch
            {
                "branch" => SnapshotRefType.Branch,
                "tag" => SnapshotRefType.Tag,
                var t => throw Invalid($"ref '{name}' has invalid type '{t}'"),
            };
            refs[name] = new SnapshotRef(name, ReadId(Required(ro, "snapshot-id")), type)
            {
                MinSnapshotsToKeep = ro["min-snapshots-to-keep"]?.GetValue<int>(),
                MaxSnapshotAgeMs = ro["max-snapshot-age-ms"]?.GetValue<long>(),
                MaxRefAgeMs = ro["max-ref-age-ms"]?.GetValue<long>(),
            };
        }

        return refs;
    }

    private static Dictionary<string, string> ParseStringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is not null)
                {
                    map[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
                }
            }
        }

        return map;
    }

    /// <summary>Snapshot ids are 64-bit; some writers emit unsigned values above the signed range, kept here by their bit pattern.</summary>
    private static long ReadId(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<long>(out var signed) ? signed : unchecked((long)node.GetValue<ulong>());

    private static JsonNode Required(JsonObject obj, string name) =>
        obj[name] ?? throw Invalid($"missing required field '{name}'");

    private static int RequiredInt(JsonObject obj, string name) => Required(obj, name).GetValue<int>();

    private static IcebergException Invalid(string message) => new(IcebergException.InvalidMetadata, message);
}
