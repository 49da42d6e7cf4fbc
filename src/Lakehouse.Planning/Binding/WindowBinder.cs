using Apache.Arrow.Types;
using Lakehouse.Planning.Binding.Functions;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Optimizer;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;
using AstCase = Lakehouse.Sql.Ast.CaseExpression;
using AstCast = Lakehouse.Sql.Ast.CastExpression;
using AstFrame = Lakehouse.Sql.Ast.WindowFrame;

namespace Lakehouse.Planning.Binding;

/// <summary>
/// Binds the window function calls of one SELECT block (<c>f(...) OVER (...)</c> and <c>OVER name</c>
/// with the block's WINDOW clause). Each distinct call becomes a column of a <see cref="WindowNode"/>
/// placed after aggregation and HAVING; while the block is bound a call stands for a placeholder column
/// (negative index) that <see cref="Apply"/> turns into the window node's column.
/// </summary>
public sealed class WindowBinder
{
    private readonly Dictionary<string, WindowDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly IConstantEvaluator _evaluator;
    private readonly List<WindowCall> _calls = [];
    private readonly List<string> _signatures = [];
    private bool _binding;

    public WindowBinder(IReadOnlyList<WindowDefinition> definitions, IConstantEvaluator evaluator)
    {
        _evaluator = evaluator;
        foreach (var definition in definitions)
        {
            if (!_definitions.TryAdd(definition.Name.Value, definition))
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{definition.Span}: window '{definition.Name.Text}' is defined more than once");
            }
        }
    }

    public IReadOnlyList<WindowCall> Calls => _calls;

    /// <summary>Binds a call with OVER using <paramref name="binder"/> (the block's binder) for its arguments and keys.</summary>
    internal BoundExpression Bind(FunctionCall call, ExpressionBinder binder)
    {
        if (_binding)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: window function calls cannot be nested in the arguments or window of another window function");
        }

        _binding = true;
        WindowCall bound;
        try
        {
            bound = BindCall(call, binder);
        }
        finally
        {
            _binding = false;
        }

        var signature = bound + ":" + SqlTypes.Display(bound.Type);
        int index = _signatures.IndexOf(signature);
        if (index < 0)
        {
            index = _calls.Count;
            _signatures.Add(signature);
            _calls.Add(bound);
        }

        return new ColumnReference(-1 - index, bound.Type, NameOf(index));
    }

    private static string NameOf(int index) => "$window" + index;

    /// <summary>
    /// Puts a window node over <paramref name="plan"/> when calls were bound, and rewrites the placeholders in
    /// <paramref name="expressions"/> (over <paramref name="plan"/>'s columns) to the window node's columns.
    /// </summary>
    public LogicalPlan Apply(LogicalPlan plan, List<BoundExpression> expressions)
    {
        if (_calls.Count == 0)
        {
            return plan;
        }

        int width = plan.Columns.Count;
        for (int i = 0; i < expressions.Count; i++)
        {
            expressions[i] = ExpressionColumns.Rewrite(
                expressions[i],
                reference => reference.Index < 0 ? reference with { Index = width - 1 - reference.Index } : reference);
        }

        var names = new List<string>(_calls.Count);
        for (int i = 0; i < _calls.Count; i++)
        {
            names.Add(NameOf(i));
        }

        return new WindowNode(plan, _calls, names);
    }

    /// <summary>Fails when <paramref name="expression"/> holds a window function call; <paramref name="clause"/> names where it is.</summary>
    public static void RejectWindowCalls(Expression? expression, string clause)
    {
        var found = FindWindowCall(expression);
        if (found is not null)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{found.Span}: {clause} cannot contain window functions ({found.Name.Value} OVER ...)");
        }
    }

    public static bool ContainsWindowCall(Expression? expression) => FindWindowCall(expression) is not null;

    /// <summary>Whether the PARTITION BY or ORDER BY of an OVER clause holds an aggregate of the query.</summary>
    public static bool SpecContainsAggregate(WindowSpec? spec)
    {
        if (spec is null)
        {
            return false;
        }

        foreach (var key in spec.PartitionBy)
        {
            if (ExpressionBinder.ContainsAggregate(key))
            {
                return true;
            }
        }

        foreach (var item in spec.OrderBy)
        {
            if (ExpressionBinder.ContainsAggregate(item.Expression))
            {
                return true;
            }
        }

        return false;
    }

    private static FunctionCall? FindWindowCall(Expression? expression)
    {
        switch (expression)
        {
            case null:
                return null;
            case FunctionCall { Over: not null } call:
                return call;
            case FunctionCall call:
                return FindIn(call.Arguments) ?? FindWindowCall(call.Filter);
            case BinaryExpression binary:
                return FindWindowCall(binary.Left) ?? FindWindowCall(binary.Right);
            case UnaryExpression unary:
                return FindWindowCall(unary.Operand);
            case IsNullExpression isNull:
                return FindWindowCall(isNull.Operand);
            case IsDistinctFromExpression distinct:
                return FindWindowCall(distinct.Left) ?? FindWindowCall(distinct.Right);
            case BetweenExpression between:
                return FindWindowCall(between.Operand) ?? FindWindowCall(between.Low) ?? FindWindowCall(between.High);
            case InListExpression inList:
                return FindWindowCall(inList.Operand) ?? FindIn(inList.Values);
            case InSubqueryExpression inSubquery:
                return FindWindowCall(inSubquery.Operand);
            case QuantifiedComparison quantified:
                return FindWindowCall(quantified.Operand);
            case LikeExpression like:
                return FindWindowCall(like.Operand) ?? FindWindowCall(like.Pattern) ?? FindWindowCall(like.Escape);
            case AstCase caseExpression:
            {
                var found = FindWindowCall(caseExpression.Operand) ?? FindWindowCall(caseExpression.Else);
                foreach (var clause in caseExpression.WhenClauses)
                {
                    found ??= FindWindowCall(clause.Condition) ?? FindWindowCall(clause.Result);
                }

                return found;
            }

            case AstCast cast:
                return FindWindowCall(cast.Operand);
            case ExtractExpression extract:
                return FindWindowCall(extract.Operand);
            case AtTimeZoneExpression atTimeZone:
                return FindWindowCall(atTimeZone.Operand) ?? FindWindowCall(atTimeZone.Zone);
            case RowConstructor row:
                return FindIn(row.Items);
            case ArrayConstructor array:
                return FindIn(array.Items);
            case SubscriptExpression subscript:
                return FindWindowCall(subscript.Base) ?? FindWindowCall(subscript.Index);
            case DereferenceExpression dereference:
                return FindWindowCall(dereference.Base);
            case TrimExpression trim:
                return FindWindowCall(trim.Characters) ?? FindWindowCall(trim.Source);
            default:
                return null;
        }
    }

    private static FunctionCall? FindIn(IReadOnlyList<Expression> expressions)
    {
        foreach (var expression in expressions)
        {
            if (FindWindowCall(expression) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private sealed record ResolvedWindow(IReadOnlyList<Expression> PartitionBy, IReadOnlyList<SortItem> OrderBy, AstFrame? Frame);

    /// <summary>Applies the rules for referring to a named window: a reference may add ORDER BY and a frame, nothing else.</summary>
    private ResolvedWindow Resolve(WindowSpec spec, HashSet<string> visiting)
    {
        if (spec.ExistingWindowName is not { } name)
        {
            return new ResolvedWindow(spec.PartitionBy, spec.OrderBy, spec.Frame);
        }

        if (!_definitions.TryGetValue(name.Value, out var definition))
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{name.Span}: window '{name.Text}' is not defined in the WINDOW clause");
        }

        if (!visiting.Add(name.Value))
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{name.Span}: window '{name.Text}' refers to itself");
        }

        var inherited = Resolve(definition.Spec, visiting);
        visiting.Remove(name.Value);
        if (spec.PartitionBy.Count == 0 && spec.OrderBy.Count == 0 && spec.Frame is null)
        {
            return inherited;
        }

        if (spec.PartitionBy.Count > 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{spec.Span}: a window referring to '{name.Text}' cannot have its own PARTITION BY");
        }

        if (spec.OrderBy.Count > 0 && inherited.OrderBy.Count > 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{spec.Span}: window '{name.Text}' already has an ORDER BY");
        }

        if (inherited.Frame is not null)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{spec.Span}: window '{name.Text}' has a frame and cannot be refined");
        }

        return new ResolvedWindow(inherited.PartitionBy, spec.OrderBy.Count > 0 ? spec.OrderBy : inherited.OrderBy, spec.Frame);
    }

    private WindowCall BindCall(FunctionCall call, ExpressionBinder binder)
    {
        var name = call.Name.Value;
        var window = Resolve(call.Over!, new HashSet<string>(StringComparer.Ordinal));
        if (call.OrderBy.Count > 0)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{call.Span}: ORDER BY in the arguments of window function {name} is not supported");
        }

        if ((call.Distinct || call.Filter is not null) && !ExpressionBinder.IsAggregateName(name))
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: DISTINCT and FILTER apply only to aggregate functions, not to {name}");
        }

        var partition = new List<BoundExpression>(window.PartitionBy.Count);
        foreach (var key in window.PartitionBy)
        {
            partition.Add(ConstantFolder.Fold(binder.Bind(key), _evaluator));
        }

        var order = new List<SortKey>(window.OrderBy.Count);
        foreach (var item in window.OrderBy)
        {
            // Trino's default: NULLS LAST for both directions.
            order.Add(new SortKey(ConstantFolder.Fold(binder.Bind(item.Expression), _evaluator), !item.Descending, item.NullOrdering == NullOrdering.First));
        }

        var (function, arguments, type, aggregate) = ExpressionBinder.IsAggregateName(name)
            ? BindAggregate(call, name, binder)
            : BindFunction(call, name, binder);
        bool ignoreNulls = call.NullTreatment == NullTreatment.IgnoreNulls;
        if (ignoreNulls && function is not (WindowFunction.Lag or WindowFunction.Lead or WindowFunction.FirstValue or WindowFunction.LastValue or WindowFunction.NthValue))
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: IGNORE NULLS is only allowed for lag, lead, first_value, last_value and nth_value");
        }

        var frame = window.Frame is null ? WindowFrameSpec.Default : BindFrame(window.Frame, order);
        return new WindowCall(function, arguments, ignoreNulls, partition, order, frame, type) { Aggregate = aggregate };
    }

    /// <summary>
    /// An aggregate used as a window function. count, sum, avg, min and max (without DISTINCT) have dedicated
    /// algorithms and may take aggregates of the query as arguments; any other aggregate runs its accumulator per frame.
    /// </summary>
    private (WindowFunction Function, List<BoundExpression> Arguments, IArrowType Type, AggregateCall? Aggregate) BindAggregate(FunctionCall call, string name, ExpressionBinder binder)
    {
        bool overAggregates = ExpressionBinder.ContainsAggregate(call.Filter);
        foreach (var argument in call.Arguments)
        {
            overAggregates |= ExpressionBinder.ContainsAggregate(argument);
        }

        if (overAggregates)
        {
            if (call.Distinct || call.Filter is not null || name is not ("count" or "sum" or "avg" or "min" or "max"))
            {
                throw new PlanningException(PlanningException.NotSupported, $"{call.Span}: over aggregates of the query only count, sum, avg, min and max without DISTINCT or FILTER are supported as window functions");
            }

            return BindFunction(call, name, binder);
        }

        var aggregate = AggregateBinder.Bind(call with { Over = null }, binder, _evaluator);
        var arguments = new List<BoundExpression>(1);
        if (aggregate.Argument is { } bound)
        {
            bound = ConstantFolder.Fold(bound, _evaluator);
            aggregate = aggregate with { Argument = bound };
            arguments.Add(bound);
        }

        WindowFunction? dedicated = aggregate.Distinct ? null : aggregate.Function switch
        {
            AggregateFunction.CountStar => WindowFunction.CountStar,
            AggregateFunction.Count => WindowFunction.Count,
            AggregateFunction.Sum => WindowFunction.Sum,
            AggregateFunction.Avg => WindowFunction.Avg,
            AggregateFunction.Min => WindowFunction.Min,
            AggregateFunction.Max => WindowFunction.Max,
            _ => null,
        };
        return dedicated is { } function
            ? (function, arguments, aggregate.Type, null)
            : (WindowFunction.Aggregate, arguments, aggregate.Type, aggregate);
    }

    private (WindowFunction Function, List<BoundExpression> Arguments, IArrowType Type, AggregateCall? Aggregate) BindFunction(FunctionCall call, string name, ExpressionBinder binder)
    {
        var arguments = new List<BoundExpression>(call.Arguments.Count);
        foreach (var argument in call.Arguments)
        {
            arguments.Add(ConstantFolder.Fold(binder.Bind(argument), _evaluator));
        }

        switch (name)
        {
            case "row_number" or "rank" or "dense_rank" or "percent_rank" or "cume_dist":
            {
                ExpectArguments(call, arguments, 0, 0);
                var function = name switch
                {
                    "row_number" => WindowFunction.RowNumber,
                    "rank" => WindowFunction.Rank,
                    "dense_rank" => WindowFunction.DenseRank,
                    "percent_rank" => WindowFunction.PercentRank,
                    _ => WindowFunction.CumeDist,
                };
                return (function, arguments, function is WindowFunction.PercentRank or WindowFunction.CumeDist ? SqlTypes.Double : SqlTypes.BigInt, null);
            }

            case "ntile":
                ExpectArguments(call, arguments, 1, 1);
                arguments[0] = RequireInteger(call, arguments[0], "bucket count");
                return (WindowFunction.Ntile, arguments, SqlTypes.BigInt, null);
            case "lag" or "lead":
            {
                ExpectArguments(call, arguments, 1, 3);
                if (arguments.Count >= 2)
                {
                    arguments[1] = RequireInteger(call, arguments[1], "offset");
                }

                var type = arguments[0].Type;
                if (arguments.Count == 3)
                {
                    type = SqlTypes.CommonSuperType(type, arguments[2].Type)
                        ?? throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {name} default of type {SqlTypes.Display(arguments[2].Type)} does not match the value type {SqlTypes.Display(arguments[0].Type)}");
                    arguments[0] = ExpressionBinder.CastTo(arguments[0], type);
                    arguments[2] = ConstantFolder.Fold(ExpressionBinder.CastTo(arguments[2], type), _evaluator);
                }

                return (name == "lag" ? WindowFunction.Lag : WindowFunction.Lead, arguments, type, null);
            }

            case "first_value" or "last_value":
                ExpectArguments(call, arguments, 1, 1);
                return (name == "first_value" ? WindowFunction.FirstValue : WindowFunction.LastValue, arguments, arguments[0].Type, null);
            case "nth_value":
                ExpectArguments(call, arguments, 2, 2);
                arguments[1] = RequireInteger(call, arguments[1], "position");
                return (WindowFunction.NthValue, arguments, arguments[0].Type, null);
            case "count" when call.IsStar || arguments.Count == 0:
                return (WindowFunction.CountStar, [], SqlTypes.BigInt, null);
            case "count" or "sum" or "avg" or "min" or "max":
            {
                if (call.IsStar)
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: {name}(*) is not valid");
                }

                ExpectArguments(call, arguments, 1, 1);
                var argument = arguments[0];
                var aggregate = name switch
                {
                    "count" => AggregateFunction.Count,
                    "sum" => AggregateFunction.Sum,
                    "avg" => AggregateFunction.Avg,
                    "min" => AggregateFunction.Min,
                    _ => AggregateFunction.Max,
                };
                if (aggregate is AggregateFunction.Sum or AggregateFunction.Avg && !SqlTypes.IsNumeric(argument.Type) && argument.Type is not NullType)
                {
                    throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {name} is not defined for {SqlTypes.Display(argument.Type)}");
                }

                if (aggregate is AggregateFunction.Min or AggregateFunction.Max && argument.Type is NullType)
                {
                    argument = Literal.Null(SqlTypes.Integer);
                    arguments[0] = argument;
                }

                var function = aggregate switch
                {
                    AggregateFunction.Count => WindowFunction.Count,
                    AggregateFunction.Sum => WindowFunction.Sum,
                    AggregateFunction.Avg => WindowFunction.Avg,
                    AggregateFunction.Min => WindowFunction.Min,
                    _ => WindowFunction.Max,
                };
                return (function, arguments, AggregateCall.ResultType(aggregate, argument.Type), null);
            }

            default:
                throw new PlanningException(PlanningException.FunctionNotFound, $"{call.Span}: '{name}' is not a window function");
        }
    }

    private static void ExpectArguments(FunctionCall call, List<BoundExpression> arguments, int min, int max)
    {
        if (arguments.Count < min || arguments.Count > max || call.IsStar)
        {
            var expected = min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{min} to {max}";
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: {call.Name.Value} expects {expected} argument(s), got {arguments.Count}");
        }
    }

    private static BoundExpression RequireInteger(FunctionCall call, BoundExpression argument, string what)
    {
        if (!SqlTypes.IsInteger(argument.Type) && argument.Type is not NullType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} {what} must be an integer, found {SqlTypes.Display(argument.Type)}");
        }

        return ExpressionBinder.CastTo(argument, SqlTypes.BigInt);
    }

    private WindowFrameSpec BindFrame(AstFrame frame, List<SortKey> order)
    {
        var unit = frame.Unit switch
        {
            FrameUnit.Rows => WindowFrameUnit.Rows,
            FrameUnit.Range => WindowFrameUnit.Range,
            _ => WindowFrameUnit.Groups,
        };
        if (unit == WindowFrameUnit.Groups && order.Count == 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{frame.Span}: a GROUPS frame needs an ORDER BY in its window");
        }

        var start = BindBound(frame.Start, unit, order);
        var end = frame.End is null ? new WindowFrameBound(WindowBoundKind.CurrentRow, null) : BindBound(frame.End, unit, order);
        string? problem = (start.Kind, end.Kind) switch
        {
            (WindowBoundKind.UnboundedFollowing, _) => "a frame cannot start at UNBOUNDED FOLLOWING",
            (_, WindowBoundKind.UnboundedPreceding) => "a frame cannot end at UNBOUNDED PRECEDING",
            (WindowBoundKind.CurrentRow, WindowBoundKind.Preceding) => "a frame starting at CURRENT ROW cannot end with PRECEDING",
            (WindowBoundKind.Following, WindowBoundKind.Preceding or WindowBoundKind.CurrentRow) => "a frame starting with FOLLOWING cannot end with PRECEDING or CURRENT ROW",
            _ => null,
        };
        if (problem is not null)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{frame.Span}: {problem}");
        }

        return new WindowFrameSpec(unit, start, end);
    }

    private WindowFrameBound BindBound(FrameBound bound, WindowFrameUnit unit, List<SortKey> order)
    {
        var kind = bound.Kind switch
        {
            FrameBoundKind.UnboundedPreceding => WindowBoundKind.UnboundedPreceding,
            FrameBoundKind.Preceding => WindowBoundKind.Preceding,
            FrameBoundKind.CurrentRow => WindowBoundKind.CurrentRow,
            FrameBoundKind.Following => WindowBoundKind.Following,
            _ => WindowBoundKind.UnboundedFollowing,
        };
        if (kind is not (WindowBoundKind.Preceding or WindowBoundKind.Following))
        {
            return new WindowFrameBound(kind, null);
        }

        var expression = bound.Offset
            ?? throw new PlanningException(PlanningException.InvalidArgument, $"{bound.Span}: frame bound needs an offset");
        var offset = EvaluateOffset(expression);
        if (unit != WindowFrameUnit.Range)
        {
            if (!SqlTypes.IsInteger(offset.Type))
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{expression.Span}: {unit.ToString().ToUpperInvariant()} frame offset must be an integer, found {SqlTypes.Display(offset.Type)}");
            }

            long count = Convert.ToInt64(offset.Value, System.Globalization.CultureInfo.InvariantCulture);
            RequireNonNegative(count < 0, expression);
            return new WindowFrameBound(kind, new CountOffset(count));
        }

        if (order.Count != 1)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{bound.Span}: a RANGE frame with an offset PRECEDING or FOLLOWING needs exactly one ORDER BY key, found {order.Count}");
        }

        var keyType = order[0].Expression.Type;
        if (SqlTypes.IsNumeric(keyType))
        {
            if (!SqlTypes.IsNumeric(offset.Type))
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{expression.Span}: RANGE offset over a {SqlTypes.Display(keyType)} key must be a number, found {SqlTypes.Display(offset.Type)}");
            }

            RequireNonNegative(IsNegative(offset.Value!), expression);
            return new WindowFrameBound(kind, new ValueOffset(offset.Value!, offset.Type));
        }

        if (keyType is Date32Type or TimestampType)
        {
            IntervalOffset interval = offset switch
            {
                { Type: DurationType, Value: long micros } => new IntervalOffset(0, micros),
                { Type: IntervalType, Value: int months } => new IntervalOffset(months, 0),
                _ => throw new PlanningException(PlanningException.TypeMismatch, $"{expression.Span}: RANGE offset over a {SqlTypes.Display(keyType)} key must be an INTERVAL, found {SqlTypes.Display(offset.Type)}"),
            };
            RequireNonNegative(interval.Months < 0 || interval.Micros < 0, expression);
            return new WindowFrameBound(kind, interval);
        }

        throw new PlanningException(PlanningException.TypeMismatch, $"{bound.Span}: a RANGE frame with an offset needs a numeric, date or timestamp ORDER BY key, found {SqlTypes.Display(keyType)}");
    }

    private Literal EvaluateOffset(Expression expression)
    {
        if (expression is IntervalLiteral interval)
        {
            return DateTimeBinder.BindInterval(interval);
        }

        BoundExpression bound;
        try
        {
            bound = ConstantFolder.Fold(new ExpressionBinder(Scope.Empty, _evaluator).Bind(expression), _evaluator);
        }
        catch (PlanningException e) when (e.Code == PlanningException.ColumnNotFound)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{expression.Span}: a window frame offset must be a constant", e);
        }

        if (bound is not Literal literal)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{expression.Span}: a window frame offset must be a constant");
        }

        if (literal.Value is null)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{expression.Span}: a window frame offset must not be null");
        }

        return literal;
    }

    private static void RequireNonNegative(bool negative, Expression expression)
    {
        if (negative)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{expression.Span}: a window frame offset must not be negative");
        }
    }

    private static bool IsNegative(object value) => value switch
    {
        sbyte v => v < 0,
        short v => v < 0,
        int v => v < 0,
        long v => v < 0,
        Int128 v => v < 0,
        float v => v < 0 || float.IsNaN(v),
        double v => v < 0 || double.IsNaN(v),
        _ => false,
    };
}
