using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Tests.Support;

/// <summary>An in-memory DuckDB holding the same tables, used as the reference for query results.</summary>
public sealed class DuckDbOracle : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly Lock _gate = new();

    public DuckDbOracle(IEnumerable<SampleTable> tables)
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        Execute("SET TimeZone = 'UTC'");
        foreach (var table in tables)
        {
            Load(table);
        }
    }

    public QueryResult Query(string sql)
    {
        lock (_gate)
        {
            var typeNames = DescribeTypes(sql);
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            Assert.Equal(typeNames.Count, reader.FieldCount);

            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[typeNames.Count];
                for (int c = 0; c < row.Length; c++)
                {
                    row[c] = reader.IsDBNull(c) ? null : Canonical(reader.GetValue(c), typeNames[c]);
                }

                rows.Add(row);
            }

            return new QueryResult(typeNames, rows);
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Full column types (the reader reports decimals without precision and scale).</summary>
    private List<string> DescribeTypes(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DESCRIBE " + sql;
        using var reader = command.ExecuteReader();
        int typeColumn = reader.GetOrdinal("column_type");
        var types = new List<string>();
        while (reader.Read())
        {
            types.Add(reader.GetString(typeColumn));
        }

        return types;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Load(SampleTable table)
    {
        var columns = new List<string>(table.Schema.FieldsList.Count);
        for (int c = 0; c < table.Schema.FieldsList.Count; c++)
        {
            columns.Add($"{table.Schema.FieldsList[c].Name} {table.DuckTypes[c]}");
        }

        Execute($"CREATE TABLE {table.Name} ({string.Join(", ", columns)})");
        using var appender = _connection.CreateAppender(table.Name);
        foreach (var values in table.Rows)
        {
            var row = appender.CreateRow();
            for (int c = 0; c < values.Length; c++)
            {
                var field = table.Schema.FieldsList[c];
                switch (values[c])
                {
                    case null:
                        row.AppendNullValue();
                        break;
                    case int v when field.DataType is Apache.Arrow.Types.Date32Type:
                        row.AppendValue((DateOnly?)DateOnly.FromDayNumber(EpochDayNumber + v));
                        break;
                    case int v:
                        row.AppendValue((int?)v);
                        break;
                    case long v when field.DataType is Apache.Arrow.Types.TimestampType:
                        row.AppendValue((DateTime?)DateTime.UnixEpoch.AddTicks(v * 10));
                        break;
                    case long v:
                        row.AppendValue((long?)v);
                        break;
                    case double v:
                        row.AppendValue((double?)v);
                        break;
                    case Int128 v:
                        row.AppendValue((decimal?)decimal.Parse(ScalarText.FormatDecimal(v, ((Apache.Arrow.Types.Decimal128Type)field.DataType).Scale), CultureInfo.InvariantCulture));
                        break;
                    case string v:
                        row.AppendValue(v);
                        break;
                    case bool v:
                        row.AppendValue((bool?)v);
                        break;
                    default:
                        throw new InvalidOperationException($"no DuckDB mapping for {values[c]!.GetType().Name}");
                }
            }

            row.EndRow();
        }
    }

    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>A DuckDB value in the canonical form that <see cref="ResultComparer"/> compares.</summary>
    private static object Canonical(object value, string typeName)
    {
        string upper = typeName.ToUpperInvariant();
        switch (value)
        {
            case double v:
                return v;
            case float v:
                return (double)v;
            case decimal v:
                return Cell.Decimal(v.ToString("F" + DecimalScale(upper).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                return Cell.Integer(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            case BigInteger v:
                return Cell.Integer(v.ToString(CultureInfo.InvariantCulture));
            case string v:
                return Cell.Text(v);
            case bool v:
                return Cell.Boolean(v);
            case DateOnly v:
                return Cell.Date(ScalarText.FormatDate(v.DayNumber - EpochDayNumber));
            case DateTime v when upper == "DATE":
                return Cell.Date(ScalarText.FormatDate(DateOnly.FromDateTime(v).DayNumber - EpochDayNumber));
            case DateTime v when upper.Contains("TIME ZONE", StringComparison.Ordinal) || upper == "TIMESTAMPTZ":
                return Cell.TimestampTz((v.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10);
            case DateTime v:
                return Cell.Timestamp((v.Ticks - DateTime.UnixEpoch.Ticks) / 10);
            case DateTimeOffset v:
                return Cell.TimestampTz((v.UtcTicks - DateTime.UnixEpoch.Ticks) / 10);
            case TimeOnly v:
                return Cell.Time(v.Ticks / 10);
            case TimeSpan v:
                return Cell.Time(v.Ticks / 10);
            case Guid v:
                return Cell.Uuid(v);
            case byte[] v:
                return Cell.Binary(v);
            case Stream v:
            {
                using var copy = new MemoryStream();
                v.CopyTo(copy);
                return Cell.Binary(copy.ToArray());
            }

            default:
                throw new InvalidOperationException($"no canonical form for DuckDB {typeName} value of {value.GetType().Name}");
        }
    }

    private static int DecimalScale(string typeName)
    {
        int comma = typeName.IndexOf(',', StringComparison.Ordinal);
        int close = typeName.IndexOf(')', StringComparison.Ordinal);
        return comma < 0 || close < comma
            ? throw new InvalidOperationException($"DuckDB type {typeName} has no decimal scale")
            : int.Parse(typeName.AsSpan(comma + 1, close - comma - 1), CultureInfo.InvariantCulture);
    }
}
