using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// GROUP BY with aggregates. NULL keys form their own group. Without group keys there is exactly one
/// output row, also over empty input (count 0, other aggregates NULL).
/// </summary>
public sealed class HashAggregateOperator : PhysicalOperator
{
    private const int OutputBatchRows = 8192;
    private readonly PhysicalOperator _input;
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateCall> _aggregates;
    private readonly Schema _schema;

    public HashAggregateOperator(PhysicalOperator input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> aggregates, Schema schema)
    {
        _input = input;
        _keys = keys;
        _aggregates = aggregates;
        _schema = schema;
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keyExpressions = ProjectOperator.Compile(_keys);
        var keyTypes = new IArrowType[_keys.Count];
        var keyBuilders = new ColumnBuilder[_keys.Count];
        for (int i = 0; i < keyTypes.Length; i++)
        {
            keyTypes[i] = _keys[i].Type;
            keyBuilders[i] = ColumnBuilder.Create(keyTypes[i]);
        }

        var arguments = new CompiledExpression?[_aggregates.Count];
        var accumulators = new Accumulator[_aggregates.Count];
        for (int i = 0; i < accumulators.Length; i++)
        {
            arguments[i] = _aggregates[i].Argument is { } argument ? CompiledExpression.Compile(argument) : null;
            accumulators[i] = Accumulator.Create(_aggregates[i]);
        }

        var table = new KeyTable();
        var encoder = new RowKeyEncoder(keyTypes);
        int groupCount = _keys.Count == 0 ? 1 : 0;
        var groups = new int[1024];
        await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            int length = batch.Length;
            if (length == 0)
            {
                continue;
            }

            if (groups.Length < length)
            {
                groups = new int[length];
            }

            if (_keys.Count > 0)
            {
                var keyColumns = new IArrowArray[keyExpressions.Length];
                for (int k = 0; k < keyColumns.Length; k++)
                {
                    keyColumns[k] = keyExpressions[k].Evaluate(batch);
                }

                for (int row = 0; row < length; row++)
                {
                    int group = table.GetOrAdd(encoder.Encode(keyColumns, row, out _), out bool added);
                    if (added)
                    {
                        for (int k = 0; k < keyColumns.Length; k++)
                        {
                            if (keyColumns[k].IsNull(row))
                            {
                                keyBuilders[k].AppendNull();
                            }
                            else
                            {
                                keyBuilders[k].AppendFrom(keyColumns[k], row);
                            }
                        }
                    }

                    groups[row] = group;
                }

                groupCount = table.Count;
            }
            else
            {
                System.Array.Clear(groups, 0, length);
            }

            for (int a = 0; a < accumulators.Length; a++)
            {
                var input = arguments[a]?.Evaluate(batch);
                accumulators[a].Accumulate(input, groups.AsSpan(0, length), groupCount);
            }
        }

        if (groupCount == 0)
        {
            yield break;
        }

        var columns = new IArrowArray[_keys.Count + _aggregates.Count];
        for (int k = 0; k < keyBuilders.Length; k++)
        {
            columns[k] = keyBuilders[k].Build();
        }

        for (int a = 0; a < accumulators.Length; a++)
        {
            columns[_keys.Count + a] = accumulators[a].Build(groupCount);
        }

        var result = new RecordBatch(_schema, columns, groupCount);
        for (int start = 0; start < groupCount; start += OutputBatchRows)
        {
            yield return ArrayFactory.Slice(result, start, Math.Min(OutputBatchRows, groupCount - start));
        }
    }

    public override IReadOnlyList<string> Describe()
    {
        var keys = new List<string>(_keys.Count);
        foreach (var key in _keys)
        {
            keys.Add(key.ToString());
        }

        var aggregates = new List<string>(_aggregates.Count);
        foreach (var aggregate in _aggregates)
        {
            aggregates.Add(aggregate.ToString());
        }

        return [$"HashAggregate keys=[{string.Join(", ", keys)}] aggregates=[{string.Join(", ", aggregates)}]"];
    }
}
