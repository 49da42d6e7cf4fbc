using System.Collections.Concurrent;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Catalog;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// Tables by name from a folder of Parquet data: table <c>name</c> is the sub-folder <c>&lt;root&gt;/name</c>
/// (all its Parquet files, as <c>read_parquet</c> reads them) or the file <c>&lt;root&gt;/name.parquet</c>.
/// This is how a folder written by <c>lakehouse tpch generate</c> is queried as plain table names.
/// </summary>
public sealed class ParquetFolderTables : ITableResolver
{
    private readonly string _root;
    private readonly ITableFunction _readParquet;
    private readonly TableFunctionContext _context;
    private readonly ConcurrentDictionary<string, ITableProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public ParquetFolderTables(string root, ITableFunction readParquet)
    {
        _root = Path.GetFullPath(root);
        _readParquet = readParquet;
        _context = new TableFunctionContext(_root);
        if (!Directory.Exists(_root))
        {
            throw ParquetErrors.Error(ParquetErrors.FileNotFound, $"table folder '{root}' does not exist");
        }
    }

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

        string? path = Directory.Exists(Path.Combine(_root, table)) ? Path.Combine(_root, table)
            : File.Exists(Path.Combine(_root, table + ".parquet")) ? Path.Combine(_root, table + ".parquet")
            : null;
        if (path is null)
        {
            return null;
        }

        return _providers.GetOrAdd(table, _ => _readParquet.Resolve([path], null, _context));
    }
}
