namespace Lakehouse.Benchmarks;

/// <summary>A benchmark failure with a stable code: bad arguments, missing files, a failed preparation step.</summary>
public sealed class BenchmarkException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string DataPreparationFailed = "DATA_PREPARATION_FAILED";
    public const string RepositoryNotFound = "REPOSITORY_NOT_FOUND";

    public string Code { get; } = code;
}
