using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Apache.Arrow;
using Lakehouse.Execution.Distributed;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Coordinator side of a scan: cuts the splits into fragments, sends them to the workers
/// (several in flight at once) and merges the batches they stream back.
/// </summary>
public sealed class RemoteScanOperator : PhysicalOperator
{
    private readonly ITableProvider _provider;
    private readonly ScanRequest _request;
    private readonly ScanPlan _plan;
    private readonly BoundExpression? _filter;
    private readonly IReadOnlyList<BoundExpression>? _projections;
    private readonly Schema _schema;
    private readonly IReadOnlyList<IWorkerClient> _workers;
    private readonly int _maxInFlight;

    public RemoteScanOperator(ITableProvider provider, ScanRequest request, ScanPlan plan, BoundExpression? filter, IReadOnlyList<BoundExpression>? projections, Schema schema, IReadOnlyList<IWorkerClient> workers, int maxInFlight, bool preserveOrder = true)
    {
        PreserveOrder = preserveOrder;
        if (workers.Count == 0)
        {
            throw new ExecutionException(ExecutionException.InvalidArgument, "the query engine has no workers to run the scan");
        }

        _provider = provider;
        _request = request;
        _plan = plan;
        _filter = filter;
        _projections = projections;
        _schema = schema;
        _workers = workers;
        _maxInFlight = Math.Max(1, maxInFlight);
    }

    public override Schema Schema => _schema;

    /// <summary>Batches a fragment may produce ahead of the reader in split order: enough for a short run of splits.</summary>
    private const int OrderedBufferBatches = 16;

    /// <summary>
    /// Whether batches come out in split order. Where the consumer does not care (an aggregation, a sort,
    /// a join's build side), batches come out as fragments produce them, so no fragment waits for another.
    /// </summary>
    public bool PreserveOrder { get; }

    public override IReadOnlyList<PhysicalOperator> Children => [];

    /// <summary>The fragments to run, one per group of splits, spread round-robin.</summary>
    public IReadOnlyList<ScanFragment> CreateFragments()
    {
        // Each fragment takes a contiguous run of splits. In split order, a fragment that runs ahead of the
        // one being read buffers its output, so the runs are short there.
        var splits = _plan.Splits;
        int fragmentCount = Math.Min(splits.Count, Math.Max(_maxInFlight, _workers.Count) * (PreserveOrder ? 16 : 4));
        var groups = new List<ScanSplit>[fragmentCount];
        for (int i = 0; i < fragmentCount; i++)
        {
            groups[i] = [];
        }

        for (int i = 0; i < splits.Count; i++)
        {
            groups[(int)((long)i * fragmentCount / splits.Count)].Add(splits[i]);
        }

        var fragments = new List<ScanFragment>(fragmentCount);
        foreach (var group in groups)
        {
            fragments.Add(new ScanFragment(group, _plan.OutputSchema, _filter, _projections, _schema));
        }

        return fragments;
    }

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fragments = CreateFragments();
        if (fragments.Count == 0)
        {
            yield break;
        }

        // Fragments run concurrently. In order: each fragment writes to its own small buffer and the
        // buffers are read one after the other. Unordered: all fragments write to one buffer.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outputs = new Channel<RecordBatch>[PreserveOrder ? fragments.Count : 1];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = PreserveOrder
                ? Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(OrderedBufferBatches) { SingleReader = true, SingleWriter = true })
                : Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(4 * _maxInFlight) { SingleReader = true });
        }

        var producer = RunFragmentsAsync(fragments, outputs, stop.Token);
        try
        {
            foreach (var output in outputs)
            {
                await foreach (var batch in output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early (e.g. LIMIT); the workers were told to stop.
            }
        }
    }

    private async Task RunFragmentsAsync(IReadOnlyList<ScanFragment> fragments, Channel<RecordBatch>[] outputs, CancellationToken ct)
    {
        Exception? failure = null;
        var tasks = new List<Task>(fragments.Count);
        try
        {
            using var gate = new SemaphoreSlim(_maxInFlight);
            for (int i = 0; i < fragments.Count; i++)
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                var worker = _workers[i % _workers.Count];
                var payload = FragmentSerializer.Serialize(fragments[i]);
                var writer = outputs[PreserveOrder ? i : 0].Writer;
                bool ownsWriter = PreserveOrder;
                tasks.Add(Task.Run(
                    async () =>
                    {
                        Exception? fragmentFailure = null;
                        try
                        {
                            await foreach (var batch in worker.ExecuteAsync(payload, ct).ConfigureAwait(false))
                            {
                                await writer.WriteAsync(batch, ct).ConfigureAwait(false);
                            }
                        }
                        catch (Exception e)
                        {
                            fragmentFailure = e;
                            throw;
                        }
                        finally
                        {
                            if (ownsWriter || (fragmentFailure is not null and not OperationCanceledException))
                            {
                                writer.TryComplete(fragmentFailure is OperationCanceledException ? null : fragmentFailure);
                            }

                            gate.Release();
                        }
                    },
                    ct));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Fragments that never started (cancellation, a failure elsewhere) end their buffers too, so no reader waits forever.
        foreach (var output in outputs)
        {
            output.Writer.TryComplete(failure is OperationCanceledException ? null : failure);
        }

        if (failure is OperationCanceledException)
        {
            throw failure;
        }
    }

    public override IReadOnlyList<string> Describe()
    {
        var names = new List<string>(_request.Columns.Count);
        foreach (int column in _request.Columns)
        {
            names.Add(_provider.Schema.FieldsList[column].Name);
        }

        var lines = new List<string>
        {
            $"RemoteScan {_provider.DisplayName}",
            $"columns=[{string.Join(", ", names)}]",
        };
        if (_request.Filter is not null)
        {
            lines.Add("pushdown=" + Planning.Logical.PushdownText.Describe(_request.Filter, _provider.Schema));
        }

        if (_request.Limit is not null)
        {
            lines.Add($"limit={_request.Limit}");
        }

        if (_filter is not null)
        {
            lines.Add("filter " + _filter);
        }

        if (_projections is not null)
        {
            var parts = new List<string>(_projections.Count);
            for (int i = 0; i < _projections.Count; i++)
            {
                parts.Add($"{_schema.FieldsList[i].Name} := {_projections[i]}");
            }

            lines.Add("project [" + string.Join(", ", parts) + "]");
        }

        lines.Add($"splits={_plan.Splits.Count} workers={_workers.Count}");
        foreach (var line in _plan.Explain)
        {
            lines.Add(line);
        }

        return lines;
    }
}
