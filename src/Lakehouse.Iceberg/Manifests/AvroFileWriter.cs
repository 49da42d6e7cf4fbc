using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Lakehouse.Iceberg.Manifests;

public enum AvroCodec
{
    Null,
    Deflate,
}

/// <summary>
/// Writes Avro object container files (specification 1.11): header with magic, metadata map and sync marker,
/// then blocks of records. Values are generic: records as <see cref="AvroRecord"/> or <c>object?[]</c> in field
/// order, arrays as <see cref="IEnumerable"/>, maps as <c>IEnumerable&lt;KeyValuePair&lt;string, object?&gt;&gt;</c>
/// (e.g. <c>Dictionary&lt;string, object?&gt;</c>), enums as symbol strings; a union takes its first branch that
/// fits the value, so <c>["null", T]</c> writes null or a T.
/// </summary>
public sealed class AvroFileWriter
{
    private const int RecordsPerBlock = 1000;
    private static readonly byte[] Magic = [(byte)'O', (byte)'b', (byte)'j', 1];

    private readonly AvroSchema _schema;
    private readonly string _schemaJson;
    private readonly AvroCodec _codec;
    private readonly List<KeyValuePair<string, byte[]>> _metadata = new();
    private readonly List<object?> _records = new();

    /// <param name="schemaJson">The writer schema; it is embedded unchanged as <c>avro.schema</c>.</param>
    public AvroFileWriter(string schemaJson, AvroCodec codec = AvroCodec.Null)
    {
        _schemaJson = schemaJson;
        _schema = AvroSchema.Parse(schemaJson);
        _codec = codec;
    }

    public AvroSchema Schema => _schema;

    /// <summary>Adds a user metadata entry (keys starting with <c>avro.</c> are reserved).</summary>
    public void SetMetadata(string key, string value)
    {
        if (key.StartsWith("avro.", StringComparison.Ordinal))
        {
            throw new IcebergException(IcebergException.InvalidValue, $"Avro metadata key '{key}' is reserved");
        }

        _metadata.RemoveAll(entry => entry.Key == key);
        _metadata.Add(new KeyValuePair<string, byte[]>(key, Encoding.UTF8.GetBytes(value)));
    }

    public void Append(object? record) => _records.Add(record);

    /// <summary>Encodes the header and all appended records.</summary>
    public byte[] ToBytes()
    {
        var sync = RandomNumberGenerator.GetBytes(16);
        var output = new AvroEncoder();
        output.WriteRaw(Magic);
        output.WriteLong(2 + _metadata.Count);
        output.WriteString("avro.schema");
        output.WriteBytes(Encoding.UTF8.GetBytes(_schemaJson));
        output.WriteString("avro.codec");
        output.WriteBytes(Encoding.UTF8.GetBytes(_codec == AvroCodec.Deflate ? "deflate" : "null"));
        foreach (var (key, value) in _metadata)
        {
            output.WriteString(key);
            output.WriteBytes(value);
        }

        output.WriteLong(0);
        output.WriteRaw(sync);

        for (var start = 0; start < _records.Count; start += RecordsPerBlock)
        {
            var count = Math.Min(RecordsPerBlock, _records.Count - start);
            var block = new AvroEncoder();
            for (var i = 0; i < count; i++)
            {
                block.Write(_schema, _records[start + i], "record " + (start + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var data = Compress(block.ToArray());
            output.WriteLong(count);
            output.WriteLong(data.Length);
            output.WriteRaw(data);
            output.WriteRaw(sync);
        }

        return output.ToArray();
    }

    /// <summary>Writes the file through <paramref name="io"/> and returns its length in bytes.</summary>
    public long WriteTo(Lakehouse.Storage.IFileIO io, string path)
    {
        var bytes = ToBytes();
        using (var stream = io.Create(path))
        {
            stream.Write(bytes);
        }

        return bytes.Length;
    }

    private byte[] Compress(byte[] block)
    {
        if (_codec == AvroCodec.Null)
        {
            return block;
        }

        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(block);
        }

        return output.ToArray();
    }
}

/// <summary>Avro binary encoding into a growable buffer.</summary>
internal sealed class AvroEncoder
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteLong(long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        Span<byte> scratch = stackalloc byte[10];
        var length = 0;
        while (zigzag >= 0x80)
        {
            scratch[length++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        scratch[length++] = (byte)zigzag;
        _buffer.Write(scratch[..length]);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteLong(bytes.Length);
        _buffer.Write(bytes);
    }

    public void WriteString(string value) => WriteBytes(Encoding.UTF8.GetBytes(value));

    /// <param name="where">Describes the value's position for error messages.</param>
    public void Write(AvroSchema schema, object? value, string where)
    {
        switch (schema.Kind)
        {
            case AvroKind.Null:
                if (value is not null)
                {
                    throw Mismatch(where, "null", value);
                }

                return;
            case AvroKind.Boolean:
                _buffer.WriteByte(value is bool b ? (b ? (byte)1 : (byte)0) : throw Mismatch(where, "boolean", value));
                return;
            case AvroKind.Int:
                WriteLong(value switch
                {
                    int i => i,
                    short s => s,
                    byte u => u,
                    long l when l is >= int.MinValue and <= int.MaxValue => l,
                    _ => throw Mismatch(where, "int", value),
                });
                return;
            case AvroKind.Long:
                WriteLong(value switch
                {
                    long l => l,
                    int i => i,
                    _ => throw Mismatch(where, "long", value),
                });
                return;
            case AvroKind.Float:
            {
                Span<byte> scratch = stackalloc byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(scratch, value is float f ? f : throw Mismatch(where, "float", value));
                _buffer.Write(scratch);
                return;
            }

            case AvroKind.Double:
            {
                Span<byte> scratch = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(scratch, value switch
                {
                    double d => d,
                    float f => f,
                    _ => throw Mismatch(where, "double", value),
                });
                _buffer.Write(scratch);
                return;
            }

            case AvroKind.Bytes:
                WriteBytes(value as byte[] ?? throw Mismatch(where, "bytes", value));
                return;
            case AvroKind.String:
                WriteString(value as string ?? throw Mismatch(where, "string", value));
                return;
            case AvroKind.Fixed:
            {
                var size = ((AvroFixedSchema)schema).Size;
                var bytes = value as byte[] ?? throw Mismatch(where, $"fixed[{size}]", value);
                if (bytes.Length != size)
                {
                    throw new IcebergException(IcebergException.InvalidValue, $"Avro {where}: fixed[{size}] value has {bytes.Length} bytes");
                }

                _buffer.Write(bytes);
                return;
            }

            case AvroKind.Enum:
            {
                var symbols = ((AvroEnumSchema)schema).Symbols;
                var index = value switch
                {
                    string symbol => IndexOf(symbols, symbol),
                    int i => i,
                    _ => -1,
                };
                if (index < 0 || index >= symbols.Count)
                {
                    throw Mismatch(where, "enum symbol", value);
                }

                WriteLong(index);
                return;
            }

            case AvroKind.Union:
                WriteUnion((AvroUnionSchema)schema, value, where);
                return;
            case AvroKind.Record:
                WriteRecord((AvroRecordSchema)schema, value, where);
                return;
            case AvroKind.Array:
            {
                var items = ((AvroArraySchema)schema).Items;
                if (value is not IEnumerable enumerable || value is string or byte[])
                {
                    throw Mismatch(where, "array", value);
                }

                var list = enumerable as IList ?? enumerable.Cast<object?>().ToList();
                if (list.Count > 0)
                {
                    WriteLong(list.Count);
                    for (var i = 0; i < list.Count; i++)
                    {
                        Write(items, list[i], where);
                    }
                }

                WriteLong(0);
                return;
            }

            case AvroKind.Map:
            {
                var values = ((AvroMapSchema)schema).Values;
                if (value is not IEnumerable<KeyValuePair<string, object?>> map)
                {
                    throw Mismatch(where, "map", value);
                }

                var pairs = map.ToList();
                if (pairs.Count > 0)
                {
                    WriteLong(pairs.Count);
                    foreach (var (key, item) in pairs)
                    {
                        WriteString(key);
                        Write(values, item, where + "." + key);
                    }
                }

                WriteLong(0);
                return;
            }

            default:
                throw new IcebergException(IcebergException.Unsupported, $"Avro {where}: cannot encode kind {schema.Kind}");
        }
    }

    private void WriteUnion(AvroUnionSchema union, object? value, string where)
    {
        var branches = union.Branches;
        for (var i = 0; i < branches.Count; i++)
        {
            if (Fits(branches[i], value))
            {
                WriteLong(i);
                Write(branches[i], value, where);
                return;
            }
        }

        throw Mismatch(where, "a branch of the union", value);
    }

    private void WriteRecord(AvroRecordSchema record, object? value, string where)
    {
        var fields = record.Fields;
        var values = value switch
        {
            AvroRecord r => r.Values,
            object?[] array => array,
            _ => throw Mismatch(where, $"record {record.Name}", value),
        };
        if (values.Length != fields.Count)
        {
            throw new IcebergException(IcebergException.InvalidValue, $"Avro {where}: record {record.Name} has {fields.Count} fields, got {values.Length} values");
        }

        for (var i = 0; i < fields.Count; i++)
        {
            Write(fields[i].Schema, values[i], where + "." + fields[i].Name);
        }
    }

    private static bool Fits(AvroSchema schema, object? value) => schema.Kind switch
    {
        AvroKind.Null => value is null,
        AvroKind.Boolean => value is bool,
        AvroKind.Int => value is int or short or byte,
        AvroKind.Long => value is long or int,
        AvroKind.Float => value is float,
        AvroKind.Double => value is double or float,
        AvroKind.Bytes => value is byte[],
        AvroKind.Fixed => value is byte[] bytes && bytes.Length == ((AvroFixedSchema)schema).Size,
        AvroKind.String => value is string,
        AvroKind.Enum => value is string,
        AvroKind.Record => value is AvroRecord or object?[],
        AvroKind.Map => value is IEnumerable<KeyValuePair<string, object?>>,
        AvroKind.Array => value is IEnumerable and not string and not byte[] and not IEnumerable<KeyValuePair<string, object?>>,
        _ => false,
    };

    private static int IndexOf(IReadOnlyList<string> symbols, string symbol)
    {
        for (var i = 0; i < symbols.Count; i++)
        {
            if (symbols[i] == symbol)
            {
                return i;
            }
        }

        return -1;
    }

    private static IcebergException Mismatch(string where, string expected, object? value) =>
        new(IcebergException.InvalidValue, $"Avro {where}: expected {expected}, got {value?.GetType().Name ?? "null"}");
}
