using Lakehouse.Execution.Connectors;
using Lakehouse.Planning.Catalog;
using Lakehouse.Storage;

namespace Lakehouse.Execution.Connectors.Iceberg;

/// <summary>Registers the Iceberg connector: the planner-side table function and the worker-side split reader.</summary>
public static class IcebergConnector
{
    public static void Register(TableFunctionRegistry functions, SplitReaderRegistry readers, IFileIO io)
    {
        functions.Register(new IcebergScanFunction(io));
        readers.Register(new IcebergSplitReader(io));
    }
}
