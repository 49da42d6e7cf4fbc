using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Operators;

/// <summary>Computes output columns from each input batch.</summary>
public sealed class ProjectOperator : PhysicalOperator
{
    private readonly PhysicalOperator _input;
    private readonly IReadOnlyList<BoundExpression> _expressions;
    private readonly Schema _schema;

    public ProjectOperator(PhysicalOperator input, IReadOnlyList<BoundExpression> expressions, Schema schema)
    {
        _input = input;
        _expressions = expressions;
        _schema = schema;
    }

    public override Schema Schema => _schema;

    public override IReadOnlyList<PhysicalOperator> Children => [_input];

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var compiled = Compile(_expressions);
        await foreach (var batch in _input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Apply(compiled, _schema, batch);
        }
    }

    public static CompiledExpression[] Compile(IReadOnlyList<BoundExpression> expressions)
    {
        var compiled = new CompiledExpression[expressions.Count];
        for (int i = 0; i < compiled.Length; i++)
        {
            compiled[i] = CompiledExpression.Compile(expressions[i]);
        }

        return compiled;
    }

    public static RecordBatch Apply(CompiledExpression[] expressions, Schema schema, RecordBatch batch) =>
        new(schema, Evaluate(expressions, batch), batch.Length);

    /// <summary>Each expression evaluated over the batch.</summary>
    public static IArrowArray[] Evaluate(CompiledExpression[] expressions, RecordBatch batch)
    {
        var columns = new IArrowArray[expressions.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = expressions[i].Evaluate(batch);
        }

        return columns;
    }

    public override IReadOnlyList<string> Describe()
    {
        var parts = new List<string>(_expressions.Count);
        for (int i = 0; i < _expressions.Count; i++)
        {
            parts.Add($"{_schema.FieldsList[i].Name} := {_expressions[i]}");
        }

        return ["Project [" + string.Join(", ", parts) + "]"];
    }
}
