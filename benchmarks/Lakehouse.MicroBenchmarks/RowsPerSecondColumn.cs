using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// Millions of input rows per second. Every benchmark here counts one operation per input row
/// (OperationsPerInvoke), so this is the reciprocal of the mean time per operation.
/// </summary>
public sealed class RowsPerSecondColumn : IColumn
{
    public static readonly RowsPerSecondColumn Instance = new();

    public string Id => nameof(RowsPerSecondColumn);

    public string ColumnName => "Mrows/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Millions of input rows processed per second (1000 / mean ns per row)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || statistics.Mean <= 0)
        {
            return "NA";
        }

        return (1000.0 / statistics.Mean).ToString("0.0", CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
