using System.Buffers.Binary;
using System.Text.Json;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Deletes;

/// <summary>One blob listed in a Puffin footer.</summary>
public sealed record PuffinBlobMetadata(
    string Type,
    IReadOnlyList<int> Fields,
    long SnapshotId,
    long SequenceNumber,
    long Offset,
    long Length,
    string? CompressionCodec,
    IReadOnlyDictionary<string, string> Properties);

/// <summary>The decoded footer of a Puffin file.</summary>
public sealed record PuffinFooter(IReadOnlyList<PuffinBlobMetadata> Blobs, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// Reader for Puffin files: <c>Magic Blob* Magic FooterPayload FooterPayloadSize Flags Magic</c>
/// with magic <c>PFA1</c>, a JSON footer payload (optionally LZ4-compressed) and blobs that may be
/// compressed with <c>lz4</c> or <c>zstd</c>.
/// </summary>
public static class PuffinReader
{
    private const int MagicLength = 4;
    private const int FooterTrailerLength = 12;

    private static ReadOnlySpan<byte> Magic => "PFA1"u8;

    public static bool HasPuffinMagic(ReadOnlySpan<byte> file) =>
        file.Length >= MagicLength && file.Slice(0, MagicLength).SequenceEqual(Magic);

    /// <summary>Reads the footer of a Puffin file held in memory.</summary>
    public static PuffinFooter ReadFooter(ReadOnlySpan<byte> file)
    {
        if (file.Length < (2 * MagicLength) + FooterTrailerLength || !HasPuffinMagic(file))
        {
            throw Invalid("missing PFA1 magic at the start of the file");
        }

        if (!file.Slice(file.Length - MagicLength).SequenceEqual(Magic))
        {
            throw Invalid("missing PFA1 magic at the end of the file");
        }

        var payloadSize = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(file.Length - FooterTrailerLength));
        var flags = file.Slice(file.Length - 8, 4);
        var payloadStart = file.Length - FooterTrailerLength - payloadSize;
        if (payloadSize < 0 || payloadStart - MagicLength < MagicLength)
        {
            throw Invalid($"footer payload size {payloadSize} does not fit the {file.Length}-byte file");
        }

        if (!file.Slice(payloadStart - MagicLength, MagicLength).SequenceEqual(Magic))
        {
            throw Invalid("missing PFA1 magic at the start of the footer");
        }

        var payload = file.Slice(payloadStart, payloadSize);
        var compressed = (flags[0] & 1) != 0;
        return ParseFooterJson(compressed ? Lz4Frame.Decompress(payload) : payload);
    }

    public static PuffinFooter ReadFooter(IFileIO io, string path) => ReadFooter(io.ReadAllBytes(path));

    /// <summary>Returns a blob's bytes, decompressed according to its codec.</summary>
    public static byte[] ReadBlob(ReadOnlySpan<byte> file, PuffinBlobMetadata blob)
    {
        if (blob.Offset < 0 || blob.Length < 0 || blob.Offset + blob.Length > file.Length)
        {
            throw Invalid($"blob {blob.Type} at offset {blob.Offset} with length {blob.Length} lies outside the {file.Length}-byte file");
        }

        return Decompress(file.Slice((int)blob.Offset, (int)blob.Length), blob.CompressionCodec);
    }

    public static byte[] ReadBlob(IFileIO io, string path, PuffinBlobMetadata blob)
    {
        var raw = new byte[checked((int)blob.Length)];
        io.ReadRange(path, blob.Offset, raw);
        return Decompress(raw, blob.CompressionCodec);
    }

    private static byte[] Decompress(ReadOnlySpan<byte> raw, string? codec)
    {
        switch (codec)
        {
            case null:
                return raw.ToArray();
            case "zstd":
                try
                {
                    using var decompressor = new ZstdSharp.Decompressor();
                    return decompressor.Unwrap(raw).ToArray();
                }
                catch (ZstdSharp.ZstdException e)
                {
                    throw Invalid($"corrupt zstd blob: {e.Message}");
                }

            case "lz4":
                return Lz4Frame.Decompress(raw);
            default:
                throw new IcebergException(IcebergException.Unsupported, $"unsupported Puffin compression codec '{codec}'");
        }
    }

    private static PuffinFooter ParseFooterJson(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var blobs = new List<PuffinBlobMetadata>();
            if (root.TryGetProperty("blobs", out var blobsElement))
            {
                foreach (var b in blobsElement.EnumerateArray())
                {
                    var fields = new List<int>();
                    if (b.TryGetProperty("fields", out var fieldsElement))
                    {
                        foreach (var f in fieldsElement.EnumerateArray())
                        {
                            fields.Add(f.GetInt32());
                        }
                    }

                    string? codec = b.TryGetProperty("compression-codec", out var codecElement) && codecElement.ValueKind == JsonValueKind.String
                        ? codecElement.GetString()
                        : null;
                    blobs.Add(new PuffinBlobMetadata(
                        Required(b, "type").GetString()!,
                        fields,
                        Required(b, "snapshot-id").GetInt64(),
                        Required(b, "sequence-number").GetInt64(),
                        Required(b, "offset").GetInt64(),
                        Required(b, "length").GetInt64(),
                        codec,
                        ReadProperties(b)));
                }
            }

            return new PuffinFooter(blobs, ReadProperties(root));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw Invalid($"malformed footer JSON: {e.Message}");
        }
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"blob field '{name}' is missing");

    private static Dictionary<string, string> ReadProperties(JsonElement element)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in p.EnumerateObject())
            {
                properties[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
        }

        return properties;
    }

    internal static IcebergException Invalid(string detail) => new(IcebergException.InvalidValue, $"invalid Puffin file: {detail}");
}
