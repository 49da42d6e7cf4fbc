using System.Collections;
using Apache.Arrow;
using Lakehouse.Execution.Memory;
using Lakehouse.Planning;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Catalog;

/// <summary>The name of a memory catalog table: schema and table, both case-normalized.</summary>
public readonly record struct MemoryTableName(string Schema, string Table)
{
    public override string ToString() => $"{MemoryCatalog.CatalogName}.{Schema}.{Table}";
}

/// <summary>
/// A table of the memory catalog. Its batches are append-only: a write builds its batches first and then
/// publishes them in one step, so a scan planned earlier keeps seeing exactly the batches it planned
/// (split indexes stay valid) and a failed write leaves the table unchanged.
/// </summary>
public sealed class MemoryTable
{
    private readonly object _writeLock = new();
    private readonly MemoryTableStore _store;
    private readonly Guid _storeId;
    private volatile RecordBatch[] _batches = [];
    private bool _dropped;

    internal MemoryTable(MemoryTableName name, Schema schema, MemoryTableStore store)
    {
        Name = name;
        Schema = schema;
        _store = store;
        _storeId = store.Add(new LiveBatches(this));
    }

    public MemoryTableName Name { get; }

    /// <summary>Columns as Arrow fields; a field that is not nullable is a NOT NULL column.</summary>
    public Schema Schema { get; }

    public IReadOnlyList<RecordBatch> Batches => _batches;

    public long RowCount
    {
        get
        {
            long rows = 0;
            foreach (var batch in _batches)
            {
                rows += batch.Length;
            }

            return rows;
        }
    }

    /// <summary>A provider over the batches published so far; later writes do not change what it scans.</summary>
    public ITableProvider Snapshot() => new MemoryTableSnapshot(this, _storeId, _batches);

    /// <summary>Publishes <paramref name="batches"/> (already in the table's schema) at once.</summary>
    public void Append(IReadOnlyList<RecordBatch> batches)
    {
        lock (_writeLock)
        {
            if (_dropped)
            {
                throw new PlanningException(PlanningException.TableNotFound, $"table '{Name}' was dropped while rows were being written to it");
            }

            if (batches.Count == 0)
            {
                return;
            }

            var current = _batches;
            var next = new RecordBatch[current.Length + batches.Count];
            current.CopyTo(next, 0);
            for (int i = 0; i < batches.Count; i++)
            {
                next[current.Length + i] = batches[i];
            }

            _batches = next;
        }
    }

    internal void Release()
    {
        lock (_writeLock)
        {
            _dropped = true;
            _store.Remove(_storeId);
        }
    }

    /// <summary>What the split readers see: always the latest batches; planned splits only index published ones.</summary>
    private sealed class LiveBatches(MemoryTable table) : IReadOnlyList<RecordBatch>
    {
        public RecordBatch this[int index] => table._batches[index];

        public int Count => table._batches.Length;

        public IEnumerator<RecordBatch> GetEnumerator() => ((IEnumerable<RecordBatch>)table._batches).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>Scans the batches a memory table had when the snapshot was taken; each batch is one split.</summary>
internal sealed class MemoryTableSnapshot(MemoryTable table, Guid storeId, RecordBatch[] batches) : ITableProvider
{
    public string DisplayName => table.Name.ToString();

    public Schema Schema => table.Schema;

    public TableStatistics Statistics
    {
        get
        {
            long rows = 0;
            foreach (var batch in batches)
            {
                rows += batch.Length;
            }

            return new TableStatistics(rows, null);
        }
    }

    public ScanPlan PlanScan(ScanRequest request)
    {
        var fields = new List<Field>(request.Columns.Count);
        foreach (int column in request.Columns)
        {
            fields.Add(Schema.FieldsList[column]);
        }

        var splits = new List<ScanSplit>(batches.Length);
        for (int i = 0; i < batches.Length; i++)
        {
            splits.Add(new ScanSplit(MemoryTableProvider.ConnectorId, MemoryTableProvider.EncodeSplit(storeId, i, request.Columns), batches[i].Length, 0));
        }

        return new ScanPlan(splits, new Schema(fields, null), [$"batches: {batches.Length}"]);
    }
}
