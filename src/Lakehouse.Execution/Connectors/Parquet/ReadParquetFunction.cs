using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>
/// <c>read_parquet('&lt;file, folder or glob&gt;')</c>: plain Parquet files as a table. A folder means
/// every <c>*.parquet</c> file below it; all files must share one schema.
/// </summary>
public sealed class ReadParquetFunction : ITableFunction
{
    private readonly IFileIO _io;

    public ReadParquetFunction(IFileIO io) => _io = io;

    public string Name => "read_parquet";

    public ITableProvider Resolve(IReadOnlyList<object?> arguments, TimeTravel? timeTravel, TableFunctionContext context)
    {
        if (arguments.Count != 1 || arguments[0] is not string path || path.Length == 0)
        {
            throw ParquetErrors.Error(
                ParquetErrors.InvalidArgument,
                "read_parquet takes one argument: a file, folder or glob as a string literal, e.g. read_parquet('data/lineitem/*.parquet')");
        }

        if (timeTravel is not null)
        {
            throw ParquetErrors.Error(ParquetErrors.InvalidArgument, $"read_parquet('{path}'): plain Parquet files have no versions; FOR VERSION/TIMESTAMP AS OF is not supported");
        }

        var files = ParquetPathResolver.Resolve(_io, path, context.BaseDirectory);
        var footers = new ParquetFooter[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            footers[i] = ParquetFooter.Read(_io, files[i]);
            if (i > 0 && footers[i].Schema.Signature != footers[0].Schema.Signature)
            {
                throw ParquetErrors.Error(
                    ParquetErrors.SchemaMismatch,
                    $"read_parquet('{path}'): {files[i]} has columns [{Describe(footers[i].Schema)}] but {files[0]} has [{Describe(footers[0].Schema)}]");
            }
        }

        return new ParquetTableProvider(path, footers);
    }

    private static string Describe(ParquetFileSchema schema)
    {
        var parts = new string[schema.Columns.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = $"{schema.Columns[i].Name} {schema.Columns[i].Type}";
        }

        return string.Join(", ", parts);
    }
}
