using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Operators;

namespace Lakehouse.Execution.Engine.Statements;

/// <summary>
/// Runs a statement's effect (a catalog change, a write) when its result is read, then returns the one
/// result batch. Nothing happens at planning time, so preparing a statement only to learn its schema
/// changes nothing.
/// </summary>
internal sealed class StatementOperator(
    Schema schema,
    string title,
    Func<CancellationToken, Task<RecordBatch>> run,
    PhysicalOperator? source = null) : PhysicalOperator
{
    public override Schema Schema => schema;

    public override IReadOnlyList<PhysicalOperator> Children => source is null ? [] : [source];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        yield return await run(cancellationToken).ConfigureAwait(false);
    }

    public override IReadOnlyList<string> Describe() => [title];
}
