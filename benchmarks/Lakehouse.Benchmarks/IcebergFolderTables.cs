using System.Collections.Concurrent;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Catalog;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Benchmarks;

/// <summary>Tables by name: <c>name</c> is the Iceberg table in the folder <c>&lt;root&gt;/name</c>, read through <c>iceberg_scan</c>.</summary>
public sealed class IcebergFolderTables(string root, ITableFunction icebergScan) : ITableResolver
{
    private readonly string _root = Path.GetFullPath(root);
    private readonly TableFunctionContext _context = new(Path.GetFullPath(root));
    private readonly ConcurrentDictionary<string, ITableProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public ITableProvider? Find(QualifiedName name)
    {
        var table = name.Last.Value;
        if (table.Length == 0 || table.Contains('/', StringComparison.Ordinal) || table.Contains('\\', StringComparison.Ordinal) || table.StartsWith('.'))
        {
            return null;
        }

        if (_providers.TryGetValue(table, out var cached))
        {
            return cached;
        }

        var folder = Path.Combine(_root, table);
        return Directory.Exists(folder) ? _providers.GetOrAdd(table, _ => icebergScan.Resolve([folder], null, _context)) : null;
    }
}
