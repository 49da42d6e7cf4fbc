using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace Lakehouse.Execution.Operators;

/// <summary>UNION ALL: the batches of every input in turn, under the first input's schema.</summary>
public sealed class UnionOperator(IReadOnlyList<PhysicalOperator> inputs) : PhysicalOperator
{
    public override Schema Schema => inputs[0].Schema;

    public override IReadOnlyList<PhysicalOperator> Children => inputs;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var input in inputs)
        {
            await foreach (var batch in input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                var columns = new IArrowArray[batch.ColumnCount];
                for (int i = 0; i < columns.Length; i++)
                {
                    columns[i] = batch.Column(i);
                }

                yield return new RecordBatch(Schema, columns, batch.Length);
            }
        }
    }

    public override IReadOnlyList<string> Describe() => ["Union all"];
}
