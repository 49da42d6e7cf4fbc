using Apache.Arrow;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Engine;

/// <summary>Evaluates a column-free expression with the same kernels that run queries, so folding never disagrees with execution.</summary>
public sealed class ConstantEvaluator : IConstantEvaluator
{
    private static readonly RecordBatch SingleRow = new(new Schema([], null), [], 1);

    public static ConstantEvaluator Instance { get; } = new();

    public object? Evaluate(BoundExpression expression)
    {
        if (expression is Literal literal)
        {
            return literal.Value;
        }

        var result = CompiledExpression.Compile(expression).Evaluate(SingleRow);
        return ScalarReader.Get(result, 0);
    }
}
