namespace Lakehouse.Iceberg.Planning;

/// <summary>Which snapshot a scan reads.</summary>
public abstract record SnapshotSelection
{
    public static SnapshotSelection Current { get; } = new CurrentSnapshotSelection();

    public static SnapshotSelection ById(long snapshotId) => new SnapshotByIdSelection(snapshotId);

    public static SnapshotSelection ByRef(string name) => new SnapshotByRefSelection(name);

    /// <summary>The latest snapshot whose timestamp is at or before <paramref name="microsUtc"/> (microseconds since the epoch, UTC).</summary>
    public static SnapshotSelection AsOfTimestamp(long microsUtc) => new SnapshotAsOfSelection(microsUtc);
}

public sealed record CurrentSnapshotSelection : SnapshotSelection;

public sealed record SnapshotByIdSelection(long SnapshotId) : SnapshotSelection;

public sealed record SnapshotByRefSelection(string Name) : SnapshotSelection;

public sealed record SnapshotAsOfSelection(long MicrosUtc) : SnapshotSelection;
