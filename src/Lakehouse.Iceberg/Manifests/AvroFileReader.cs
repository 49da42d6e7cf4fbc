using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;

namespace Lakehouse.Iceberg.Manifests;

/// <summary>Reads Avro object container files (codecs null, deflate, snappy, zstandard) into <see cref="AvroRecord"/>s.</summary>
public sealed class AvroFileReader
{
    private const int SchemaCacheLimit = 256;

    private static readonly byte[] Magic = "Obj"u8.ToArray().Append((byte)1).ToArray();

    private static readonly ConcurrentDictionary<string, AvroSchema> SchemaCache = new(StringComparer.Ordinal);

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
        var records = new List<object?>();
        var (schema, metadata) = ReadEach(bytes, name, (schema, _) => decoder => records.Add(decoder.Read(schema)));
        return new AvroFileReader(schema, metadata, records);
    }

    /// <summary>
    /// Decodes a file record by record with a decoder of the caller's: <paramref name="start"/> sees the writer
    /// schema and the file metadata and returns what decodes one record. Malformed data becomes an
    /// <see cref="IcebergException"/> naming the file.
    /// </summary>
    internal static (AvroSchema Schema, IReadOnlyDictionary<string, byte[]> Metadata) ReadEach(
        byte[] bytes, string name, Func<AvroSchema, IReadOnlyDictionary<string, byte[]>, Action<AvroDecoder>> start)
    {
        try
        {
            return ReadCore(bytes, name, start);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException or FormatException or InvalidOperationException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' is not a valid Avro file: {e.Message}", e);
        }
    }

    private static (AvroSchema Schema, IReadOnlyDictionary<string, byte[]> Metadata) ReadCore(
        byte[] bytes, string name, Func<AvroSchema, IReadOnlyDictionary<string, byte[]>, Action<AvroDecoder>> start)
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
        AvroSchema schema;
        try
        {
            schema = ParseSchemaCached(schemaJson);
        }
        catch (IcebergException e)
        {
            throw new IcebergException(e.Code, $"'{name}' has an invalid avro.schema: {e.Message}", e);
        }

        var codec = metadata.TryGetValue("avro.codec", out var c) ? Encoding.UTF8.GetString(c) : "null";
        var readRecord = start(schema, metadata);

        while (decoder.Position < bytes.Length)
        {
            var count = decoder.ReadLong();
            var size = checked((int)decoder.ReadLong());
            if (count < 0 || size < 0 || size > bytes.Length - decoder.Position)
            {
                throw new InvalidDataException($"block of {count} records in {size} bytes runs past the end of the data");
            }

            if (codec == "deflate")
            {
                // Decoded values copy what they keep, so the inflated block can go back to the pool.
                var (inflated, length) = Inflate(bytes, decoder.Position, size);
                try
                {
                    DecodeBlock(new AvroDecoder(inflated, 0, length), count, readRecord);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(inflated);
                }

                decoder.Skip(size);
            }
            else
            {
                var block = decoder.ReadFixed(size);
                DecodeBlock(new AvroDecoder(Decompress(codec, block, name), 0), count, readRecord);
            }

            if (!decoder.NextEquals(sync))
            {
                throw new IcebergException(IcebergException.InvalidManifest, $"'{name}' has a corrupt block (sync marker mismatch)");
            }
        }

        return (schema, metadata);
    }

    private static void DecodeBlock(AvroDecoder blockDecoder, long count, Action<AvroDecoder> readRecord)
    {
        for (long i = 0; i < count; i++)
        {
            readRecord(blockDecoder);
        }
    }

    /// <summary>
    /// Files of one table share a handful of writer schemas: parsing each once matters when a scan opens
    /// thousands of manifests. Parsed schemas are never changed, so sharing them is safe.
    /// </summary>
    private static AvroSchema ParseSchemaCached(string json)
    {
        if (SchemaCache.TryGetValue(json, out var cached))
        {
            return cached;
        }

        var parsed = AvroSchema.Parse(json);
        if (SchemaCache.Count >= SchemaCacheLimit)
        {
            SchemaCache.Clear();
        }

        SchemaCache[json] = parsed;
        return parsed;
    }

    private static (byte[] Buffer, int Length) Inflate(byte[] bytes, int offset, int size)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(size * 4L, 4096, 1 << 30));
        var length = 0;
        try
        {
            using var input = new DeflateStream(new MemoryStream(bytes, offset, size, writable: false), CompressionMode.Decompress);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = input.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Decompress(string codec, byte[] block, string name)
    {
        switch (codec)
        {
            case "null":
                return block;

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
    private const int SmallBoxCount = 1024;

    // Field ids, counts and enum-like ints repeat across entries: shared boxes avoid an allocation each.
    private static readonly object[] SmallInts = BoxAll(i => i);
    private static readonly object[] SmallLongs = BoxAll(i => (long)i);

    private readonly byte[] _data;
    private readonly int _end;

    public AvroDecoder(byte[] data, int position)
        : this(data, position, data.Length)
    {
    }

    public AvroDecoder(byte[] data, int position, int end)
    {
        _data = data;
        _end = end;
        Position = position;
    }

    public int Position { get; private set; }

    public long ReadLong()
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (Position >= _end)
            {
                throw new InvalidDataException("variable-length integer runs past the end of the data");
            }

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
        if (length < 0 || length > _end - Position)
        {
            throw new InvalidDataException($"length {length} runs past the end of the data");
        }

        var result = _data.AsSpan(Position, length).ToArray();
        Position += length;
        return result;
    }

    public byte[] ReadBytes() => ReadFixed(checked((int)ReadLong()));

    public bool ReadBoolean()
    {
        if (Position >= _end)
        {
            throw new InvalidDataException("boolean runs past the end of the data");
        }

        return _data[Position++] != 0;
    }

    public void Skip(int length)
    {
        if (length < 0 || length > _end - Position)
        {
            throw new InvalidDataException($"length {length} runs past the end of the data");
        }

        Position += length;
    }

    /// <summary>Consumes <paramref name="expected"/>.Length bytes and tells whether they equal it.</summary>
    public bool NextEquals(byte[] expected)
    {
        if (expected.Length > _end - Position)
        {
            throw new InvalidDataException($"length {expected.Length} runs past the end of the data");
        }

        var equal = _data.AsSpan(Position, expected.Length).SequenceEqual(expected);
        Position += expected.Length;
        return equal;
    }

    private static object[] BoxAll(Func<int, object> box)
    {
        var boxes = new object[SmallBoxCount];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = box(i);
        }

        return boxes;
    }

    public string ReadString()
    {
        var length = checked((int)ReadLong());
        if (length < 0 || length > _end - Position)
        {
            throw new InvalidDataException($"string length {length} runs past the end of the data");
        }

        var s = Encoding.UTF8.GetString(_data, Position, length);
        Position += length;
        return s;
    }

    private ReadOnlySpan<byte> FixedSpan(int length) =>
        length <= _end - Position ? _data.AsSpan(Position, length) : throw new InvalidDataException($"length {length} runs past the end of the data");

    public object? Read(AvroSchema schema)
    {
        switch (schema.Kind)
        {
            case AvroKind.Null:
                return null;
            case AvroKind.Boolean:
                if (Position >= _end)
                {
                    throw new InvalidDataException("boolean runs past the end of the data");
                }

                return _data[Position++] != 0;
            case AvroKind.Int:
            {
                var v = checked((int)ReadLong());
                return (uint)v < SmallBoxCount ? SmallInts[v] : v;
            }

            case AvroKind.Long:
            {
                var v = ReadLong();
                return (ulong)v < SmallBoxCount ? SmallLongs[v] : v;
            }

            case AvroKind.Float:
            {
                var v = BitConverter.ToSingle(FixedSpan(4));
                Position += 4;
                return v;
            }

            case AvroKind.Double:
            {
                var v = BitConverter.ToDouble(FixedSpan(8));
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
