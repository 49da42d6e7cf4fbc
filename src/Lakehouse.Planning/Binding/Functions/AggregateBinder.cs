using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding.Functions;

/// <summary>
/// Binds aggregate calls with Trino's signatures. <c>FILTER (WHERE c)</c> becomes part of the argument
/// (<c>CASE WHEN c THEN x END</c>): every aggregate here ignores NULL inputs, so that is exact.
/// </summary>
public static class AggregateBinder
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "count", "sum", "min", "max", "avg", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
        "bool_and", "bool_or", "every", "arbitrary", "any_value", "min_by", "max_by", "approx_distinct", "approx_percentile", "count_if", "array_agg",
        "covar_samp", "covar_pop", "corr", "regr_slope", "regr_intercept",
    };

    public static bool IsAggregateName(string name) => Names.Contains(name);

    internal static AggregateCall Bind(FunctionCall call, ExpressionBinder binder, IConstantEvaluator evaluator)
    {
        var name = call.Name.Value;
        if ((call.OrderBy.Count > 0 && name != "array_agg") || call.Over is not null)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{call.Span}: ORDER BY and OVER in aggregate {name} are not supported here");
        }

        foreach (var argument in call.Arguments)
        {
            if (ExpressionBinder.ContainsAggregate(argument))
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{call.Span}: aggregate calls cannot be nested");
            }
        }

        BoundExpression? filter = null;
        if (call.Filter is not null)
        {
            if (ExpressionBinder.ContainsAggregate(call.Filter))
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{call.Span}: FILTER cannot contain an aggregate");
            }

            filter = binder.BindBoolean(call.Filter, "FILTER");
        }

        if (call.IsStar || (name == "count" && call.Arguments.Count == 0))
        {
            if (name != "count")
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: {name}(*) is not valid");
            }

            return filter is null
                ? new AggregateCall(AggregateFunction.CountStar, null, false, SqlTypes.BigInt)
                : new AggregateCall(AggregateFunction.Count, Filtered(new Literal(true, SqlTypes.Boolean), filter), false, SqlTypes.BigInt);
        }

        if (name == "array_agg")
        {
            return BindArrayAgg(call, binder, filter);
        }

        int expected = name is "min_by" or "max_by" or "approx_percentile" or "covar_samp" or "covar_pop" or "corr" or "regr_slope" or "regr_intercept" ? 2 : 1;
        if (call.Arguments.Count != expected)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: {name} expects {expected} argument(s), got {call.Arguments.Count}");
        }

        var value = binder.Bind(call.Arguments[0]);
        var result = name switch
        {
            "count" => new AggregateCall(AggregateFunction.Count, value, call.Distinct, SqlTypes.BigInt),
            "count_if" => new AggregateCall(
                AggregateFunction.Count,
                new CallExpression(ScalarFunction.Case, [RequireBoolean(value, call), new Literal(true, SqlTypes.Boolean), Literal.Null(SqlTypes.Boolean)], SqlTypes.Boolean),
                false,
                SqlTypes.BigInt),
            "sum" or "avg" => BindSumAvg(name, value, call),
            "min" or "max" => BindMinMax(name, value, call),
            "stddev" or "stddev_samp" => Statistic(AggregateFunction.StddevSamp, value, call),
            "stddev_pop" => Statistic(AggregateFunction.StddevPop, value, call),
            "variance" or "var_samp" => Statistic(AggregateFunction.VarSamp, value, call),
            "var_pop" => Statistic(AggregateFunction.VarPop, value, call),
            "bool_and" or "every" => new AggregateCall(AggregateFunction.BoolAnd, RequireBoolean(value, call), call.Distinct, SqlTypes.Boolean),
            "bool_or" => new AggregateCall(AggregateFunction.BoolOr, RequireBoolean(value, call), call.Distinct, SqlTypes.Boolean),
            "arbitrary" or "any_value" => BindArbitrary(value, call),
            "min_by" or "max_by" => BindBy(name, value, binder.Bind(call.Arguments[1]), call),
            "covar_samp" => Bivariate(AggregateFunction.CovarSamp, value, binder.Bind(call.Arguments[1]), call),
            "covar_pop" => Bivariate(AggregateFunction.CovarPop, value, binder.Bind(call.Arguments[1]), call),
            "corr" => Bivariate(AggregateFunction.Corr, value, binder.Bind(call.Arguments[1]), call),
            "regr_slope" => Bivariate(AggregateFunction.RegrSlope, value, binder.Bind(call.Arguments[1]), call),
            "regr_intercept" => Bivariate(AggregateFunction.RegrIntercept, value, binder.Bind(call.Arguments[1]), call),
            "approx_distinct" => new AggregateCall(AggregateFunction.ApproxDistinct, value.Type is NullType ? Literal.Null(SqlTypes.Integer) : value, false, SqlTypes.BigInt),
            _ => BindPercentile(value, binder.Bind(call.Arguments[1]), call, evaluator),
        };
        return filter is null || result.Argument is null ? result : result with { Argument = Filtered(result.Argument, filter) };
    }

    private static AggregateCall BindArrayAgg(FunctionCall call, ExpressionBinder binder, BoundExpression? filter)
    {
        if (call.Arguments.Count != 1)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: array_agg expects 1 argument(s), got {call.Arguments.Count}");
        }

        var value = binder.Bind(call.Arguments[0]);
        if (value.Type is NullType)
        {
            value = Literal.Null(SqlTypes.Integer);
        }

        var type = new ListType(new Field("item", value.Type, true));
        if (call.Distinct)
        {
            if (call.OrderBy.Count > 0)
            {
                throw new PlanningException(PlanningException.NotSupported, $"{call.Span}: array_agg with both DISTINCT and ORDER BY is not supported");
            }

            return new AggregateCall(AggregateFunction.ArrayAgg, filter is null ? value : Filtered(value, filter), true, type);
        }

        var fields = new List<Field> { new("value", value.Type, true), new("keep", SqlTypes.Boolean, true) };
        var items = new List<BoundExpression> { value, filter ?? new Literal(true, SqlTypes.Boolean) };
        var ordering = new List<AggregateOrder>(call.OrderBy.Count);
        foreach (var item in call.OrderBy)
        {
            if (ExpressionBinder.ContainsAggregate(item.Expression))
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{call.Span}: aggregate calls cannot be nested");
            }

            var key = binder.Bind(item.Expression);
            if (key.Type is StructType or ListType or MapType)
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: array_agg cannot order by {SqlTypes.Display(key.Type)}");
            }

            fields.Add(new Field("key" + ordering.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Type, true));
            items.Add(key);
            ordering.Add(new AggregateOrder(item.Direction != SortDirection.Descending, item.NullOrdering == NullOrdering.First));
        }

        var row = new CallExpression(ScalarFunction.Row, items, new StructType(fields));
        return new AggregateCall(AggregateFunction.ArrayAgg, row, false, type) { Ordering = ordering.Count > 0 ? ordering : null };
    }

    private static BoundExpression Filtered(BoundExpression argument, BoundExpression filter) =>
        new CallExpression(ScalarFunction.Case, [filter, argument, Literal.Null(argument.Type)], argument.Type);

    private static BoundExpression RequireBoolean(BoundExpression value, FunctionCall call)
    {
        if (value.Type is NullType)
        {
            return Literal.Null(SqlTypes.Boolean);
        }

        return value.Type is BooleanType
            ? value
            : throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} needs a boolean, found {SqlTypes.Display(value.Type)}");
    }

    private static AggregateCall BindSumAvg(string name, BoundExpression value, FunctionCall call)
    {
        var function = name == "sum" ? AggregateFunction.Sum : AggregateFunction.Avg;
        if (!SqlTypes.IsNumeric(value.Type) && value.Type is not NullType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {name} is not defined for {SqlTypes.Display(value.Type)}");
        }

        return new AggregateCall(function, value, call.Distinct, AggregateCall.ResultType(function, value.Type));
    }

    private static AggregateCall BindMinMax(string name, BoundExpression value, FunctionCall call)
    {
        var function = name == "min" ? AggregateFunction.Min : AggregateFunction.Max;
        if (value.Type is NullType)
        {
            value = Literal.Null(SqlTypes.Integer);
        }

        return new AggregateCall(function, value, call.Distinct, value.Type);
    }

    private static AggregateCall Statistic(AggregateFunction function, BoundExpression value, FunctionCall call)
    {
        if (!SqlTypes.IsNumeric(value.Type) && value.Type is not NullType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} is not defined for {SqlTypes.Display(value.Type)}");
        }

        return new AggregateCall(function, ExpressionBinder.CastTo(value, SqlTypes.Double), call.Distinct, SqlTypes.Double);
    }

    private static AggregateCall Bivariate(AggregateFunction function, BoundExpression y, BoundExpression x, FunctionCall call)
    {
        foreach (var argument in (ReadOnlySpan<BoundExpression>)[y, x])
        {
            if (!SqlTypes.IsNumeric(argument.Type) && argument.Type is not NullType)
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} is not defined for {SqlTypes.Display(argument.Type)}");
            }
        }

        var rowType = new StructType([new Field("y", SqlTypes.Double, true), new Field("x", SqlTypes.Double, true)]);
        var row = new CallExpression(ScalarFunction.Row, [ExpressionBinder.CastTo(y, SqlTypes.Double), ExpressionBinder.CastTo(x, SqlTypes.Double)], rowType);
        return new AggregateCall(function, row, call.Distinct, SqlTypes.Double);
    }

    private static AggregateCall BindArbitrary(BoundExpression value, FunctionCall call)
    {
        if (value.Type is NullType)
        {
            value = Literal.Null(SqlTypes.Integer);
        }

        return new AggregateCall(AggregateFunction.Arbitrary, value, call.Distinct, value.Type);
    }

    private static AggregateCall BindBy(string name, BoundExpression value, BoundExpression key, FunctionCall call)
    {
        if (value.Type is NullType)
        {
            value = Literal.Null(SqlTypes.Integer);
        }

        if (key.Type is NullType)
        {
            key = Literal.Null(SqlTypes.Integer);
        }

        if (key.Type is StructType or ListType or MapType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {name} cannot order by {SqlTypes.Display(key.Type)}");
        }

        var rowType = new StructType([new Field("value", value.Type, true), new Field("key", key.Type, true)]);
        var row = new CallExpression(ScalarFunction.Row, [value, key], rowType);
        return new AggregateCall(name == "min_by" ? AggregateFunction.MinBy : AggregateFunction.MaxBy, row, call.Distinct, value.Type);
    }

    private static AggregateCall BindPercentile(BoundExpression value, BoundExpression percentile, FunctionCall call, IConstantEvaluator evaluator)
    {
        if (!SqlTypes.IsNumeric(value.Type) && value.Type is not NullType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: approx_percentile is not defined for {SqlTypes.Display(value.Type)}");
        }

        if (!SqlTypes.IsNumeric(percentile.Type))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: approx_percentile percentile must be a number, found {SqlTypes.Display(percentile.Type)}");
        }

        var folded = ConstantFolder.Fold(ExpressionBinder.CastTo(percentile, SqlTypes.Double), evaluator);
        if (folded is not Literal { Value: double fraction } || double.IsNaN(fraction) || fraction < 0 || fraction > 1)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: approx_percentile percentile must be a constant between 0 and 1");
        }

        var argument = SqlTypes.IsInteger(value.Type) || value.Type is NullType
            ? ExpressionBinder.CastTo(value, SqlTypes.BigInt)
            : ExpressionBinder.CastTo(value, SqlTypes.Double);
        return new AggregateCall(AggregateFunction.ApproxPercentile, argument, call.Distinct, argument.Type) { Parameter = fraction };
    }
}
