using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Server.Formatting;

public enum ResultFormat
{
    /// <summary>Aligned columns with a header and a row-count footer, like Trino's command line.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header line; NULL is an empty field, an empty string is <c>""</c>.</summary>
    Csv,

    /// <summary>One JSON object per row, keys in column order.</summary>
    JsonLines,
}

/// <summary>Renders query results as text. Rows are written as they arrive, except for tables, which need every width first.</summary>
public static class ResultFormatter
{
    public const string NullDisplay = "NULL";

    public static bool TryParseFormat(string name, out ResultFormat format)
    {
        switch (name.ToLowerInvariant())
        {
            case "table":
                format = ResultFormat.Table;
                return true;
            case "csv":
                format = ResultFormat.Csv;
                return true;
            case "jsonl" or "json":
                format = ResultFormat.JsonLines;
                return true;
            default:
                format = ResultFormat.Table;
                return false;
        }
    }

    /// <summary>Writes a whole result; returns the number of rows written.</summary>
    public static async Task<long> WriteAsync(
        Schema schema,
        IAsyncEnumerable<RecordBatch> batches,
        ResultFormat format,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var writer = new ValueTextWriter();
        var line = new StringBuilder();
        long rows = 0;
        switch (format)
        {
            case ResultFormat.JsonLines:
                await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    WriteJsonLines(schema, batch, output, writer, line);
                    rows += batch.Length;
                }

                break;
            case ResultFormat.Csv:
                WriteCsvHeader(schema, output, line);
                await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    WriteCsvRows(batch, output, writer, line);
                    rows += batch.Length;
                }

                break;
            default:
                var table = new TableLayout(schema);
                await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    table.Add(batch, writer, line);
                    rows += batch.Length;
                }

                table.Write(output, line);
                break;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    public static string ToJsonLines(Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var output = new StringWriter();
        var writer = new ValueTextWriter();
        var line = new StringBuilder();
        foreach (var batch in batches)
        {
            WriteJsonLines(schema, batch, output, writer, line);
        }

        return output.ToString();
    }

    public static string ToCsv(Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var output = new StringWriter();
        var writer = new ValueTextWriter();
        var line = new StringBuilder();
        WriteCsvHeader(schema, output, line);
        foreach (var batch in batches)
        {
            WriteCsvRows(batch, output, writer, line);
        }

        return output.ToString();
    }

    public static string ToTable(Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var output = new StringWriter();
        var writer = new ValueTextWriter();
        var line = new StringBuilder();
        var table = new TableLayout(schema);
        foreach (var batch in batches)
        {
            table.Add(batch, writer, line);
        }

        table.Write(output, line);
        return output.ToString();
    }

    private static void WriteJsonLines(Schema schema, RecordBatch batch, TextWriter output, ValueTextWriter writer, StringBuilder line)
    {
        var fields = schema.FieldsList;
        var columnCount = batch.ColumnCount;
        for (var row = 0; row < batch.Length; row++)
        {
            line.Clear();
            line.Append('{');
            for (var column = 0; column < columnCount; column++)
            {
                if (column > 0)
                {
                    line.Append(',');
                }

                ValueTextWriter.AppendJsonString(line, fields[column].Name);
                line.Append(':');
                writer.Append(line, batch.Column(column), row, ValueTextMode.Json);
            }

            line.Append('}').Append('\n');
            output.Write(line);
        }
    }

    private static void WriteCsvHeader(Schema schema, TextWriter output, StringBuilder line)
    {
        line.Clear();
        var fields = schema.FieldsList;
        for (var column = 0; column < fields.Count; column++)
        {
            if (column > 0)
            {
                line.Append(',');
            }

            AppendCsvField(line, fields[column].Name);
        }

        line.Append('\n');
        output.Write(line);
    }

    private static void WriteCsvRows(RecordBatch batch, TextWriter output, ValueTextWriter writer, StringBuilder line)
    {
        var columnCount = batch.ColumnCount;
        for (var row = 0; row < batch.Length; row++)
        {
            line.Clear();
            for (var column = 0; column < columnCount; column++)
            {
                if (column > 0)
                {
                    line.Append(',');
                }

                var array = batch.Column(column);
                var fieldStart = line.Length;
                writer.Append(line, array, row, ValueTextMode.Text);
                QuoteCsvFieldInPlace(line, fieldStart, isNull: array.IsNull(row));
            }

            line.Append('\n');
            output.Write(line);
        }
    }

    private static void AppendCsvField(StringBuilder line, string text)
    {
        var start = line.Length;
        line.Append(text);
        QuoteCsvFieldInPlace(line, start, isNull: false);
    }

    /// <summary>Quotes the field that starts at <paramref name="start"/> when RFC 4180 requires it.</summary>
    private static void QuoteCsvFieldInPlace(StringBuilder line, int start, bool isNull)
    {
        if (isNull)
        {
            return;
        }

        var length = line.Length - start;
        if (length == 0)
        {
            // Distinguishes an empty string from NULL.
            line.Append("\"\"");
            return;
        }

        var needsQuotes = false;
        var quotes = 0;
        for (var position = start; position < line.Length; position++)
        {
            var character = line[position];
            if (character == '"')
            {
                quotes++;
                needsQuotes = true;
            }
            else if (character is ',' or '\n' or '\r')
            {
                needsQuotes = true;
            }
        }

        if (!needsQuotes)
        {
            return;
        }

        if (quotes > 0)
        {
            for (var position = line.Length - 1; position >= start; position--)
            {
                if (line[position] == '"')
                {
                    line.Insert(position, '"');
                }
            }
        }

        line.Insert(start, '"').Append('"');
    }

    /// <summary>Collects cell texts and column widths for the table format.</summary>
    private sealed class TableLayout
    {
        private readonly Schema _schema;
        private readonly int[] _widths;
        private readonly bool[] _rightAligned;
        private readonly List<string[]> _rows = [];

        public TableLayout(Schema schema)
        {
            _schema = schema;
            var fields = schema.FieldsList;
            _widths = new int[fields.Count];
            _rightAligned = new bool[fields.Count];
            for (var column = 0; column < fields.Count; column++)
            {
                _widths[column] = fields[column].Name.Length;
                _rightAligned[column] = IsNumeric(fields[column].DataType);
            }
        }

        public void Add(RecordBatch batch, ValueTextWriter writer, StringBuilder scratch)
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var cells = new string[_widths.Length];
                for (var column = 0; column < cells.Length; column++)
                {
                    scratch.Clear();
                    writer.Append(scratch, batch.Column(column), row, ValueTextMode.Text, NullDisplay);
                    var text = scratch.ToString();
                    cells[column] = text;
                    _widths[column] = Math.Max(_widths[column], text.Length);
                }

                _rows.Add(cells);
            }
        }

        public void Write(TextWriter output, StringBuilder line)
        {
            var fields = _schema.FieldsList;
            line.Clear();
            for (var column = 0; column < fields.Count; column++)
            {
                AppendSeparator(line, column);
                var name = fields[column].Name;
                var padding = _widths[column] - name.Length;
                var left = padding / 2;
                line.Append(' ').Append(' ', left).Append(name).Append(' ', padding - left).Append(' ');
            }

            output.Write(TrimEnd(line).Append('\n'));

            line.Clear();
            for (var column = 0; column < fields.Count; column++)
            {
                if (column > 0)
                {
                    line.Append('+');
                }

                line.Append('-', _widths[column] + 2);
            }

            output.Write(line.Append('\n'));

            foreach (var cells in _rows)
            {
                line.Clear();
                for (var column = 0; column < cells.Length; column++)
                {
                    AppendSeparator(line, column);
                    var padding = _widths[column] - cells[column].Length;
                    line.Append(' ');
                    if (_rightAligned[column])
                    {
                        line.Append(' ', padding).Append(cells[column]);
                    }
                    else
                    {
                        line.Append(cells[column]).Append(' ', padding);
                    }

                    line.Append(' ');
                }

                output.Write(TrimEnd(line).Append('\n'));
            }

            output.Write(_rows.Count == 1 ? "(1 row)\n" : $"({_rows.Count} rows)\n");
        }

        private static void AppendSeparator(StringBuilder line, int column)
        {
            if (column > 0)
            {
                line.Append('|');
            }
        }

        private static StringBuilder TrimEnd(StringBuilder line)
        {
            var end = line.Length;
            while (end > 0 && line[end - 1] == ' ')
            {
                end--;
            }

            return line.Remove(end, line.Length - end);
        }

        private static bool IsNumeric(IArrowType type) => type.TypeId switch
        {
            ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
                or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64
                or ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double
                or ArrowTypeId.Decimal32 or ArrowTypeId.Decimal64 or ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256 => true,
            _ => false,
        };
    }
}
