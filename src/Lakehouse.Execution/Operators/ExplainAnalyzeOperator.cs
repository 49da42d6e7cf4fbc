using System.Diagnostics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// EXPLAIN ANALYZE: runs the profiled plan to the end, discarding its rows, then returns the plan with
/// each operator's rows, batches, time and memory.
/// </summary>
public sealed class ExplainAnalyzeOperator : PhysicalOperator
{
    private static readonly Schema PlanSchema = new([new Field("Query Plan", StringType.Default, false)], null);
    private readonly PhysicalOperator _root;

    public ExplainAnalyzeOperator(PhysicalOperator root) => _root = root;

    public override Schema Schema => PlanSchema;

    public override IReadOnlyList<PhysicalOperator> Children => [_root];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        long rows = 0;
        await foreach (var batch in _root.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            rows += batch.Length;
        }

        var lines = new List<string>();
        _root.Explain(lines);
        lines.Add($"Total: {rows} rows in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        var builder = ColumnBuilder.Create(StringType.Default, lines.Count);
        foreach (var line in lines)
        {
            builder.AppendScalar(line);
        }

        yield return new RecordBatch(PlanSchema, [builder.Build()], lines.Count);
    }

    public override IReadOnlyList<string> Describe() => ["ExplainAnalyze"];
}
