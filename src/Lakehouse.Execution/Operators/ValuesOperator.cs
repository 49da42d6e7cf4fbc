using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace Lakehouse.Execution.Operators;

/// <summary>Constant rows.</summary>
public sealed class ValuesOperator(Schema schema, IReadOnlyList<RecordBatch> batches) : PhysicalOperator
{
    public override Schema Schema => schema;

    public override IReadOnlyList<PhysicalOperator> Children => [];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return batch;
        }
    }

    public override IReadOnlyList<string> Describe()
    {
        long rows = 0;
        foreach (var batch in batches)
        {
            rows += batch.Length;
        }

        return [$"Values rows={rows}"];
    }
}
