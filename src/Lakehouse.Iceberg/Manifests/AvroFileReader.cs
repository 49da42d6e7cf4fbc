using System.IO.Compression;
using System.Text;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>Reads Avro object container files (codecs null, deflate, snappy, zstandard) into <see cref="AvroRecord"/>s.</summary>
public sealed class AvroFileReader
{
    private static readonly byte[] Magic = "Obj"u8.ToArray().Append((byte)1).ToArray();

    private AvroFileReader(AvroSchema schema, IReadOnlyDictionary<string, byte[]> metadata, List<object?> records)
    {
        Schema = schema;
        Metadata = metadata;
        Records = records;
    }

    public AvroSchema Schema { get; }

    /// <summary>File metadata (<c>avro.schema</c>, <c>avro.codec</c>, and Iceberg's own keys such as <c>partition-spec</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Metadata { get; }

    public IReadOnlyList<object?> Records { get; }

    public string? MetadataString(string key) => Metadata.TryGetValue(key, out var v) ? Encoding.UTF8.GetString(v) : null;

    /// <summary>Decodes a whole file; <paramref name="name"/> is used in error messages.</summary>
    public static AvroFileReader Read(byte[] bytes, string name)
    {
        try
        {
            return ReadCore(bytes, name);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException or FormatException or InvalidOperationException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' is not a valid Avro file: {e.Message}", e);
        }
    }

    private static AvroFileReader ReadCore(byte[] bytes, string name)
    {
        if (bytes.Length < 4 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' is not an Avro object container file (bad magic)");
        }

        var decoder = new AvroDecoder(bytes, 4);
        var metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (true)
        {
            var count = decoder.ReadLong();
            if (count == 0)
            {
                break;
            }

            if (count < 0)
            {
                count = -count;
                decoder.ReadLong();
            }

            for (var i = 0; i < count; i++)
            {
                var key = decoder.ReadString();
                metadata[key] = decoder.ReadBytes();
            }
        }

        var sync = decoder.ReadFixed(16);
        var schemaJson = metadata.TryGetValue("avro.schema", out var s) ? Encoding.UTF8.GetString(s)
            : throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' has no avro.schema");
        var schema = AvroSchema.Parse(schemaJson);
        var codec = metadata.TryGetValue("avro.codec", out var c) ? Encoding.UTF8.GetString(c) : "null";

        var records = new List<object?>();
        while (decoder.Position < bytes.Length)
        {
            var count = decoder.ReadLong();
            var size = decoder.ReadLong();
            var block = decoder.ReadFixed(checked((int)size));
            var data = Decompress(codec, block, name);
            var blockDecoder = new AvroDecoder(data, 0);
            for (long i = 0; i < count; i++)
            {
                records.Add(blockDecoder.Read(schema));
            }

            var blockSync = decoder.ReadFixed(16);
            if (!blockSync.AsSpan().SequenceEqual(sync))
            {
                throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' has a corrupt block (sync marker mismatch)");
            }
        }

        return new AvroFileReader(schema, metadata, records);
    }

    private static byte[] Decompress(string codec, byte[] block, string name)
    {
        switch (codec)
        {
            case "null":
                return block;
            case "deflate":
            {
                using var input = new DeflateStream(new MemoryStream(block), CompressionMode.Decompress);
                using var output = new MemoryStream();
                input.CopyTo(output);
                return output.ToArray();
            }

            case "snappy":
                // Avro appends a 4-byte CRC-32 of the uncompressed data after the snappy block.
                return Snappy.Decompress(block.AsSpan(0, block.Length - 4));
            case "zstandard":
            {
                using var decompressor = new ZstdSharp.Decompressor();
                return decompressor.Unwrap(block).ToArray();
            }

            default:
                throw new IcebergException(IcebergException.Unsupported, $"'{name}' uses unsupported Avro codec '{codec}'");
        }
    }
}

/// <summary>Avro binary decoding over an in-memory buffer.</summary>
internal sealed class AvroDecoder
{
    private readonly byte[] _data;

    public AvroDecoder(byte[] data, int position)
    {
        _data = data;
        Position = position;
    }

    public int Position { get; private set; }

    public long ReadLong()
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = _data[Position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new InvalidDataException("variable-length integer is too long");
            }
        }

        return (long)(value >> 1) ^ -(long)(value & 1);
    }

    public byte[] ReadFixed(int length)
    {
        if (length < 0 || Position + length > _data.Length)
        {
            throw new InvalidDataException($"length {length} runs past the end of the data");
        }

        var result = _data.AsSpan(Position, length).ToArray();
        Position += length;
        return result;
    }

    public byte[] ReadBytes() => ReadFixed(checked((int)ReadLong()));

    public string ReadString()
    {
        var length = checked((int)ReadLong());
        if (length < 0 || Position + length > _data.Length)
        {
            throw new InvalidDataException($"string length {length} runs past the end of the data");
        }

        var s = Encoding.UTF8.GetString(_data, Position, length);
        Position += length;
        return s;
    }

    public object? Read(AvroSchema schema)
    {
        switch (schema.Kind)
        {
            case AvroKind.Null:
                return null;
            case AvroKind.Boolean:
                return _data[Position++] != 0;
            case AvroKind.Int:
                return checked((int)ReadLong());
            case AvroKind.Long:
                return ReadLong();
            case AvroKind.Float:
            {
                var v = BitConverter.ToSingle(_data, Position);
                Position += 4;
                return v;
            }

            case AvroKind.Double:
            {
                var v = BitConverter.ToDouble(_data, Position);
                Position += 8;
                return v;
            }

            case AvroKind.Bytes:
                return ReadBytes();
            case AvroKind.String:
                return ReadString();
            case AvroKind.Fixed:
                return ReadFixed(((AvroFixedSchema)schema).Size);
            case AvroKind.Enum:
            {
                var symbols = ((AvroEnumSchema)schema).Symbols;
                var index = checked((int)ReadLong());
                return index >= 0 && index < symbols.Count ? symbols[index] : throw new InvalidDataException($"enum index {index} out of range");
            }

            case AvroKind.Union:
            {
                var branches = ((AvroUnionSchema)schema).Branches;
                var index = checked((int)ReadLong());
                return index >= 0 && index < branches.Count ? Read(branches[index]) : throw new InvalidDataException($"union branch {index} out of range");
            }

            case AvroKind.Record:
            {
                var record = (AvroRecordSchema)schema;
                var values = new object?[record.Fields.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Read(record.Fields[i].Schema);
                }

                return new AvroRecord(record, values);
            }

            case AvroKind.Array:
            {
                var items = ((AvroArraySchema)schema).Items;
                var list = new List<object?>();
                while (true)
                {
                    var count = ReadLong();
                    if (count == 0)
                    {
                        break;
                    }

                    if (count < 0)
                    {
                        count = -count;
                        ReadLong();
                    }

                    for (long i = 0; i < count; i++)
                    {
                        list.Add(Read(items));
                    }
                }

                return list;
            }

            case AvroKind.Map:
            {
                var values = ((AvroMapSchema)schema).Values;
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (true)
                {
                    var count = ReadLong();
                    if (count == 0)
                    {
                        break;
                    }

                    if (count < 0)
                    {
                        count = -count;
                        ReadLong();
                    }

                    for (long i = 0; i < count; i++)
                    {
                        var key = ReadString();
                        map[key] = Read(values);
                    }
                }

                return map;
            }

            default:
                throw new InvalidDataException($"unsupported Avro kind {schema.Kind}");
        }
    }
}

/// <summary>Raw Snappy block decompression (the format used inside Avro's snappy codec).</summary>
internal static class Snappy
{
    public static byte[] Decompress(ReadOnlySpan<byte> input)
    {
        var pos = 0;
        ulong length = 0;
        var shift = 0;
        while (true)
        {
            var b = input[pos++];
            length |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        var output = new byte[checked((int)length)];
        var outPos = 0;
        while (pos < input.Length)
        {
            var tag = input[pos++];
            switch (tag & 3)
            {
                case 0:
                {
                    var literalLength = tag >> 2;
                    if (literalLength >= 60)
                    {
                        var extra = literalLength - 59;
                        literalLength = 0;
                        for (var i = 0; i < extra; i++)
                        {
                            literalLength |= input[pos++] << (8 * i);
                        }
                    }

                    literalLength++;
                    input.Slice(pos, literalLength).CopyTo(output.AsSpan(outPos));
                    pos += literalLength;
                    outPos += literalLength;
                    break;
                }

                case 1:
                {
                    var copyLength = ((tag >> 2) & 7) + 4;
                    var offset = ((tag >> 5) << 8) | input[pos++];
                    CopyBack(output, ref outPos, offset, copyLength);
                    break;
                }

                case 2:
                {
                    var copyLength = (tag >> 2) + 1;
                    var offset = input[pos] | (input[pos + 1] << 8);
                    pos += 2;
                    CopyBack(output, ref outPos, offset, copyLength);
                    break;
                }

                default:
                {
                    var copyLength = (tag >> 2) + 1;
                    var offset = input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24);
                    pos += 4;
                    CopyBack(output, ref outPos, offset, copyLength);
                    break;
                }
            }
        }

        if (outPos != output.Length)
        {
            throw new InvalidDataException("snappy block is shorter than its declared length");
        }

        return output;
    }

    private static void CopyBack(byte[] output, ref int outPos, int offset, int length)
    {
        if (offset <= 0 || offset > outPos)
        {
            throw new InvalidDataException("snappy copy offset out of range");
        }

        for (var i = 0; i < length; i++)
        {
            output[outPos] = output[outPos - offset];
            outPos++;
        }
    }
}
