using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>CROSS joins and joins without equality keys: every left row against every right row.</summary>
public sealed class NestedLoopJoinOperator : PhysicalOperator
{
    private const int ChunkRows = 8192;
    private readonly PhysicalOperator _left;
    private readonly PhysicalOperator _right;
    private readonly JoinType _joinType;
    private readonly BoundExpression? _condition;
    private readonly Schema _schema;
    private readonly Schema _pairSchema;

    public NestedLoopJoinOperator(PhysicalOperator left, PhysicalOperator right, JoinType joinType, BoundExpression? condition, Schema schema)
    {
        _left = left;
        _right = right;
        _joinType = joinType;
        _condition = condition;
        _schema = schema;
        _pairSchema = JoinSupport.PairSchema(left.Schema, right.Schema);
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_left, _right];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buildBatches = new List<RecordBatch>();
        await foreach (var batch in _right.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Length > 0)
            {
                buildBatches.Add(batch);
            }
        }

        var build = JoinSupport.CollectAll(_right.Schema, buildBatches);
        bool emitUnmatchedLeft = _joinType is JoinType.Left or JoinType.Full or JoinType.Single;
        bool emitUnmatchedRight = _joinType is JoinType.Right or JoinType.Full;
        var rightMatched = emitUnmatchedRight ? new bool[build.Length] : null;
        var condition = _condition is null || _condition is Literal { Value: true } ? null : CompiledExpression.Compile(_condition);
        var leftRows = new int[ChunkRows];
        var rightRows = new int[ChunkRows];

        if (JoinSupport.KeepsOnlyLeft(_joinType))
        {
            await foreach (var probe in _left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                if (probe.Length == 0)
                {
                    continue;
                }

                var output = ProbeLeftOnly(probe, build, condition, leftRows, rightRows, cancellationToken);
                if (output is not null)
                {
                    yield return output;
                }
            }

            yield break;
        }

        await foreach (var probe in _left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (probe.Length == 0)
            {
                continue;
            }

            var leftMatched = emitUnmatchedLeft ? new bool[probe.Length] : null;
            int count = 0;
            for (int row = 0; row < probe.Length; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int match = 0; match < build.Length; match++)
                {
                    leftRows[count] = row;
                    rightRows[count] = match;
                    count++;
                    if (count == ChunkRows)
                    {
                        var output = Flush(condition, probe, build, leftRows, rightRows, count, leftMatched, rightMatched);
                        count = 0;
                        if (output is not null)
                        {
                            yield return output;
                        }
                    }
                }
            }

            var last = Flush(condition, probe, build, leftRows, rightRows, count, leftMatched, rightMatched);
            if (last is not null)
            {
                yield return last;
            }

            if (leftMatched is not null && JoinSupport.EmitUnmatched(_schema, probe, build, leftMatched, leftSide: true) is { } unmatchedLeft)
            {
                yield return unmatchedLeft;
            }
        }

        if (rightMatched is not null && JoinSupport.EmitUnmatched(_schema, ArrayFactory.EmptyBatch(_left.Schema), build, rightMatched, leftSide: false) is { } unmatchedRight)
        {
            yield return unmatchedRight;
        }
    }

    /// <summary>Semi, anti and mark joins: every left row against every right row until one matches.</summary>
    private RecordBatch? ProbeLeftOnly(RecordBatch probe, RecordBatch build, CompiledExpression? condition, int[] leftRows, int[] rightRows, CancellationToken cancellationToken)
    {
        var matched = new bool[probe.Length];
        var unknown = _joinType == JoinType.NullAwareMark ? new bool[probe.Length] : null;
        if (condition is null)
        {
            System.Array.Fill(matched, build.Length > 0);
            return JoinSupport.EmitLeftOnly(_joinType, _schema, probe, matched, unknown);
        }

        int count = 0;
        for (int row = 0; row < probe.Length; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int match = 0; match < build.Length; match++)
            {
                leftRows[count] = row;
                rightRows[count] = match;
                count++;
                if (count == ChunkRows)
                {
                    JoinSupport.MarkMatches(condition, _pairSchema, probe, build, leftRows, rightRows, count, matched, unknown);
                    count = 0;
                }
            }
        }

        JoinSupport.MarkMatches(condition, _pairSchema, probe, build, leftRows, rightRows, count, matched, unknown);
        return JoinSupport.EmitLeftOnly(_joinType, _schema, probe, matched, unknown);
    }

    private RecordBatch? Flush(CompiledExpression? condition, RecordBatch probe, RecordBatch build, int[] leftRows, int[] rightRows, int count, bool[]? leftMatched, bool[]? rightMatched) =>
        JoinSupport.EmitMatches(_joinType, _schema, _pairSchema, condition, probe, build, leftRows, rightRows, count, leftMatched, rightMatched);

    public override IReadOnlyList<string> Describe() =>
        [$"NestedLoopJoin {_joinType}" + (_condition is null ? string.Empty : " on " + _condition)];
}
