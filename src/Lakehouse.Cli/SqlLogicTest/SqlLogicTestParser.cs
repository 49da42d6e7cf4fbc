using System.Globalization;
using System.Text;

namespace Lakehouse.Cli.SqlLogicTest;

/// <summary>The records of a file to run, and how many were left out by <c>skipif</c>/<c>onlyif</c>.</summary>
public sealed record SqlLogicTestScript(IReadOnlyList<SqlLogicTestRecord> Records, int SkippedRecords);

/// <summary>
/// Reads the sqllogictest format (as used by SQLite, DuckDB and DataFusion): records separated by blank
/// lines; <c>statement ok|error</c>, <c>query</c> with <c>----</c> and expected results,
/// <c>hash-threshold</c>, <c>halt</c>, <c>skipif</c>/<c>onlyif &lt;engine&gt;</c> conditions, <c>#</c>
/// comments, and <c>loop var start end</c> / <c>foreach var values...</c> ... <c>endloop</c> blocks
/// whose bodies see <c>${var}</c> replaced.
/// </summary>
public static class SqlLogicTestParser
{
    public const string EngineName = "lakehouse";

    private readonly record struct SourceLine(int Number, string Text);

    public static SqlLogicTestScript Parse(string text, string engineName = EngineName)
    {
        var lines = new List<SourceLine>();
        int number = 0;
        using (var reader = new StringReader(text))
        {
            while (reader.ReadLine() is { } line)
            {
                lines.Add(new SourceLine(++number, line.TrimEnd()));
            }
        }

        var records = new List<SqlLogicTestRecord>();
        int skipped = 0;
        ParseBlock(lines, engineName, records, ref skipped);
        return new SqlLogicTestScript(records, skipped);
    }

    private static void ParseBlock(List<SourceLine> lines, string engineName, List<SqlLogicTestRecord> records, ref int skipped)
    {
        int index = 0;
        while (index < lines.Count)
        {
            var line = lines[index];
            if (IsBlankOrComment(line.Text))
            {
                index++;
                continue;
            }

            bool run = true;
            while (index < lines.Count && Tokens(lines[index].Text) is [var keyword, var engine, ..] && keyword is "skipif" or "onlyif")
            {
                bool matches = string.Equals(engine, engineName, StringComparison.OrdinalIgnoreCase);
                run &= keyword == "onlyif" ? matches : !matches;
                index++;
            }

            if (index >= lines.Count || lines[index].Text.Length == 0)
            {
                records.Add(new InvalidRecord(line.Number, "a skipif/onlyif condition must be followed by a record"));
                continue;
            }

            line = lines[index];
            var tokens = Tokens(line.Text);
            switch (tokens[0])
            {
                case "statement":
                    AddIf(run, ParseStatement(lines, ref index, tokens), records, ref skipped);
                    break;
                case "query":
                    AddIf(run, ParseQuery(lines, ref index, tokens), records, ref skipped);
                    break;
                case "hash-threshold":
                    index++;
                    AddIf(
                        run,
                        tokens.Length == 2 && int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out int threshold)
                            ? new HashThresholdRecord(line.Number, threshold)
                            : new InvalidRecord(line.Number, "hash-threshold needs one non-negative integer"),
                        records,
                        ref skipped);
                    break;
                case "halt":
                    index++;
                    if (run)
                    {
                        records.Add(new HaltRecord(line.Number));
                    }

                    break;
                case "loop" or "foreach":
                    ParseLoop(lines, ref index, tokens, engineName, run, records, ref skipped);
                    break;
                default:
                    records.Add(new InvalidRecord(line.Number, $"unknown record type '{tokens[0]}'"));
                    SkipRecord(lines, ref index);
                    break;
            }
        }
    }

    private static void AddIf(bool run, SqlLogicTestRecord record, List<SqlLogicTestRecord> records, ref int skipped)
    {
        if (run || record is InvalidRecord)
        {
            records.Add(record);
        }
        else
        {
            skipped++;
        }
    }

    private static SqlLogicTestRecord ParseStatement(List<SourceLine> lines, ref int index, string[] tokens)
    {
        var header = lines[index];
        index++;
        if (tokens.Length < 2 || tokens[1] is not ("ok" or "error"))
        {
            SkipRecord(lines, ref index);
            return new InvalidRecord(header.Number, "expected 'statement ok' or 'statement error [message]'");
        }

        var sql = ReadSql(lines, ref index, out bool hasResults);
        string? expectedError = tokens[1] == "ok" ? null : RestAfter(header.Text, "error");
        if (hasResults)
        {
            var message = ReadResults(lines, ref index);
            if (expectedError is null)
            {
                return new InvalidRecord(header.Number, "'statement ok' has no expected results; use 'query'");
            }

            if (expectedError.Length == 0)
            {
                expectedError = string.Join('\n', message);
            }
        }

        return sql.Length == 0
            ? new InvalidRecord(header.Number, "statement has no SQL")
            : new StatementRecord(header.Number, sql, expectedError);
    }

    private static SqlLogicTestRecord ParseQuery(List<SourceLine> lines, ref int index, string[] tokens)
    {
        var header = lines[index];
        index++;
        if (tokens.Length < 2)
        {
            SkipRecord(lines, ref index);
            return new InvalidRecord(header.Number, "expected 'query <column types> [nosort|rowsort|valuesort] [label]'");
        }

        var sql = ReadSql(lines, ref index, out bool hasResults);
        var expected = hasResults ? ReadResults(lines, ref index) : [];
        if (sql.Length == 0)
        {
            return new InvalidRecord(header.Number, "query has no SQL");
        }

        if (tokens[1] == "error")
        {
            string pattern = RestAfter(header.Text, "error");
            return new QueryRecord(header.Number, sql, string.Empty, SortMode.NoSort, null, [], pattern.Length > 0 ? pattern : string.Join('\n', expected));
        }

        var types = tokens[1];
        foreach (char letter in types)
        {
            if (!char.IsAsciiLetter(letter))
            {
                return new InvalidRecord(header.Number, $"column types '{types}' must be letters such as I, R and T");
            }
        }

        var sortMode = SortMode.NoSort;
        string? label = null;
        int next = 2;
        if (tokens.Length > next && TryParseSortMode(tokens[next], out var mode))
        {
            sortMode = mode;
            next++;
        }

        if (tokens.Length > next)
        {
            label = tokens[next++];
        }

        if (tokens.Length > next)
        {
            return new InvalidRecord(header.Number, $"unexpected '{tokens[next]}' after the query label");
        }

        return new QueryRecord(header.Number, sql, types, sortMode, label, expected, null);
    }

    private static bool TryParseSortMode(string token, out SortMode mode)
    {
        mode = token switch
        {
            "nosort" => SortMode.NoSort,
            "rowsort" => SortMode.RowSort,
            "valuesort" => SortMode.ValueSort,
            _ => (SortMode)(-1),
        };
        return (int)mode >= 0;
    }

    private static void ParseLoop(List<SourceLine> lines, ref int index, string[] tokens, string engineName, bool run, List<SqlLogicTestRecord> records, ref int skipped)
    {
        var header = lines[index];
        index++;
        int depth = 1;
        var body = new List<SourceLine>();
        while (index < lines.Count)
        {
            var first = Tokens(lines[index].Text);
            if (first.Length > 0 && first[0] is "loop" or "foreach")
            {
                depth++;
            }
            else if (first.Length > 0 && first[0] == "endloop" && --depth == 0)
            {
                index++;
                break;
            }

            body.Add(lines[index]);
            index++;
        }

        if (depth != 0)
        {
            records.Add(new InvalidRecord(header.Number, $"'{tokens[0]}' has no matching 'endloop'"));
            return;
        }

        List<string> values;
        if (tokens[0] == "loop")
        {
            if (tokens.Length != 4
                || !int.TryParse(tokens[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int start)
                || !int.TryParse(tokens[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int end)
                || end - start > 1_000_000)
            {
                records.Add(new InvalidRecord(header.Number, "expected 'loop <variable> <start> <end>' (end exclusive)"));
                return;
            }

            values = [];
            for (int value = start; value < end; value++)
            {
                values.Add(value.ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            if (tokens.Length < 3)
            {
                records.Add(new InvalidRecord(header.Number, "expected 'foreach <variable> <value> [value ...]'"));
                return;
            }

            values = [.. tokens[2..]];
        }

        var placeholder = "${" + tokens[1] + "}";
        foreach (var value in values)
        {
            var expanded = new List<SourceLine>(body.Count);
            foreach (var line in body)
            {
                expanded.Add(line with { Text = line.Text.Replace(placeholder, value, StringComparison.Ordinal) });
            }

            var iteration = new List<SqlLogicTestRecord>();
            int iterationSkipped = 0;
            ParseBlock(expanded, engineName, iteration, ref iterationSkipped);
            if (run)
            {
                records.AddRange(iteration);
                skipped += iterationSkipped;
            }
            else
            {
                skipped += iteration.Count + iterationSkipped;
            }
        }
    }

    /// <summary>Reads SQL lines up to a blank line or <c>----</c> (consumed; <paramref name="hasResults"/> tells which).</summary>
    private static string ReadSql(List<SourceLine> lines, ref int index, out bool hasResults)
    {
        var sql = new StringBuilder();
        hasResults = false;
        while (index < lines.Count)
        {
            var text = lines[index].Text;
            if (text.Length == 0)
            {
                break;
            }

            index++;
            if (text == "----")
            {
                hasResults = true;
                break;
            }

            if (text.StartsWith('#'))
            {
                continue;
            }

            if (sql.Length > 0)
            {
                sql.Append('\n');
            }

            sql.Append(text);
        }

        return sql.ToString().Trim();
    }

    private static List<string> ReadResults(List<SourceLine> lines, ref int index)
    {
        var results = new List<string>();
        while (index < lines.Count && lines[index].Text.Length > 0)
        {
            results.Add(lines[index].Text);
            index++;
        }

        return results;
    }

    private static void SkipRecord(List<SourceLine> lines, ref int index)
    {
        while (index < lines.Count && lines[index].Text.Length > 0)
        {
            index++;
        }
    }

    private static bool IsBlankOrComment(string text) => text.Length == 0 || text.StartsWith('#');

    private static string[] Tokens(string text) => text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The header text after the first <paramref name="word"/>, trimmed (the error pattern).</summary>
    private static string RestAfter(string header, string word)
    {
        int at = header.IndexOf(" " + word, StringComparison.Ordinal);
        return at < 0 ? string.Empty : header[(at + 1 + word.Length)..].Trim();
    }
}
