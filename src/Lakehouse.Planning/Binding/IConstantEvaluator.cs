using Lakehouse.Planning.Expressions;

namespace Lakehouse.Planning.Binding;

/// <summary>Evaluates an expression without column references to a scalar, for constant folding.</summary>
public interface IConstantEvaluator
{
    /// <summary>The value in the engine's scalar form, or throws when evaluation fails.</summary>
    object? Evaluate(BoundExpression expression);
}
