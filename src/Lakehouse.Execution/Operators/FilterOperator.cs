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

    public static RecordBatch Apply(CompiledExpression predicate, RecordBatch batch) => Apply(predicate, batch, null);

    /// <summary>
    /// The rows of <paramref name="batch"/> the predicate keeps. Columns not in <paramref name="needed"/> (when given)
    /// are not copied: they come back as NULL columns, for a projection that does not read them.
    /// </summary>
    public static RecordBatch Apply(CompiledExpression predicate, RecordBatch batch, bool[]? needed)
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

        if (needed is null)
        {
            return ArrayFactory.Take(batch, rows.AsSpan(0, count));
        }

        var columns = new IArrowArray[batch.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = c < needed.Length && needed[c]
                ? ArrayFactory.Take(batch.Column(c), batch.Schema.FieldsList[c].DataType, rows.AsSpan(0, count))
                : new NullArray(count);
        }

        return new RecordBatch(batch.Schema, columns, count);
    }

    public override IReadOnlyList<string> Describe() => ["Filter " + _predicate];
}
