using Lakehouse.Cli;

namespace Lakehouse.Integration.Tests;

/// <summary>Bad paths and bad files give one coded error line, never a crash or a hang.</summary>
public sealed class ReadParquetErrorTests : IDisposable
{
    private readonly string _folder;

    public ReadParquetErrorTests()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lakehouse-read-parquet-errors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "good"));
        Directory.CreateDirectory(Path.Combine(_folder, "other"));
        Directory.CreateDirectory(Path.Combine(_folder, "empty"));
        using var duck = new DuckDbFiles(_folder);
        duck.Execute($"COPY (SELECT range AS id, 'name ' || range AS name FROM range(5000)) TO '{Path.Combine(_folder, "good", "a.parquet")}' (FORMAT parquet)");
        duck.Execute($"COPY (SELECT range AS id, range * 2.5 AS amount FROM range(10)) TO '{Path.Combine(_folder, "other", "b.parquet")}' (FORMAT parquet)");
    }

    public void Dispose() => TempFolders.Delete(_folder);

    [Fact]
    public async Task Missing_file_is_file_not_found()
    {
        var error = await FailAsync("SELECT * FROM read_parquet('no/such/file.parquet')", "FILE_NOT_FOUND");
        Assert.Contains(Path.Combine(_folder, "no", "such", "file.parquet"), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_without_parquet_files_is_file_not_found()
    {
        var error = await FailAsync("SELECT * FROM read_parquet('empty')", "FILE_NOT_FOUND");
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glob_without_matches_is_file_not_found()
    {
        var error = await FailAsync("SELECT * FROM read_parquet('good/*.csv')", "FILE_NOT_FOUND");
        Assert.Contains("*.csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_file_is_not_a_parquet_file()
    {
        var path = Path.Combine(_folder, "notes.parquet");
        await File.WriteAllTextAsync(path, "id,name\n1,a\n2,b\n");
        var error = await FailAsync("SELECT * FROM read_parquet('notes.parquet')", "INVALID_PARQUET_FILE");
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_file_is_not_a_parquet_file()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "empty.parquet"), []);
        await FailAsync("SELECT * FROM read_parquet('empty.parquet')", "INVALID_PARQUET_FILE");
    }

    [Fact]
    public async Task Truncated_file_is_not_a_parquet_file()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder, "good", "a.parquet"));
        var path = Path.Combine(_folder, "truncated.parquet");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        var error = await FailAsync("SELECT count(*) FROM read_parquet('truncated.parquet')", "INVALID_PARQUET_FILE");
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_data_pages_fail_the_query_with_a_code()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder, "good", "a.parquet"));
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        bytes.AsSpan(4, bytes.Length - 8 - footerLength - 4).Fill(0xFF);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "corrupt.parquet"), bytes);
        var (code, error) = await RunAsync("SELECT count(*), max(name) FROM read_parquet('corrupt.parquet')");
        Assert.Equal(CliApp.Failure, code);
        Assert.Matches(@"^lakehouse: error \[(INVALID_DATA_FILE|INVALID_PARQUET_FILE)\]: .*corrupt\.parquet", error);
    }

    [Fact]
    public async Task Files_with_different_schemas_are_a_schema_mismatch()
    {
        var error = await FailAsync("SELECT * FROM read_parquet('*/*.parquet')", "SCHEMA_MISMATCH");
        Assert.Contains("b.parquet", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM read_parquet()")]
    [InlineData("SELECT * FROM read_parquet(42)")]
    [InlineData("SELECT * FROM read_parquet('good', 'other')")]
    public async Task Wrong_arguments_are_invalid_arguments(string sql) => await FailAsync(sql, "INVALID_ARGUMENT");

    [Fact]
    public async Task Time_travel_is_rejected_for_plain_files()
    {
        var error = await FailAsync("SELECT * FROM read_parquet('good') FOR VERSION AS OF 1", "INVALID_ARGUMENT");
        Assert.Contains("FOR VERSION", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_file_next_to_bad_ones_still_reads()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["sql", "SELECT count(*) AS n, max(id) AS m FROM read_parquet('good')", "--format", "csv"], stdout, stderr, _folder);
        Assert.True(code == CliApp.Success, stderr.ToString());
        Assert.Contains("5000,4999", stdout.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> FailAsync(string sql, string expectedCode)
    {
        var (code, error) = await RunAsync(sql);
        Assert.Equal(CliApp.Failure, code);
        Assert.StartsWith($"lakehouse: error [{expectedCode}]: ", error, StringComparison.Ordinal);
        return error;
    }

    private async Task<(int Code, string Error)> RunAsync(string sql)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CliApp.RunAsync(["sql", sql], stdout, stderr, _folder, timeout.Token);
        var error = stderr.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        return (code, error);
    }
}
