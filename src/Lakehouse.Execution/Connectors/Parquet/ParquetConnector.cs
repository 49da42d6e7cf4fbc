using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>Registers the plain Parquet connector: the <c>read_parquet</c> table function and its split reader.</summary>
public static class ParquetConnector
{
    public static void Register(TableFunctionRegistry functions, SplitReaderRegistry readers, IFileIO io)
    {
        functions.Register(new ReadParquetFunction(io));
        readers.Register(new ParquetSplitReader(io));
    }
}
