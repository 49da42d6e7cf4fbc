namespace Lakehouse.Iceberg;

/// <summary>
/// A failure reading or interpreting Iceberg table files, with a stable <see cref="Code"/>:
/// INVALID_METADATA, TABLE_NOT_FOUND, SNAPSHOT_NOT_FOUND, INVALID_MANIFEST, INVALID_VALUE, UNSUPPORTED.
/// </summary>
public sealed class IcebergException : Exception
{
    public const string InvalidMetadata = "INVALID_METADATA";
    public const string TableNotFound = "TABLE_NOT_FOUND";
    public const string SnapshotNotFound = "SNAPSHOT_NOT_FOUND";
    public const string InvalidManifest = "INVALID_MANIFEST";
    public const string InvalidValue = "INVALID_VALUE";
    public const string Unsupported = "UNSUPPORTED";

    public IcebergException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public string Code { get; }
}
