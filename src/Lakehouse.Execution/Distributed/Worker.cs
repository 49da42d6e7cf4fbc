using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Connectors;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Operators;

namespace Lakehouse.Execution.Distributed;

/// <summary>Runs serialized scan fragments: reads their splits and applies the fragment's filter and projection.</summary>
public sealed class Worker
{
    private readonly SplitReaderRegistry _readers;

    public Worker(SplitReaderRegistry readers) => _readers = readers;

    public async IAsyncEnumerable<RecordBatch> ExecuteAsync(byte[] serializedFragment, [EnumeratorCancellation] CancellationToken ct)
    {
        var fragment = FragmentSerializer.Deserialize(serializedFragment);
        var filter = fragment.Filter is null ? null : CompiledExpression.Compile(fragment.Filter);
        var projections = fragment.Projections is null ? null : ProjectOperator.Compile(fragment.Projections);

        // Columns only the filter reads need not be copied to the filtered batch.
        bool[]? needed = null;
        if (fragment.Projections is not null && fragment.Filter is not null)
        {
            needed = new bool[fragment.ScanSchema.FieldsList.Count];
            foreach (var projection in fragment.Projections)
            {
                foreach (int column in Lakehouse.Planning.Optimizer.ExpressionColumns.Of(projection))
                {
                    if (column < needed.Length)
                    {
                        needed[column] = true;
                    }
                }
            }
        }
        foreach (var split in fragment.Splits)
        {
            ISplitReader reader;
            try
            {
                reader = _readers.Get(split.ConnectorId);
            }
            catch (InvalidOperationException e)
            {
                throw new ExecutionException(ExecutionException.InvalidFragment, e.Message, e);
            }

            await foreach (var batch in reader.ReadAsync(split, ct).ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                if (batch.Length == 0)
                {
                    continue;
                }

                var current = batch;
                if (filter is not null)
                {
                    current = FilterOperator.Apply(filter, current, needed);
                    if (current.Length == 0)
                    {
                        continue;
                    }
                }

                yield return projections is null
                    ? Rebind(current, fragment.OutputSchema)
                    : ProjectOperator.Apply(projections, fragment.OutputSchema, current);
            }
        }
    }

    /// <summary>The batch under the fragment's output schema (names as the plan expects).</summary>
    private static RecordBatch Rebind(RecordBatch batch, Schema schema)
    {
        if (ReferenceEquals(batch.Schema, schema))
        {
            return batch;
        }

        if (batch.ColumnCount != schema.FieldsList.Count)
        {
            throw new ExecutionException(ExecutionException.InvalidFragment, $"split produced {batch.ColumnCount} columns, the fragment expects {schema.FieldsList.Count}");
        }

        var columns = new IArrowArray[batch.ColumnCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = batch.Column(i);
        }

        return new RecordBatch(schema, columns, batch.Length);
    }
}
