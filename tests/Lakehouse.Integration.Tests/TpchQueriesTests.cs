using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using Lakehouse.Cli.Tpch;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Types;
using Lakehouse.Server;
using Lakehouse.Server.Client;

namespace Lakehouse.Integration.Tests;

/// <summary>
/// The 22 TPC-H queries (tests/tpch/queries) on generated data, answered by our engine (embedded, and
/// through `lakehouse serve` over Flight SQL) and by DuckDB over the same Parquet files: equal answers,
/// decimals exactly (where DuckDB answers a double, to the decimal's last digit), doubles to 1e-9
/// relative, and row order where ORDER BY fixes it.
/// </summary>
public abstract class TpchQueriesTests<TData>(TData data)
    where TData : TpchScaleData
{
    public static TheoryData<int> QueryNumbers()
    {
        var numbers = new TheoryData<int>();
        for (int q = 1; q <= 22; q++)
        {
            numbers.Add(q);
        }

        return numbers;
    }

    [Theory]
    [MemberData(nameof(QueryNumbers))]
    public async Task Embedded_matches_DuckDB(int number)
    {
        var sql = TpchQueryText.Read(number);
        var expected = data.Duck.Query(sql);
        var engine = EmbeddedEngine.Create(data.Folder, null, data.Folder);
        await using (engine.ConfigureAwait(false))
        {
            var actual = await TpchResults.RunAsync(engine.QueryService, sql);
            TpchResults.AssertSame(expected, actual, TpchQueryText.IsOrdered(sql), $"Q{number} at SF {data.Scale}");
        }
    }

    [Theory]
    [MemberData(nameof(QueryNumbers))]
    public async Task Served_over_Flight_SQL_matches_DuckDB(int number)
    {
        var sql = TpchQueryText.Read(number);
        var expected = data.Duck.Query(sql);
        using var client = new FlightSqlQueryClient(data.Server.Address);
        var actual = await TpchResults.RunAsync(client, sql);
        TpchResults.AssertSame(expected, actual, TpchQueryText.IsOrdered(sql), $"Q{number} at SF {data.Scale} over Flight SQL");
    }
}

public sealed class TpchQueriesAtScale001Tests(TpchScaleData.Sf001 data) : TpchQueriesTests<TpchScaleData.Sf001>(data), IClassFixture<TpchScaleData.Sf001>;

public sealed class TpchQueriesAtScale01Tests(TpchScaleData.Sf01 data) : TpchQueriesTests<TpchScaleData.Sf01>(data), IClassFixture<TpchScaleData.Sf01>;

/// <summary>TPC-H data of one scale written once, DuckDB views over the same files, and a server whose tables are its folders.</summary>
public abstract class TpchScaleData : IAsyncLifetime
{
    private ServeHost? _server;

    protected TpchScaleData(double scale)
    {
        Scale = scale;
        Folder = Path.Combine(Path.GetTempPath(), $"lakehouse-tpch-{scale.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
    }

    public double Scale { get; }

    public string Folder { get; }

    public TpchDuck Duck { get; private set; } = null!;

    public ServeHost Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async Task InitializeAsync()
    {
        TpchGenerator.Generate(new TpchOptions(Scale, Folder));
        Duck = new TpchDuck(Folder);
        _server = await ServeHost.StartAsync(Folder, "--tables", Folder);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Duck?.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    public sealed class Sf001() : TpchScaleData(0.01);

    public sealed class Sf01() : TpchScaleData(0.1);
}

/// <summary>The query texts of tests/tpch/queries.</summary>
public static class TpchQueryText
{
    public static string Read(int number) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "tpch", "queries", $"q{number:D2}.sql"));

    /// <summary>Whether the outermost query orders its rows (its text ends with ORDER BY ... [LIMIT n]).</summary>
    public static bool IsOrdered(string sql)
    {
        int orderBy = sql.LastIndexOf("order by", StringComparison.OrdinalIgnoreCase);
        return orderBy >= 0 && sql.IndexOf(')', orderBy) < 0;
    }
}

/// <summary>DuckDB with one view per TPC-H table over its Parquet folder.</summary>
public sealed class TpchDuck : IDisposable
{
    private readonly DuckDBConnection _connection;

    public TpchDuck(string folder)
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        foreach (var table in TpchGenerator.Tables)
        {
            var files = Path.Combine(folder, table, "*.parquet").Replace("'", "''", StringComparison.Ordinal);
            Execute($"CREATE VIEW {table} AS SELECT * FROM read_parquet('{files}')");
        }
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public List<object?[]> Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
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
}

/// <summary>Runs queries on our engine and compares answers with DuckDB's, cell by cell.</summary>
public static class TpchResults
{
    /// <summary>Our answer as rows of (value, scale): decimals as <see cref="decimal"/> with their scale, the rest as .NET values.</summary>
    public static async Task<List<Cell[]>> RunAsync(IQueryService service, string sql)
    {
        var result = await service.ExecuteAsync(sql, CancellationToken.None);
        await using (result.ConfigureAwait(false))
        {
            var rows = new List<Cell[]>();
            await foreach (var batch in result.ReadAllAsync(CancellationToken.None))
            {
                for (int r = 0; r < batch.Length; r++)
                {
                    var row = new Cell[batch.ColumnCount];
                    for (int c = 0; c < row.Length; c++)
                    {
                        row[c] = CellOf(batch.Column(c), batch.Schema.FieldsList[c].DataType, r);
                    }

                    rows.Add(row);
                }
            }

            return rows;
        }
    }

    public readonly record struct Cell(object? Value, int? Scale);

    private static Cell CellOf(IArrowArray array, IArrowType type, int row)
    {
        var value = ScalarReader.Get(array, row);
        return (value, type) switch
        {
            (null, _) => new Cell(null, null),
            (Int128 unscaled, Decimal128Type decimalType) => new Cell(decimal.Parse(ScalarText.FormatDecimal(unscaled, decimalType.Scale), CultureInfo.InvariantCulture), decimalType.Scale),
            (int days, Date32Type) => new Cell(ScalarText.FormatDate(days), null),
            _ => new Cell(value, null),
        };
    }

    public static void AssertSame(List<object?[]> expected, List<Cell[]> actual, bool ordered, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: DuckDB returned {expected.Count} rows, we returned {actual.Count}");
        var expectedRows = expected.ConvertAll(row => System.Array.ConvertAll(row, Normalize));
        var actualRows = actual;
        if (!ordered)
        {
            expectedRows.Sort((a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
            actualRows = [.. actual];
            actualRows.Sort((a, b) => string.CompareOrdinal(SortKey(System.Array.ConvertAll(a, cell => cell.Value)), SortKey(System.Array.ConvertAll(b, cell => cell.Value))));
        }

        for (int r = 0; r < expectedRows.Count; r++)
        {
            Assert.True(expectedRows[r].Length == actualRows[r].Length, $"{what}: row {r} has {expectedRows[r].Length} columns in DuckDB, {actualRows[r].Length} here");
            for (int c = 0; c < expectedRows[r].Length; c++)
            {
                if (!Same(expectedRows[r][c], actualRows[r][c]))
                {
                    Assert.Fail($"{what}: row {r} column {c}: DuckDB {Show(expectedRows[r][c])}, we {Show(actualRows[r][c].Value)} (scale {actualRows[r][c].Scale})");
                }
            }
        }
    }

    private static object? Normalize(object? value) => value switch
    {
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BigInteger big => (decimal)big,
        _ => value,
    };

    private static string SortKey(object?[] row)
    {
        var parts = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            parts[i] = row[i] switch
            {
                null => "\u0000",
                double d => Math.Round(d, 6).ToString("R", CultureInfo.InvariantCulture),
                float f => Math.Round(f, 4).ToString("R", CultureInfo.InvariantCulture),
                decimal m => Math.Round(m, 6).ToString(CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? string.Empty,
            };
        }

        return string.Join('\u0001', parts);
    }

    private static bool Same(object? expected, Cell actual)
    {
        if (expected is null || actual.Value is null)
        {
            return expected is null && actual.Value is null;
        }

        if (IsNumber(expected) && IsNumber(actual.Value))
        {
            bool exactOnBothSides = expected is decimal or long or int or short or sbyte or byte or ulong or uint or ushort && actual.Value is decimal or long or int or short or sbyte;
            if (exactOnBothSides)
            {
                return Convert.ToDecimal(expected, CultureInfo.InvariantCulture) == Convert.ToDecimal(actual.Value, CultureInfo.InvariantCulture);
            }

            double e = Convert.ToDouble(expected, CultureInfo.InvariantCulture);
            double a = Convert.ToDouble(actual.Value, CultureInfo.InvariantCulture);

            // A decimal answer is the exact value rounded to its scale: it may differ from the double by half a unit of its last digit.
            double allowed = Math.Max(1e-9 * Math.Abs(e), 1e-12);
            if (actual.Scale is { } scale)
            {
                allowed = Math.Max(allowed, (0.5 * Math.Pow(10, -scale)) + (1e-12 * Math.Abs(e)));
            }

            return Math.Abs(e - a) <= allowed;
        }

        return string.Equals(Convert.ToString(expected, CultureInfo.InvariantCulture), Convert.ToString(actual.Value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static bool IsNumber(object value) => value is decimal or double or float or long or int or short or sbyte or byte or ulong or uint or ushort;

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture) + " (" + value.GetType().Name + ")",
        _ => value.ToString() + " (" + value.GetType().Name + ")",
    };
}
