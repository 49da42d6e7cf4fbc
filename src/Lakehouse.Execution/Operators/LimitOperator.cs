using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Operators;

/// <summary>Skips <c>offset</c> rows, then passes at most <c>count</c> rows and stops reading its input.</summary>
public sealed class LimitOperator(PhysicalOperator input, long offset, long? count) : PhysicalOperator
{
    public override Schema Schema => input.Schema;

    public override IReadOnlyList<PhysicalOperator> Children => [input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long toSkip = offset;
        long remaining = count ?? long.MaxValue;
        if (remaining == 0)
        {
            yield break;
        }

        await foreach (var batch in input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            int start = 0;
            if (toSkip > 0)
            {
                int skip = (int)Math.Min(toSkip, batch.Length);
                toSkip -= skip;
                start = skip;
            }

            int take = (int)Math.Min(remaining, batch.Length - start);
            if (take > 0)
            {
                remaining -= take;
                yield return ArrayFactory.Slice(batch, start, take);
            }

            if (remaining == 0)
            {
                yield break;
            }
        }
    }

    public override IReadOnlyList<string> Describe() => [$"Limit offset={offset} count={(count is null ? "all" : count.ToString())}"];
}
