using Apache.Arrow;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// Arithmetic that several aggregate arguments repeat (Q1's <c>l_extendedprice * (1 - l_discount)</c> under
/// two sums) is evaluated once per batch: it becomes an extra column appended to the batch, and the
/// arguments read that column instead.
/// </summary>
internal sealed class SharedArguments
{
    private readonly CompiledExpression[] _shared;
    private readonly Schema? _extendedSchema;

    private SharedArguments(IReadOnlyList<BoundExpression?> arguments, CompiledExpression[] shared, Schema? extendedSchema)
    {
        Arguments = arguments;
        _shared = shared;
        _extendedSchema = extendedSchema;
    }

    /// <summary>The arguments, reading shared columns where they repeated arithmetic.</summary>
    public IReadOnlyList<BoundExpression?> Arguments { get; }

    public static SharedArguments Create(Schema input, IReadOnlyList<BoundExpression?> arguments)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            if (argument is not null)
            {
                Count(argument, counts);
            }
        }

        var sharedKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var sharedExpressions = new List<BoundExpression>();
        var rewritten = new BoundExpression?[arguments.Count];
        int width = input.FieldsList.Count;
        for (int i = 0; i < rewritten.Length; i++)
        {
            rewritten[i] = arguments[i] is { } argument ? Replace(argument, counts, sharedKeys, sharedExpressions, width) : null;
        }

        if (sharedExpressions.Count == 0)
        {
            return new SharedArguments(arguments, [], null);
        }

        var fields = new List<Field>(input.FieldsList);
        var compiled = new CompiledExpression[sharedExpressions.Count];
        for (int i = 0; i < compiled.Length; i++)
        {
            compiled[i] = CompiledExpression.Compile(sharedExpressions[i]);
            fields.Add(new Field($"$shared{i}", sharedExpressions[i].Type, nullable: true));
        }

        return new SharedArguments(rewritten, compiled, new Schema(fields, null));
    }

    /// <summary>The batch with the shared columns appended (the batch itself when nothing is shared).</summary>
    public RecordBatch Extend(RecordBatch batch)
    {
        if (_extendedSchema is null)
        {
            return batch;
        }

        var columns = new IArrowArray[batch.ColumnCount + _shared.Length];
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            columns[c] = batch.Column(c);
        }

        for (int s = 0; s < _shared.Length; s++)
        {
            columns[batch.ColumnCount + s] = _shared[s].Evaluate(batch);
        }

        return new RecordBatch(_extendedSchema, columns, batch.Length);
    }

    private static bool Shareable(BoundExpression expression) =>
        expression is CallExpression { Function: (>= ScalarFunction.Add and <= ScalarFunction.Modulo) or ScalarFunction.Negate } or CastExpression;

    private static string Key(BoundExpression expression) => expression + " :: " + SqlTypes.Display(expression.Type);

    private static void Count(BoundExpression expression, Dictionary<string, int> counts)
    {
        if (Shareable(expression))
        {
            var key = Key(expression);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        foreach (var child in expression.Children)
        {
            Count(child, counts);
        }
    }

    /// <summary>Top-down, so the largest repeated subtree is the one shared.</summary>
    private static BoundExpression Replace(BoundExpression expression, Dictionary<string, int> counts, Dictionary<string, int> sharedKeys, List<BoundExpression> shared, int width)
    {
        if (Shareable(expression) && counts.GetValueOrDefault(Key(expression)) > 1)
        {
            var key = Key(expression);
            if (!sharedKeys.TryGetValue(key, out int index))
            {
                index = shared.Count;
                sharedKeys[key] = index;
                shared.Add(expression);
            }

            return new ColumnReference(width + index, expression.Type, $"$shared{index}");
        }

        var children = expression.Children;
        if (children.Count == 0)
        {
            return expression;
        }

        var replaced = new BoundExpression[children.Count];
        bool changed = false;
        for (int i = 0; i < replaced.Length; i++)
        {
            replaced[i] = Replace(children[i], counts, sharedKeys, shared, width);
            changed |= !ReferenceEquals(replaced[i], children[i]);
        }

        return changed ? expression.WithChildren(replaced) : expression;
    }
}
