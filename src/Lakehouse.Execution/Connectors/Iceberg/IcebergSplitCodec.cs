using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>What a worker needs to read one data file: the scan task, the projection and an optional row limit.</summary>
internal sealed record IcebergSplit(FileScanTask Task, IReadOnlyList<int> ProjectedFieldIds, long? Limit);

/// <summary>
/// Serializes Iceberg splits as compact JSON. Values of identity partition columns travel in the
/// Iceberg JSON single-value form of their type, the schema in the spec's schema JSON.
/// </summary>
internal static class IcebergSplitCodec
{
    public static byte[] Encode(IcebergSplit split)
    {
        var task = split.Task;
        var identity = new JsonObject();
        foreach (var (fieldId, value) in task.IdentityPartitionValues)
        {
            var field = task.Schema.FindField(fieldId);
            if (field is null)
            {
                continue;
            }

            identity[fieldId.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value is null ? null : JsonSingleValue.ToJson(field.Type, value);
        }

        var deletes = new JsonArray();
        foreach (var d in task.Deletes)
        {
            deletes.Add(EncodeFile(d));
        }

        var projected = new JsonArray();
        foreach (var id in split.ProjectedFieldIds)
        {
            projected.Add(id);
        }

        var root = new JsonObject
        {
            ["schema"] = SchemaJson.ToJson(task.Schema),
            ["projected"] = projected,
            ["limit"] = split.Limit,
            ["nameMapping"] = task.NameMappingJson,
            ["identity"] = identity,
            ["file"] = EncodeFile(task.File),
            ["deletes"] = deletes,
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    public static IcebergSplit Decode(byte[] payload)
    {
        var root = JsonNode.Parse(payload)?.AsObject() ?? throw new InvalidDataException("empty Iceberg split");
        var schema = SchemaJson.ParseSchema(root["schema"]);
        var identity = new Dictionary<int, object?>();
        foreach (var (key, value) in root["identity"]!.AsObject())
        {
            var fieldId = int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
            var field = schema.FindField(fieldId) ?? throw new InvalidDataException($"split names unknown field id {fieldId}");
            identity[fieldId] = value is null ? null : JsonSingleValue.FromJson(field.Type, value);
        }

        var deletes = new List<DataFile>();
        foreach (var d in root["deletes"]!.AsArray())
        {
            deletes.Add(DecodeFile(d!.AsObject()));
        }

        var projected = new List<int>();
        foreach (var id in root["projected"]!.AsArray())
        {
            projected.Add(id!.GetValue<int>());
        }

        var task = new FileScanTask
        {
            File = DecodeFile(root["file"]!.AsObject()),
            Deletes = deletes,
            Schema = schema,
            IdentityPartitionValues = identity,
            NameMappingJson = root["nameMapping"]?.GetValue<string>(),
        };
        return new IcebergSplit(task, projected, root["limit"]?.GetValue<long>());
    }

    private static JsonObject EncodeFile(DataFile file)
    {
        JsonArray? equality = null;
        if (file.EqualityFieldIds is { } ids)
        {
            equality = new JsonArray();
            foreach (var id in ids)
            {
                equality.Add(id);
            }
        }

        return new JsonObject
        {
            ["content"] = (int)file.Content,
            ["path"] = file.Path,
            ["recorded"] = file.RecordedPath,
            ["format"] = file.Format.ToString(),
            ["spec"] = file.SpecId,
            ["records"] = file.RecordCount,
            ["size"] = file.FileSizeInBytes,
            ["equality"] = equality,
            ["referenced"] = file.ReferencedDataFile,
            ["offset"] = file.ContentOffset,
            ["length"] = file.ContentSizeInBytes,
            ["dataSeq"] = file.DataSequenceNumber,
            ["fileSeq"] = file.FileSequenceNumber,
        };
    }

    private static DataFile DecodeFile(JsonObject o)
    {
        List<int>? equality = null;
        if (o["equality"] is JsonArray ids)
        {
            equality = new List<int>(ids.Count);
            foreach (var id in ids)
            {
                equality.Add(id!.GetValue<int>());
            }
        }

        return new DataFile
        {
            Content = (FileContent)o["content"]!.GetValue<int>(),
            Path = o["path"]!.GetValue<string>(),
            RecordedPath = o["recorded"]!.GetValue<string>(),
            Format = Enum.Parse<FileFormat>(o["format"]!.GetValue<string>()),
            SpecId = o["spec"]!.GetValue<int>(),
            Partition = Array.Empty<object?>(),
            RecordCount = o["records"]!.GetValue<long>(),
            FileSizeInBytes = o["size"]!.GetValue<long>(),
            EqualityFieldIds = equality,
            ReferencedDataFile = o["referenced"]?.GetValue<string>(),
            ContentOffset = o["offset"]?.GetValue<long>(),
            ContentSizeInBytes = o["length"]?.GetValue<long>(),
            DataSequenceNumber = o["dataSeq"]?.GetValue<long>(),
            FileSequenceNumber = o["fileSeq"]?.GetValue<long>(),
        };
    }
}
