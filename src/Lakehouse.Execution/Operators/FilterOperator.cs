using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Operators;

/// <summary>Keeps the rows where the predicate is true.</summary>
public sealed class FilterOperator : PhysicalOperator
{
    private readonly PhysicalOperator _input;
    private readonly BoundExpression _predicate;

    public FilterOperator(PhysicalOperator input, BoundExpression predicate)
    {
        _input = input;
        _predicate = predicate;
    }

    public override Schema Schema => _input.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var predicate = CompiledExpression.Compile(_predicate);
        await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var filtered = Apply(predicate, batch);
            if (filtered.Length > 0)
            {
                yield return filtered;
            }
        }
    }

    public static RecordBatch Apply(CompiledExpression predicate, RecordBatch batch)
    {
        if (batch.Length == 0)
        {
            return batch;
        }

        var mask = predicate.Evaluate(batch);
        var rows = Bitmaps.TrueIndexes(mask, out int count);
        if (count == batch.Length)
        {
            return batch;
        }

        return ArrayFactory.Take(batch, rows.AsSpan(0, count));
    }

    public override IReadOnlyList<string> Describe() => ["Filter " + _predicate];
}
