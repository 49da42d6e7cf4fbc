using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Metadata;

namespace Lakehouse.Iceberg.Writing;

/// <summary>Writes table metadata documents in the JSON form of the table spec (format v2).</summary>
public static class TableMetadataWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(TableMetadata metadata) => ToJsonObject(metadata).ToJsonString(Indented);

    public static JsonObject ToJsonObject(TableMetadata metadata)
    {
        var doc = new JsonObject
        {
            ["format-version"] = metadata.FormatVersion,
            ["table-uuid"] = metadata.TableUuid,
            ["location"] = metadata.Location,
            ["last-sequence-number"] = metadata.LastSequenceNumber,
            ["last-updated-ms"] = metadata.LastUpdatedMs,
            ["last-column-id"] = metadata.LastColumnId,
            ["current-schema-id"] = metadata.CurrentSchemaId,
        };

        var schemas = new JsonArray();
        foreach (var schema in metadata.Schemas)
        {
            schemas.Add(SchemaJson.ToJson(schema));
        }

        doc["schemas"] = schemas;
        doc["default-spec-id"] = metadata.DefaultSpecId;
        var specs = new JsonArray();
        foreach (var spec in metadata.PartitionSpecs)
        {
            specs.Add(new JsonObject { ["spec-id"] = spec.SpecId, ["fields"] = PartitionFieldsJson(spec) });
        }

        doc["partition-specs"] = specs;
        doc["last-partition-id"] = metadata.LastPartitionId;
        doc["default-sort-order-id"] = metadata.DefaultSortOrderId;
        var orders = new JsonArray();
        foreach (var order in metadata.SortOrders)
        {
            var fields = new JsonArray();
            foreach (var f in order.Fields)
            {
                fields.Add(new JsonObject
                {
                    ["transform"] = f.Transform.ToString(),
                    ["source-id"] = f.SourceId,
                    ["direction"] = f.Direction == SortDirection.Ascending ? "asc" : "desc",
                    ["null-order"] = f.NullOrder == NullOrder.NullsFirst ? "nulls-first" : "nulls-last",
                });
            }

            orders.Add(new JsonObject { ["order-id"] = order.OrderId, ["fields"] = fields });
        }

        doc["sort-orders"] = orders;
        var properties = new JsonObject();
        foreach (var (key, value) in metadata.Properties)
        {
            properties[key] = value;
        }

        doc["properties"] = properties;
        doc["current-snapshot-id"] = metadata.CurrentSnapshotId ?? -1;
        var refs = new JsonObject();
        foreach (var (name, reference) in metadata.Refs)
        {
            var r = new JsonObject
            {
                ["snapshot-id"] = reference.SnapshotId,
                ["type"] = reference.Type == SnapshotRefType.Branch ? "branch" : "tag",
            };
            if (reference.MinSnapshotsToKeep is { } minKeep)
            {
                r["min-snapshots-to-keep"] = minKeep;
            }

            if (reference.MaxSnapshotAgeMs is { } maxSnapshotAge)
            {
                r["max-snapshot-age-ms"] = maxSnapshotAge;
            }

            if (reference.MaxRefAgeMs is { } maxRefAge)
            {
                r["max-ref-age-ms"] = maxRefAge;
            }

            refs[name] = r;
        }

        doc["refs"] = refs;
        var snapshots = new JsonArray();
        foreach (var s in metadata.Snapshots)
        {
            snapshots.Add(SnapshotJson(s));
        }

        doc["snapshots"] = snapshots;
        var snapshotLog = new JsonArray();
        foreach (var entry in metadata.SnapshotLog)
        {
            snapshotLog.Add(new JsonObject { ["timestamp-ms"] = entry.TimestampMs, ["snapshot-id"] = entry.SnapshotId });
        }

        doc["snapshot-log"] = snapshotLog;
        var metadataLog = new JsonArray();
        foreach (var entry in metadata.MetadataLog)
        {
            metadataLog.Add(new JsonObject { ["timestamp-ms"] = entry.TimestampMs, ["metadata-file"] = entry.MetadataFile });
        }

        doc["metadata-log"] = metadataLog;
        return doc;
    }

    /// <summary>The <c>fields</c> array of a partition spec (also stored in each manifest's metadata).</summary>
    public static JsonArray PartitionFieldsJson(PartitionSpec spec)
    {
        var fields = new JsonArray();
        foreach (var f in spec.Fields)
        {
            fields.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["transform"] = f.Transform.ToString(),
                ["source-id"] = f.SourceId,
                ["field-id"] = f.FieldId,
            });
        }

        return fields;
    }

    private static JsonObject SnapshotJson(Snapshot s)
    {
        var obj = new JsonObject
        {
            ["snapshot-id"] = s.SnapshotId,
        };
        if (s.ParentSnapshotId is { } parent)
        {
            obj["parent-snapshot-id"] = parent;
        }

        obj["sequence-number"] = s.SequenceNumber;
        obj["timestamp-ms"] = s.TimestampMs;
        if (s.ManifestList is not null)
        {
            obj["manifest-list"] = s.ManifestList;
        }

        if (s.Manifests is { } manifests)
        {
            var list = new JsonArray();
            foreach (var m in manifests)
            {
                list.Add(m);
            }

            obj["manifests"] = list;
        }

        var summary = new JsonObject();
        foreach (var (key, value) in s.Summary)
        {
            summary[key] = value;
        }

        obj["summary"] = summary;
        if (s.SchemaId is { } schemaId)
        {
            obj["schema-id"] = schemaId;
        }

        return obj;
    }
}
