using Apache.Arrow;
using Lakehouse.Execution.Memory;
using Lakehouse.Planning;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Catalog;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Execution.Catalog;

/// <summary>
/// Tables created with <c>CREATE TABLE</c>, held as Arrow batches in memory (as Trino's memory connector).
/// Names are <c>table</c>, <c>schema.table</c> or <c>memory.schema.table</c>; the default schema is
/// <c>default</c>. Scans run as fragments on in-process workers, whose memory split reader reads the
/// same <see cref="MemoryTableStore"/>.
/// </summary>
public sealed class MemoryCatalog : ITableResolver
{
    public const string CatalogName = "memory";
    public const string DefaultSchema = "default";
    public const string TableAlreadyExists = "TABLE_ALREADY_EXISTS";

    private readonly object _lock = new();
    private readonly Dictionary<MemoryTableName, MemoryTable> _tables = [];
    private readonly MemoryTableStore _store;

    /// <param name="store">Where batches live for the split readers; the process-wide store when null.</param>
    public MemoryCatalog(MemoryTableStore? store = null) => _store = store ?? MemoryTableStore.Shared;

    /// <summary>A resolver that looks in <paramref name="catalog"/> first, then in <paramref name="others"/> (if any).</summary>
    public static ITableResolver Chain(MemoryCatalog catalog, ITableResolver? others) =>
        others is null ? catalog : new ChainedResolver(catalog, others);

    public ITableProvider? Find(QualifiedName name) =>
        TryNameOf(name, out var tableName) && Get(tableName) is { } table ? table.Snapshot() : null;

    /// <summary>The table's name as the catalog keys it; false when the name is not one of this catalog's.</summary>
    public static bool TryNameOf(QualifiedName name, out MemoryTableName tableName)
    {
        var parts = name.Parts;
        tableName = default;
        switch (parts.Count)
        {
            case 1:
                tableName = new MemoryTableName(DefaultSchema, parts[0].Value);
                return true;
            case 2:
                tableName = new MemoryTableName(parts[0].Value, parts[1].Value);
                return true;
            case 3 when parts[0].Matches(CatalogName):
                tableName = new MemoryTableName(parts[1].Value, parts[2].Value);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Like <see cref="TryNameOf"/>, with a clear error for names outside this catalog.</summary>
    public static MemoryTableName NameOf(QualifiedName name) =>
        TryNameOf(name, out var tableName)
            ? tableName
            : throw new PlanningException(
                PlanningException.NotSupported,
                $"{name.Span}: table name '{name.Value}' is not in the '{CatalogName}' catalog; use table, schema.table or {CatalogName}.schema.table");

    public MemoryTable? Get(MemoryTableName name)
    {
        lock (_lock)
        {
            return _tables.GetValueOrDefault(name);
        }
    }

    /// <summary>The table, or a TABLE_NOT_FOUND error naming it.</summary>
    public MemoryTable GetRequired(MemoryTableName name, SourceSpan span) =>
        Get(name) ?? throw new PlanningException(PlanningException.TableNotFound, $"{span}: table '{name}' does not exist");

    /// <summary>Creates an empty table, then appends <paramref name="batches"/>; returns null when it exists and <paramref name="ifNotExists"/> is set.</summary>
    public MemoryTable? Create(MemoryTableName name, Schema schema, IReadOnlyList<RecordBatch> batches, bool ifNotExists, SourceSpan span)
    {
        lock (_lock)
        {
            if (_tables.ContainsKey(name))
            {
                return ifNotExists
                    ? null
                    : throw new PlanningException(TableAlreadyExists, $"{span}: table '{name}' already exists");
            }

            var table = new MemoryTable(name, schema, _store);
            table.Append(batches);
            _tables.Add(name, table);
            return table;
        }
    }

    /// <summary>Drops the table; false when it does not exist.</summary>
    public bool Drop(MemoryTableName name)
    {
        MemoryTable? table;
        lock (_lock)
        {
            if (!_tables.Remove(name, out table))
            {
                return false;
            }
        }

        table.Release();
        return true;
    }

    /// <summary>Tables of <paramref name="schema"/> (all schemas when null), ordered by schema then name.</summary>
    public IReadOnlyList<MemoryTable> ListTables(string? schema)
    {
        var tables = new List<MemoryTable>();
        lock (_lock)
        {
            foreach (var (name, table) in _tables)
            {
                if (schema is null || name.Schema == schema)
                {
                    tables.Add(table);
                }
            }
        }

        tables.Sort((left, right) =>
        {
            int bySchema = string.CompareOrdinal(left.Name.Schema, right.Name.Schema);
            return bySchema != 0 ? bySchema : string.CompareOrdinal(left.Name.Table, right.Name.Table);
        });
        return tables;
    }

    /// <summary>The default schema and every schema holding a table, ordered.</summary>
    public IReadOnlyList<string> ListSchemas()
    {
        var schemas = new SortedSet<string>(StringComparer.Ordinal) { DefaultSchema };
        lock (_lock)
        {
            foreach (var name in _tables.Keys)
            {
                schemas.Add(name.Schema);
            }
        }

        return [.. schemas];
    }

    /// <summary>Drops every table and frees its batches.</summary>
    public void Clear()
    {
        List<MemoryTable> dropped;
        lock (_lock)
        {
            dropped = [.. _tables.Values];
            _tables.Clear();
        }

        foreach (var table in dropped)
        {
            table.Release();
        }
    }

    private sealed class ChainedResolver(ITableResolver first, ITableResolver second) : ITableResolver
    {
        public ITableProvider? Find(QualifiedName name) => first.Find(name) ?? second.Find(name);
    }
}
