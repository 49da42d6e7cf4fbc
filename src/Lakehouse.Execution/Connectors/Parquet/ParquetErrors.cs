namespace Lakehouse.Execution.Connectors.Parquet;

/// <summary>Error codes raised by <c>read_parquet</c>.</summary>
public static class ParquetErrors
{
    /// <summary>The path, folder or glob matched no Parquet file.</summary>
    public const string FileNotFound = "FILE_NOT_FOUND";

    /// <summary>A file is not Parquet, or its footer cannot be decoded.</summary>
    public const string InvalidParquetFile = "INVALID_PARQUET_FILE";

    /// <summary>The matched files do not share one schema.</summary>
    public const string SchemaMismatch = "SCHEMA_MISMATCH";

    /// <summary>A Parquet column type that has no SQL equivalent here.</summary>
    public const string UnsupportedType = "UNSUPPORTED_TYPE";

    public const string InvalidArgument = "INVALID_ARGUMENT";

    internal static ExecutionException Error(string code, string message) => new(code, message);
}
