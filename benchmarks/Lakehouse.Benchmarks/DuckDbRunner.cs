using System.Globalization;
using DuckDB.NET.Data;
using Lakehouse.Cli.Tpch;

namespace Lakehouse.Benchmarks;

/// <summary>DuckDB in process, one view per TPC-H table over the very Parquet data files of the Iceberg tables.</summary>
public sealed class DuckDbRunner : IDisposable
{
    private readonly DuckDBConnection _connection;

    public DuckDbRunner(TpchIcebergData data, int threads)
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        Execute($"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        foreach (var table in TpchGenerator.Tables)
        {
            var paths = new List<string>();
            foreach (var file in data.FilesOf(table))
            {
                paths.Add("'" + file.Path.Replace("'", "''", StringComparison.Ordinal) + "'");
            }

            Execute($"CREATE VIEW {table} AS SELECT * FROM read_parquet([{string.Join(", ", paths)}])");
        }

        Version = Scalar("SELECT version()");
    }

    public string Version { get; }

    /// <summary>Runs the query and reads every row; returns the rows when <paramref name="keep"/> asks for them.</summary>
    public List<object?[]>? Run(string sql, bool keep)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = keep ? new List<object?[]>() : null;
        while (reader.Read())
        {
            if (rows is null)
            {
                continue;
            }

            var row = new object?[reader.FieldCount];
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
            }

            rows.Add(row);
        }

        return rows;
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
