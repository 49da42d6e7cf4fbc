using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Lakehouse.Server.FlightSql;

/// <summary>Packing of Flight SQL messages into the <c>google.protobuf.Any</c> envelope used on the wire.</summary>
public static class FlightSqlCommand
{
    public const string TypeUrlPrefix = "type.googleapis.com/";

    /// <summary>Type URL of a worker ticket: the payload is a serialized plan fragment.</summary>
    public const string FragmentTypeUrl = TypeUrlPrefix + "lakehouse.Fragment";

    public static byte[] Pack(IMessage message) => Any.Pack(message).ToByteArray();

    public static ByteString PackToByteString(IMessage message) => Any.Pack(message).ToByteString();

    /// <summary>Reads the envelope; returns null when the bytes are not an Any with a type URL.</summary>
    public static Any? TryReadEnvelope(ByteString bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        try
        {
            var envelope = Any.Parser.ParseFrom(bytes);
            return envelope.TypeUrl.Length == 0 ? null : envelope;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public static bool Is<T>(Any envelope) where T : IMessage<T>, new() => envelope.Is(new T().Descriptor);

    public static T Unpack<T>(Any envelope) where T : IMessage<T>, new()
    {
        try
        {
            return envelope.Unpack<T>();
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new LakehouseServerException(
                "FLIGHT_BAD_COMMAND",
                $"malformed {new T().Descriptor.Name} in Flight SQL command: {exception.Message}",
                exception);
        }
    }

    public static ByteString PackFragment(byte[] serializedFragment) =>
        new Any { TypeUrl = FragmentTypeUrl, Value = ByteString.CopyFrom(serializedFragment) }.ToByteString();
}
