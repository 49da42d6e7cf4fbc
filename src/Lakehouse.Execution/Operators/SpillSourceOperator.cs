using Apache.Arrow;
using Lakehouse.Execution.Spill;

namespace Lakehouse.Execution.Operators;

/// <summary>Reads back the batches spilled to one file (an input of a join over one spilled partition).</summary>
public sealed class SpillSourceOperator(SpillFile file, Schema schema) : PhysicalOperator
{
    public override Schema Schema => schema;

    public override IReadOnlyList<PhysicalOperator> Children => [];

    public override IAsyncEnumerable<RecordBatch> ExecuteAsync(CancellationToken cancellationToken) => file.ReadAsync(cancellationToken);

    public override IReadOnlyList<string> Describe() => ["SpillSource"];
}
