using System.Buffers.Binary;
using Apache.Arrow;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Memory;

/// <summary>A table held as Arrow batches in memory; each batch is one split.</summary>
public sealed class MemoryTableProvider : ITableProvider
{
    public const string ConnectorId = "memory";
    private readonly Guid _id;
    private readonly IReadOnlyList<RecordBatch> _batches;

    public MemoryTableProvider(string name, Schema schema, IReadOnlyList<RecordBatch> batches, MemoryTableStore? store = null)
    {
        Name = name;
        Schema = schema;
        _batches = batches;
        _id = (store ?? MemoryTableStore.Shared).Add(batches);
    }

    public string Name { get; }

    public string DisplayName => $"memory('{Name}')";

    public Schema Schema { get; }

    public TableStatistics Statistics
    {
        get
        {
            long rows = 0;
            foreach (var batch in _batches)
            {
                rows += batch.Length;
            }

            return new TableStatistics(rows, null);
        }
    }

    /// <summary>The last request planned, so callers can see what was pushed down.</summary>
    public ScanRequest? LastRequest { get; private set; }

    public ScanPlan PlanScan(ScanRequest request)
    {
        LastRequest = request;
        var fields = new List<Field>(request.Columns.Count);
        foreach (int column in request.Columns)
        {
            fields.Add(Schema.FieldsList[column]);
        }

        var splits = new List<ScanSplit>(_batches.Count);
        for (int i = 0; i < _batches.Count; i++)
        {
            splits.Add(new ScanSplit(ConnectorId, EncodeSplit(_id, i, request.Columns), _batches[i].Length, 0));
        }

        return new ScanPlan(splits, new Schema(fields, null), [$"batches: {_batches.Count}"]);
    }

    internal static byte[] EncodeSplit(Guid table, int batch, IReadOnlyList<int> columns)
    {
        var payload = new byte[16 + 4 + 4 + (4 * columns.Count)];
        table.TryWriteBytes(payload.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(16), batch);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(20), columns.Count);
        for (int i = 0; i < columns.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(24 + (4 * i)), columns[i]);
        }

        return payload;
    }

    internal static (Guid Table, int Batch, int[] Columns) DecodeSplit(byte[] payload)
    {
        if (payload.Length < 24)
        {
            throw new ExecutionException(ExecutionException.InvalidFragment, $"memory split payload of {payload.Length} bytes is too short");
        }

        var table = new Guid(payload.AsSpan(0, 16));
        int batch = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(16));
        int count = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(20));
        if (count < 0 || payload.Length != 24 + (4 * count))
        {
            throw new ExecutionException(ExecutionException.InvalidFragment, "memory split payload has a bad column list");
        }

        var columns = new int[count];
        for (int i = 0; i < count; i++)
        {
            columns[i] = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(24 + (4 * i)));
        }

        return (table, batch, columns);
    }
}
