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
                    $"read_parquet('{path}'): files disagree on the schema: {Difference(files[i], footers[i].Schema, files[0], footers[0].Schema)}");
            }
        }

        return new ParquetTableProvider(path, footers);
    }

    private static string Difference(string file, ParquetFileSchema schema, string firstFile, ParquetFileSchema first)
    {
        var shared = Math.Min(schema.Columns.Count, first.Columns.Count);
        for (var c = 0; c < shared; c++)
        {
            var left = schema.Columns[c];
            var right = first.Columns[c];
            if (left.Name != right.Name || left.Type.ToString() != right.Type.ToString())
            {
                return $"column {c + 1} of {file} is '{left.Name} {left.Type}' but in {firstFile} it is '{right.Name} {right.Type}'";
            }

            if (left.Id != right.Id)
            {
                return $"column '{left.Name}' has field id {left.Id} in {file} but {right.Id} in {firstFile}";
            }
        }

        return schema.Columns.Count != first.Columns.Count
            ? $"{file} has {schema.Columns.Count} columns but {firstFile} has {first.Columns.Count}"
            : $"nested fields of {file} differ from those of {firstFile}";
    }
}
