using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Lakehouse.Server;
using Lakehouse.Server.Formatting;

namespace Lakehouse.Cli.SqlLogicTest;

/// <summary>A record that did not pass: where it is and why.</summary>
public sealed record SqlLogicTestFailure(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>The outcome of one file: records run, records passed and the failures.</summary>
public sealed record SqlLogicTestFileResult(string File, int Passed, int Total, int Skipped, IReadOnlyList<SqlLogicTestFailure> Failures);

/// <summary>
/// Runs sqllogictest files against a fresh engine each (so each file starts with an empty catalog) and
/// compares statement outcomes and query results. Values are written as sqllogictest expects: NULL as
/// <c>NULL</c>, the empty string as <c>(empty)</c>, booleans as <c>true</c>/<c>false</c>, numbers in
/// <c>R</c> columns with three decimals, everything else as the engine's text for the value.
/// </summary>
public sealed class SqlLogicTestRunner
{
    /// <summary>Expected and actual lines shown for a failing query.</summary>
    public const int ShownLines = 10;

    private static readonly Regex HashLine = new(@"^(\d+) values hashing to ([0-9a-fA-F]{32})$", RegexOptions.CultureInvariant);
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<IEngineHost> _engineFactory;
    private readonly string _engineName;

    /// <param name="engineFactory">Creates the engine one file runs in; it is disposed after the file.</param>
    public SqlLogicTestRunner(Func<IEngineHost> engineFactory, string engineName = SqlLogicTestParser.EngineName)
    {
        _engineFactory = engineFactory;
        _engineName = engineName;
    }

    /// <summary>Files to run for a path: the file itself, or every <c>.slt</c>/<c>.test</c> file under a folder, in path order.</summary>
    public static IReadOnlyList<string> FindFiles(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new SqlLogicTestException($"'{path}' is neither a file nor a folder");
        }

        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".slt", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".test", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(file);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public async Task<SqlLogicTestFileResult> RunFileAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return await RunTextAsync(text, path, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="name">The file name used in failure reports.</param>
    public async Task<SqlLogicTestFileResult> RunTextAsync(string text, string name, CancellationToken cancellationToken)
    {
        var script = SqlLogicTestParser.Parse(text, _engineName);
        var failures = new List<SqlLogicTestFailure>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int passed = 0;
        int total = 0;
        int hashThreshold = 0;
        var engine = _engineFactory();
        await using (engine.ConfigureAwait(false))
        {
            foreach (var record in script.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (record is HaltRecord)
                {
                    break;
                }

                if (record is HashThresholdRecord threshold)
                {
                    hashThreshold = threshold.Threshold;
                    continue;
                }

                total++;
                string? failure = record switch
                {
                    InvalidRecord invalid => "invalid record: " + invalid.Message,
                    StatementRecord statement => await RunStatementAsync(engine.QueryService, statement, cancellationToken).ConfigureAwait(false),
                    QueryRecord query => await RunQueryAsync(engine.QueryService, query, hashThreshold, labels, cancellationToken).ConfigureAwait(false),
                    _ => $"unsupported record {record.GetType().Name}",
                };
                if (failure is null)
                {
                    passed++;
                }
                else
                {
                    failures.Add(new SqlLogicTestFailure(name, record.Line, failure));
                }
            }
        }

        return new SqlLogicTestFileResult(name, passed, total, script.SkippedRecords, failures);
    }

    private static async Task<string?> RunStatementAsync(IQueryService service, StatementRecord record, CancellationToken cancellationToken)
    {
        var (result, error) = await ExecuteAsync(service, record.Sql, cancellationToken).ConfigureAwait(false);
        if (record.ExpectedError is null)
        {
            return error is null ? null : $"statement failed: {error}\n  sql: {OneLine(record.Sql)}";
        }

        return CheckError(record.ExpectedError, error, result is null ? 0 : result.Rows.Count, record.Sql);
    }

    private static async Task<string?> RunQueryAsync(
        IQueryService service,
        QueryRecord record,
        int hashThreshold,
        Dictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        var (result, error) = await ExecuteAsync(service, record.Sql, cancellationToken).ConfigureAwait(false);
        if (record.ExpectedError is not null)
        {
            return CheckError(record.ExpectedError, error, result is null ? 0 : result.Rows.Count, record.Sql);
        }

        if (result is null)
        {
            return $"query failed: {error}\n  sql: {OneLine(record.Sql)}";
        }

        if (result.ColumnCount != record.ColumnTypes.Length)
        {
            return $"query returned {result.ColumnCount} columns but the record declares {record.ColumnTypes.Length} ('{record.ColumnTypes}')\n  sql: {OneLine(record.Sql)}";
        }

        var rows = FormatRows(result, record.ColumnTypes);
        var values = OrderedValues(rows, record.SortMode);
        string actualHash = Hash(values);
        int valueCount = values.Count;
        if (record.Label is { } label)
        {
            if (labels.TryGetValue(label, out var previous) && previous != actualHash)
            {
                return $"result differs from the earlier query labelled '{label}'\n  sql: {OneLine(record.Sql)}";
            }

            labels[label] = actualHash;
        }

        var expected = record.ExpectedLines;
        if (expected.Count == 1 && HashLine.Match(expected[0]) is { Success: true } hashed)
        {
            int expectedCount = int.Parse(hashed.Groups[1].Value, CultureInfo.InvariantCulture);
            if (expectedCount == valueCount && string.Equals(hashed.Groups[2].Value, actualHash, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return Mismatch(record, expected, [$"{valueCount} values hashing to {actualHash}"]);
        }

        var actualLines = ActualLines(rows, values, record.SortMode);
        var expectedLines = ExpectedRows(expected, rows.Count, record.ColumnTypes.Length, record.SortMode);
        if (expectedLines is not null && SameLines(expectedLines, actualLines))
        {
            return null;
        }

        var shown = hashThreshold > 0 && valueCount > hashThreshold
            ? [$"{valueCount} values hashing to {actualHash}"]
            : actualLines;
        return Mismatch(record, expected, shown);
    }

    private static string? CheckError(string expectedError, string? error, int rows, string sql)
    {
        if (error is null)
        {
            return $"expected an error{(expectedError.Length > 0 ? $" matching '{expectedError}'" : string.Empty)} but the statement succeeded ({rows} rows)\n  sql: {OneLine(sql)}";
        }

        return ErrorMatches(expectedError, error) ? null : $"expected an error matching '{expectedError}' but got: {error}\n  sql: {OneLine(sql)}";
    }

    /// <summary>An empty pattern accepts any error; otherwise a fragment of the message or a regular expression over it.</summary>
    public static bool ErrorMatches(string pattern, string error)
    {
        if (pattern.Length == 0 || error.Contains(pattern, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(error, pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs the SQL and reads its whole result; an error comes back as <c>CODE: message</c>.</summary>
    private static async Task<(QueryOutput? Result, string? Error)> ExecuteAsync(IQueryService service, string sql, CancellationToken cancellationToken)
    {
        try
        {
            var result = await service.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
            await using (result.ConfigureAwait(false))
            {
                var output = new QueryOutput(result.Schema.FieldsList.Count);
                await foreach (var batch in result.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    output.Add(batch);
                }

                return (output, null);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var report = LakehouseErrors.Describe(exception);
            return (null, $"{report.Code}: {report.Message}");
        }
    }

    private static List<string[]> FormatRows(QueryOutput output, string columnTypes)
    {
        var writer = new ValueTextWriter();
        var text = new StringBuilder();
        var rows = new List<string[]>(output.Rows.Count);
        foreach (var (batch, row) in output.Rows)
        {
            var values = new string[output.ColumnCount];
            for (int column = 0; column < values.Length; column++)
            {
                values[column] = FormatValue(writer, text, batch.Column(column), row, columnTypes[column]);
            }

            rows.Add(values);
        }

        return rows;
    }

    /// <summary>The sqllogictest text of one value.</summary>
    public static string FormatValue(ValueTextWriter writer, StringBuilder scratch, IArrowArray array, int row, char columnType)
    {
        if (array.IsNull(row))
        {
            return "NULL";
        }

        if (char.ToUpperInvariant(columnType) == 'R' && TryGetNumber(array, row, writer, scratch, out double number))
        {
            return number.ToString("F3", CultureInfo.InvariantCulture);
        }

        // An integer column holds booleans as 1/0 and other numbers truncated, as in SQLite's suites.
        if (char.ToUpperInvariant(columnType) == 'I')
        {
            if (array is BooleanArray booleans)
            {
                return booleans.GetValue(row) == true ? "1" : "0";
            }

            if (array is DoubleArray or FloatArray or Decimal128Array && TryGetNumber(array, row, writer, scratch, out double value) && Math.Abs(value) < 9e15)
            {
                double truncated = Math.Truncate(value);
                return truncated == 0 ? "0" : truncated.ToString("F0", CultureInfo.InvariantCulture);
            }
        }

        scratch.Clear();
        writer.Append(scratch, array, row, ValueTextMode.Text);
        return scratch.Length == 0 ? "(empty)" : scratch.ToString();
    }

    private static bool TryGetNumber(IArrowArray array, int row, ValueTextWriter writer, StringBuilder scratch, out double number)
    {
        switch (array)
        {
            case DoubleArray doubles:
                number = doubles.GetValue(row)!.Value;
                return true;
            case FloatArray floats:
                number = floats.GetValue(row)!.Value;
                return true;
            case Int8Array or Int16Array or Int32Array or Int64Array or Decimal128Array:
                scratch.Clear();
                writer.Append(scratch, array, row, ValueTextMode.Text);
                return double.TryParse(scratch.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>Values in the order they are hashed and compared: rows sorted column by column for rowsort, each value sorted for valuesort.</summary>
    private static List<string> OrderedValues(List<string[]> rows, SortMode mode)
    {
        var values = new List<string>();
        if (mode == SortMode.RowSort)
        {
            rows = [.. rows];
            rows.Sort(CompareRows);
        }

        foreach (var row in rows)
        {
            values.AddRange(row);
        }

        if (mode == SortMode.ValueSort)
        {
            values.Sort(StringComparer.Ordinal);
        }

        return values;
    }

    private static int CompareRows(string[] left, string[] right)
    {
        for (int i = 0; i < left.Length; i++)
        {
            int order = string.CompareOrdinal(left[i], right[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    /// <summary>MD5 over every value followed by a newline, as SQLite's sqllogictest computes it.</summary>
    public static string Hash(IReadOnlyList<string> values)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var value in values)
        {
            md5.AppendData(Encoding.UTF8.GetBytes(value));
            md5.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    /// <summary>Actual result as lines: one row per line (values joined by a space), or one value per line for valuesort.</summary>
    private static List<string> ActualLines(List<string[]> rows, List<string> orderedValues, SortMode mode)
    {
        // Expected lines lose trailing blanks when the file is read, so actual lines are compared without them too.
        var lines = new List<string>(rows.Count);
        if (mode == SortMode.ValueSort)
        {
            foreach (var value in orderedValues)
            {
                lines.Add(value.TrimEnd());
            }

            return lines;
        }

        foreach (var row in rows)
        {
            lines.Add(string.Join(' ', row).TrimEnd());
        }

        if (mode == SortMode.RowSort)
        {
            lines.Sort(StringComparer.Ordinal);
        }

        return lines;
    }

    /// <summary>
    /// Expected lines normalized like <see cref="ActualLines"/>. Rows may be written one per line (values
    /// separated by tabs or spaces) or one value per line; null when neither fits the row count.
    /// </summary>
    private static List<string>? ExpectedRows(IReadOnlyList<string> expected, int rowCount, int columnCount, SortMode mode)
    {
        var lines = new List<string>(expected.Count);
        if (mode == SortMode.ValueSort)
        {
            foreach (var line in expected)
            {
                lines.AddRange(columnCount > 1 && line.Contains('\t', StringComparison.Ordinal) ? line.Split('\t') : [line]);
            }

            lines.Sort(StringComparer.Ordinal);
            return lines;
        }

        if (expected.Count == rowCount)
        {
            foreach (var line in expected)
            {
                lines.Add(line.Replace('\t', ' '));
            }
        }
        else if (columnCount > 1 && expected.Count == rowCount * columnCount)
        {
            for (int row = 0; row < rowCount; row++)
            {
                var values = new string[columnCount];
                for (int column = 0; column < columnCount; column++)
                {
                    values[column] = expected[(row * columnCount) + column];
                }

                lines.Add(string.Join(' ', values));
            }
        }
        else
        {
            return null;
        }

        if (mode == SortMode.RowSort)
        {
            lines.Sort(StringComparer.Ordinal);
        }

        return lines;
    }

    private static bool SameLines(List<string> expected, List<string> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (int i = 0; i < expected.Count; i++)
        {
            if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal) && !SameUpToBooleanSpelling(expected[i], actual[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Suites write booleans in integer columns as 1/0 (SQLite) or true/false (DuckDB), and reals with 3 or more decimals; both spellings match.</summary>
    private static bool SameUpToBooleanSpelling(string expected, string actual)
    {
        var expectedValues = expected.Split(' ');
        var actualValues = actual.Split(' ');
        if (expectedValues.Length != actualValues.Length)
        {
            return false;
        }

        for (int i = 0; i < expectedValues.Length; i++)
        {
            if (!string.Equals(Canonical(expectedValues[i]), Canonical(actualValues[i]), StringComparison.Ordinal) && !SameNumber(expectedValues[i], actualValues[i]))
            {
                return false;
            }
        }

        return true;

        // Suites print real numbers with different numbers of decimals (22.000 here, 22.000000 in DuckDB's).
        static bool SameNumber(string expected, string actual) =>
            expected.Contains('.', StringComparison.Ordinal)
            && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out double e)
            && double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && Math.Abs(e - a) <= Math.Max(1e-3, Math.Abs(e) * 1e-9);

        static string Canonical(string value) => value switch
        {
            "true" => "1",
            "false" => "0",
            _ => value,
        };
    }

    private static string Mismatch(QueryRecord record, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var message = new StringBuilder();
        message.Append("query result differs (").Append(record.SortMode.ToString().ToLowerInvariant()).Append(")\n  sql: ").Append(OneLine(record.Sql));
        AppendLines(message, "expected", expected);
        AppendLines(message, "actual", actual);
        return message.ToString();
    }

    private static void AppendLines(StringBuilder message, string title, IReadOnlyList<string> lines)
    {
        message.Append("\n  ").Append(title).Append(" (").Append(lines.Count).Append(" lines):");
        for (int i = 0; i < lines.Count && i < ShownLines; i++)
        {
            message.Append("\n    ").Append(lines[i]);
        }

        if (lines.Count > ShownLines)
        {
            message.Append("\n    ...");
        }
    }

    private static string OneLine(string sql) => sql.Replace('\n', ' ');

    /// <summary>A query's result batches, addressed row by row.</summary>
    private sealed class QueryOutput(int columnCount)
    {
        public int ColumnCount { get; } = columnCount;

        public List<(RecordBatch Batch, int Row)> Rows { get; } = [];

        public void Add(RecordBatch batch)
        {
            for (int row = 0; row < batch.Length; row++)
            {
                Rows.Add((batch, row));
            }
        }
    }
}
