using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Lakehouse.Server.FlightSql;

/// <summary>Arrow IPC helpers for the places where Flight SQL embeds a schema in a protobuf field.</summary>
public static class ArrowIpc
{
    // An IPC stream that has a schema but no batches ends with an end-of-stream marker:
    // a 0xFFFFFFFF continuation followed by a zero length.
    private const int EndOfStreamMarkerLength = 8;

    /// <summary>The encapsulated IPC schema message (continuation, length, flatbuffer, padding).</summary>
    public static byte[] SerializeSchema(Schema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true))
        {
            writer.WriteStart();
            writer.WriteEnd();
        }

        var bytes = buffer.ToArray();
        return bytes.AsSpan(0, bytes.Length - EndOfStreamMarkerLength).ToArray();
    }

    public static Schema DeserializeSchema(ReadOnlyMemory<byte> message)
    {
        using var reader = new ArrowStreamReader(message);
        return reader.Schema;
    }
}
