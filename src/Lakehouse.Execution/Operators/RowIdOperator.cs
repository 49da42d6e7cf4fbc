using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Operators;

/// <summary>Appends a bigint column numbering the input's rows 0, 1, 2, ... in arrival order.</summary>
public sealed class RowIdOperator : PhysicalOperator
{
    private readonly PhysicalOperator _input;
    private readonly Schema _schema;

    public RowIdOperator(PhysicalOperator input, Schema schema)
    {
        _input = input;
        _schema = schema;
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = 0;
        await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var ids = new byte[batch.Length * sizeof(long)];
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(ids.AsSpan());
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = next++;
            }

            var columns = new IArrowArray[batch.ColumnCount + 1];
            for (int i = 0; i < batch.ColumnCount; i++)
            {
                columns[i] = batch.Column(i);
            }

            columns[^1] = ArrayFactory.Primitive(Apache.Arrow.Types.Int64Type.Default, ids, null, 0, batch.Length);
            yield return new RecordBatch(_schema, columns, batch.Length);
        }
    }

    public override IReadOnlyList<string> Describe() => ["RowId"];
}
