using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Window functions: materializes the input, then for each distinct window (PARTITION BY and ORDER BY)
/// sorts the rows once and computes every call over that window. Output: the input rows in their
/// arrival order with one column per call appended. The materialized rows count against the query's memory.
/// </summary>
public sealed class WindowOperator : PhysicalOperator, IMemoryReporting
{
    private const int OutputBatchRows = 8192;
    private readonly PhysicalOperator _input;
    private readonly IReadOnlyList<WindowCall> _calls;
    private readonly Schema _schema;
    private readonly QueryMemory _memory;
    private long _peakBytes;

    public WindowOperator(PhysicalOperator input, IReadOnlyList<WindowCall> calls, Schema schema, QueryMemory? memory = null)
    {
        _input = input;
        _calls = calls;
        _schema = schema;
        _memory = memory ?? QueryMemory.Unlimited;
    }

    public long PeakMemoryBytes => _peakBytes;

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new List<RecordBatch>();
        long reserved = 0;
        try
        {
            await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                if (batch.Length > 0)
                {
                    pending.Add(batch);
                    reserved += Reserve(ArrowSizes.Of(batch), reserved);
                }
            }

            if (pending.Count == 0)
            {
                yield break;
            }

            var input = ArrayFactory.Concatenate(_input.Schema, pending);
            pending.Clear();
            var results = Compute(input, cancellationToken);
            var columns = new IArrowArray[input.ColumnCount + results.Length];
            for (int i = 0; i < input.ColumnCount; i++)
            {
                columns[i] = input.Column(i);
            }

            results.CopyTo(columns, input.ColumnCount);
            var output = new RecordBatch(_schema, columns, input.Length);
            long outputBytes = ArrowSizes.Of(output);
            if (outputBytes > reserved)
            {
                // Concatenating copies the rows and the window columns come on top: account for what the output holds beyond the input batches.
                reserved += Reserve(outputBytes - reserved, reserved);
            }

            for (int start = 0; start < output.Length; start += OutputBatchRows)
            {
                yield return ArrayFactory.Slice(output, start, Math.Min(OutputBatchRows, output.Length - start));
            }
        }
        finally
        {
            _memory.Release(reserved);
        }
    }

    private long Reserve(long bytes, long alreadyReserved)
    {
        _memory.Reserve(bytes, "Window");
        _peakBytes = Math.Max(_peakBytes, alreadyReserved + bytes);
        return bytes;
    }

    private IArrowArray[] Compute(RecordBatch input, CancellationToken cancellationToken)
    {
        var results = new IArrowArray[_calls.Count];
        var done = new bool[_calls.Count];
        for (int first = 0; first < _calls.Count; first++)
        {
            if (done[first])
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var window = _calls[first].WindowText();
            var layout = WindowLayout.Build(input, _calls[first]);
            var frames = new Dictionary<string, WindowFrames>(StringComparer.Ordinal);
            for (int i = first; i < _calls.Count; i++)
            {
                var call = _calls[i];
                if (done[i] || call.WindowText() != window)
                {
                    continue;
                }

                WindowFrames? frame = null;
                if (call.UsesFrame)
                {
                    var frameText = call.Frame.ToString();
                    if (!frames.TryGetValue(frameText, out frame))
                    {
                        frame = WindowFrames.Compute(layout, call.Frame, call.OrderKeys);
                        frames.Add(frameText, frame);
                    }
                }

                var arguments = new IArrowArray[call.Arguments.Count];
                for (int a = 0; a < arguments.Length; a++)
                {
                    arguments[a] = CompiledExpression.Compile(call.Arguments[a]).Evaluate(input);
                }

                results[i] = WindowFunctions.Compute(call, layout, frame, arguments);
                done[i] = true;
            }
        }

        return results;
    }

    public override IReadOnlyList<string> Describe()
    {
        var lines = new List<string>(_calls.Count + 1) { "Window" };
        foreach (var call in _calls)
        {
            lines.Add(call.ToString());
        }

        return lines;
    }
}
