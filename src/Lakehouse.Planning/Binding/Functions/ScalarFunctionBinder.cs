using Apache.Arrow.Types;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Planning.Binding.Functions;

/// <summary>
/// Binds calls of the built-in scalar functions (string, math, conditional, date/time) with Trino's
/// signatures: argument coercions and result types.
/// </summary>
internal static class ScalarFunctionBinder
{
    /// <summary>The bound call, or null when <paramref name="name"/> is not one of these functions.</summary>
    public static BoundExpression? TryBind(string name, FunctionCall call, List<BoundExpression> arguments, IConstantEvaluator evaluator)
    {
        var context = new CallContext(call, arguments, evaluator);
        return name switch
        {
            "substr" or "substring" => BindSubstring(context),
            "trim" => BindTrim(context, ScalarFunction.Trim),
            "ltrim" => BindTrim(context, ScalarFunction.LTrim),
            "rtrim" => BindTrim(context, ScalarFunction.RTrim),
            "replace" => BindReplace(context),
            "split_part" => BindStrings(context, ScalarFunction.SplitPart, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.Varchar, SqlTypes.BigInt]),
            "strpos" => BindStrings(context, ScalarFunction.StrPos, SqlTypes.BigInt, [SqlTypes.Varchar, SqlTypes.Varchar]),
            "starts_with" => BindStrings(context, ScalarFunction.StartsWith, SqlTypes.Boolean, [SqlTypes.Varchar, SqlTypes.Varchar]),
            "lpad" => BindStrings(context, ScalarFunction.LPad, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.BigInt, SqlTypes.Varchar]),
            "rpad" => BindStrings(context, ScalarFunction.RPad, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.BigInt, SqlTypes.Varchar]),
            "reverse" => BindStrings(context, ScalarFunction.Reverse, SqlTypes.Varchar, [SqlTypes.Varchar]),
            "regexp_like" => BindRegex(context, ScalarFunction.RegexpLike, SqlTypes.Boolean, null),
            "regexp_extract" => BindRegex(context, ScalarFunction.RegexpExtract, SqlTypes.Varchar, new Literal(0L, SqlTypes.BigInt)),
            "regexp_replace" => BindRegex(context, ScalarFunction.RegexpReplace, SqlTypes.Varchar, new Literal(string.Empty, SqlTypes.Varchar)),
            "round" => BindRound(context),
            "ceil" or "ceiling" => BindCeilFloor(context, ScalarFunction.Ceil),
            "floor" => BindCeilFloor(context, ScalarFunction.Floor),
            "truncate" => BindTruncate(context),
            "mod" => BindMod(context),
            "power" or "pow" => BindDoubles(context, ScalarFunction.Power, 2),
            "sqrt" => BindDoubles(context, ScalarFunction.Sqrt, 1),
            "ln" => BindDoubles(context, ScalarFunction.Ln, 1),
            "log10" => BindDoubles(context, ScalarFunction.Log10, 1),
            "exp" => BindDoubles(context, ScalarFunction.Exp, 1),
            "sign" => BindSign(context),
            "greatest" => BindExtreme(context, ScalarFunction.Greatest),
            "least" => BindExtreme(context, ScalarFunction.Least),
            "if" => BindIf(context),
            "try" => BindTry(context),
            "concat_ws" => BindConcatWs(context),
            "chr" => BindStrings(context, ScalarFunction.Chr, SqlTypes.Varchar, [SqlTypes.BigInt]),
            "codepoint" => BindStrings(context, ScalarFunction.Codepoint, SqlTypes.Integer, [SqlTypes.Varchar]),
            "levenshtein_distance" => BindStrings(context, ScalarFunction.LevenshteinDistance, SqlTypes.BigInt, [SqlTypes.Varchar, SqlTypes.Varchar]),
            "cardinality" => BindCardinality(context),
            "array_join" => BindArrayJoin(context),
            "cbrt" => BindDoubles(context, ScalarFunction.Cbrt, 1),
            "log2" => BindDoubles(context, ScalarFunction.Log2, 1),
            "log" => BindDoubles(context, ScalarFunction.Log, 2),
            "is_nan" => BindIsNan(context),
            "pi" => Constant(context, Math.PI),
            "e" => Constant(context, Math.E),
            "nan" => Constant(context, double.NaN),
            "infinity" => Constant(context, double.PositiveInfinity),
            _ => DateTimeBinder.TryBindFunction(name, context),
        };
    }

    private static BoundExpression BindSubstring(CallContext context)
    {
        return BindStrings(context, ScalarFunction.Substring, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.BigInt, SqlTypes.BigInt], minimum: 2);
    }

    private static BoundExpression BindTrim(CallContext context, ScalarFunction function)
    {
        return BindStrings(context, function, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.Varchar], minimum: 1);
    }

    /// <summary><c>TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)</c>.</summary>
    public static BoundExpression BindTrimExpression(TrimExpression trim, BoundExpression source, BoundExpression? characters)
    {
        var function = trim.Specification switch
        {
            TrimSpecification.Leading => ScalarFunction.LTrim,
            TrimSpecification.Trailing => ScalarFunction.RTrim,
            _ => ScalarFunction.Trim,
        };
        RequireString(source, "trim", trim.Span);
        var arguments = new List<BoundExpression> { ExpressionBinder.CastTo(source, SqlTypes.Varchar) };
        if (characters is not null)
        {
            RequireString(characters, "trim", trim.Span);
            arguments.Add(ExpressionBinder.CastTo(characters, SqlTypes.Varchar));
        }

        return new CallExpression(function, arguments, SqlTypes.Varchar);
    }

    private static BoundExpression BindReplace(CallContext context)
    {
        context.ExpectCount(2, 3);
        if (context.Arguments.Count == 2)
        {
            context.Arguments.Add(new Literal(string.Empty, SqlTypes.Varchar));
        }

        return BindStrings(context, ScalarFunction.Replace, SqlTypes.Varchar, [SqlTypes.Varchar, SqlTypes.Varchar, SqlTypes.Varchar]);
    }

    /// <summary>Coerces each argument to the expected varchar or bigint parameter (integers widen; nothing else converts).</summary>
    private static BoundExpression BindStrings(CallContext context, ScalarFunction function, IArrowType result, IArrowType[] parameters, int? minimum = null)
    {
        var arguments = context.Arguments;
        context.ExpectCount(minimum ?? parameters.Length, parameters.Length);

        var coerced = new List<BoundExpression>(arguments.Count);
        for (int i = 0; i < arguments.Count; i++)
        {
            var expected = parameters[i];
            var argument = arguments[i];
            if (expected is StringType)
            {
                RequireString(argument, context.Name, context.Call.Span);
            }
            else if (!SqlTypes.IsInteger(argument.Type) && argument.Type is not NullType)
            {
                throw context.Mismatch(i, "an integer");
            }

            coerced.Add(ExpressionBinder.CastTo(argument, expected));
        }

        return new CallExpression(function, coerced, result);
    }

    private static void RequireString(BoundExpression argument, string name, SourceSpan span)
    {
        if (argument.Type is not (StringType or NullType))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{span}: {name} needs varchar, found {SqlTypes.Display(argument.Type)}");
        }
    }

    private static BoundExpression BindRegex(CallContext context, ScalarFunction function, IArrowType result, Literal? defaultThird)
    {
        context.ExpectCount(2, defaultThird is null ? 2 : 3);
        var arguments = context.Arguments;
        if (defaultThird is not null && arguments.Count == 2)
        {
            arguments.Add(defaultThird);
        }

        var thirdType = defaultThird?.Type;
        var bound = (CallExpression)BindStrings(
            context,
            function,
            result,
            thirdType is null ? [SqlTypes.Varchar, SqlTypes.Varchar] : [SqlTypes.Varchar, SqlTypes.Varchar, thirdType]);
        var folded = new List<BoundExpression>(bound.Arguments.Count) { bound.Arguments[0] };
        for (int i = 1; i < bound.Arguments.Count; i++)
        {
            var constant = ConstantFolder.Fold(bound.Arguments[i], context.Evaluator);
            if (constant is not Literal)
            {
                throw new PlanningException(PlanningException.NotSupported, $"{context.Call.Span}: {context.Name} needs a constant {(i == 1 ? "pattern" : "third argument")}");
            }

            folded.Add(constant);
        }

        if (folded[1] is Literal { Value: string pattern })
        {
            RegexValidation.Validate(pattern, context.Call.Span);
        }

        return bound with { Arguments = folded };
    }

    private static BoundExpression Numeric(CallContext context, int index)
    {
        var argument = context.Arguments[index];
        if (argument.Type is NullType)
        {
            return Literal.Null(SqlTypes.Integer);
        }

        if (!SqlTypes.IsNumeric(argument.Type))
        {
            throw context.Mismatch(index, "a number");
        }

        return argument;
    }

    private static BoundExpression Integer(CallContext context, int index)
    {
        var argument = context.Arguments[index];
        if (!SqlTypes.IsInteger(argument.Type) && argument.Type is not NullType)
        {
            throw context.Mismatch(index, "an integer");
        }

        return ExpressionBinder.CastTo(argument, SqlTypes.Integer);
    }

    private static BoundExpression BindRound(CallContext context)
    {
        context.ExpectCount(1, 2);
        var value = Numeric(context, 0);
        var digits = context.Arguments.Count == 2 ? Integer(context, 1) : null;
        IArrowType result = value.Type;
        if (value.Type is Decimal128Type d)
        {
            result = digits is null
                ? SqlTypes.Decimal(Math.Min(38, Math.Max(1, d.Precision - d.Scale + Math.Min(1, d.Scale))), 0)
                : SqlTypes.Decimal(Math.Min(38, d.Precision + 1), d.Scale);
        }

        return new CallExpression(ScalarFunction.Round, [value, digits ?? new Literal(0, SqlTypes.Integer)], result);
    }

    private static BoundExpression BindCeilFloor(CallContext context, ScalarFunction function)
    {
        context.ExpectCount(1, 1);
        var value = Numeric(context, 0);
        IArrowType result = value.Type is Decimal128Type d
            ? SqlTypes.Decimal(Math.Min(38, Math.Max(1, d.Precision - d.Scale + Math.Min(1, d.Scale))), 0)
            : value.Type;
        return new CallExpression(function, [value], result);
    }

    private static BoundExpression BindTruncate(CallContext context)
    {
        context.ExpectCount(1, 2);
        var value = Numeric(context, 0);
        if (context.Arguments.Count == 2)
        {
            var digits = Integer(context, 1);
            if (SqlTypes.IsInteger(value.Type))
            {
                value = ExpressionBinder.CastTo(value, SqlTypes.Double);
            }

            return new CallExpression(ScalarFunction.Truncate, [value, digits], value.Type);
        }

        IArrowType result = value.Type switch
        {
            Decimal128Type d => SqlTypes.Decimal(Math.Max(1, d.Precision - d.Scale), 0),
            _ when SqlTypes.IsInteger(value.Type) => SqlTypes.Double,
            _ => value.Type,
        };
        return new CallExpression(ScalarFunction.Truncate, [ExpressionBinder.CastTo(value, SqlTypes.IsInteger(value.Type) ? SqlTypes.Double : value.Type)], result);
    }

    private static BoundExpression BindMod(CallContext context)
    {
        context.ExpectCount(2, 2);
        return ExpressionBinder.BindArithmetic(ScalarFunction.Modulo, context.Arguments[0], context.Arguments[1], context.Call.Span);
    }

    private static BoundExpression BindDoubles(CallContext context, ScalarFunction function, int count)
    {
        context.ExpectCount(count, count);
        var arguments = new List<BoundExpression>(count);
        for (int i = 0; i < count; i++)
        {
            arguments.Add(ExpressionBinder.CastTo(Numeric(context, i), SqlTypes.Double));
        }

        return new CallExpression(function, arguments, SqlTypes.Double);
    }

    private static BoundExpression BindSign(CallContext context)
    {
        context.ExpectCount(1, 1);
        var value = Numeric(context, 0);
        IArrowType result = value.Type is Decimal128Type ? SqlTypes.Decimal(1, 0) : value.Type;
        return new CallExpression(ScalarFunction.Sign, [value], result);
    }

    private static BoundExpression BindExtreme(CallContext context, ScalarFunction function)
    {
        if (context.Arguments.Count == 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: {context.Name} needs at least one argument");
        }

        var type = context.CommonType();
        if (type is NullType)
        {
            return Literal.Null(SqlTypes.Unknown);
        }

        if (!IsOrderable(type))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{context.Call.Span}: {context.Name} is not defined for {SqlTypes.Display(type)}");
        }

        return new CallExpression(function, context.CastAll(type), type);
    }

    private static bool IsOrderable(IArrowType type) => SqlTypes.IsNumeric(type) || type is StringType or Date32Type or TimestampType or Time64Type or BooleanType
        || SqlTypes.IsInterval(type);

    private static BoundExpression BindTry(CallContext context)
    {
        context.ExpectCount(1, 1);
        var value = context.Arguments[0];
        return value is Literal ? value : new CallExpression(ScalarFunction.Try, [value], value.Type);
    }

    private static BoundExpression BindConcatWs(CallContext context)
    {
        if (context.Arguments.Count < 2)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{context.Call.Span}: concat_ws needs a separator and at least one string");
        }

        var parameters = new IArrowType[context.Arguments.Count];
        System.Array.Fill(parameters, SqlTypes.Varchar);
        return BindStrings(context, ScalarFunction.ConcatWs, SqlTypes.Varchar, parameters);
    }

    private static BoundExpression BindCardinality(CallContext context)
    {
        context.ExpectCount(1, 1);
        var array = context.Arguments[0];
        if (array.Type is NullType)
        {
            return Literal.Null(SqlTypes.BigInt);
        }

        return array.Type is ListType
            ? new CallExpression(ScalarFunction.Cardinality, [array], SqlTypes.BigInt)
            : throw context.Mismatch(0, "an array");
    }

    private static BoundExpression BindArrayJoin(CallContext context)
    {
        context.ExpectCount(2, 3);
        var array = context.Arguments[0];
        if (array.Type is NullType)
        {
            return Literal.Null(SqlTypes.Varchar);
        }

        if (array.Type is not ListType list)
        {
            throw context.Mismatch(0, "an array");
        }

        if (!SqlTypes.CanCast(list.ValueDataType, SqlTypes.Varchar) || list.ValueDataType is StructType or ListType or MapType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{context.Call.Span}: array_join cannot join elements of {SqlTypes.Display(list.ValueDataType)}");
        }

        for (int i = 1; i < context.Arguments.Count; i++)
        {
            RequireString(context.Arguments[i], context.Name, context.Call.Span);
        }

        var replacement = context.Arguments.Count == 3 ? ExpressionBinder.CastTo(context.Arguments[2], SqlTypes.Varchar) : Literal.Null(SqlTypes.Varchar);
        return new CallExpression(ScalarFunction.ArrayJoin, [array, ExpressionBinder.CastTo(context.Arguments[1], SqlTypes.Varchar), replacement], SqlTypes.Varchar);
    }

    private static BoundExpression BindIsNan(CallContext context)
    {
        context.ExpectCount(1, 1);
        return new CallExpression(ScalarFunction.IsNan, [ExpressionBinder.CastTo(Numeric(context, 0), SqlTypes.Double)], SqlTypes.Boolean);
    }

    private static Literal Constant(CallContext context, double value)
    {
        context.ExpectCount(0, 0);
        return new Literal(value, SqlTypes.Double);
    }

    private static BoundExpression BindIf(CallContext context)
    {
        context.ExpectCount(2, 3);
        var condition = context.Arguments[0];
        if (condition.Type is NullType)
        {
            condition = Literal.Null(SqlTypes.Boolean);
        }
        else if (condition.Type is not BooleanType)
        {
            throw context.Mismatch(0, "boolean");
        }

        var whenTrue = context.Arguments[1];
        var whenFalse = context.Arguments.Count == 3 ? context.Arguments[2] : Literal.Null(SqlTypes.Unknown);
        var type = SqlTypes.CommonSuperType(whenTrue.Type, whenFalse.Type)
            ?? throw new PlanningException(PlanningException.TypeMismatch, $"{context.Call.Span}: if results have incompatible types {SqlTypes.Display(whenTrue.Type)} and {SqlTypes.Display(whenFalse.Type)}");
        return new CallExpression(ScalarFunction.Case, [condition, ExpressionBinder.CastTo(whenTrue, type), ExpressionBinder.CastTo(whenFalse, type)], type);
    }
}

/// <summary>A function call being bound: its AST, bound arguments and the helpers every signature needs.</summary>
internal sealed class CallContext(FunctionCall call, List<BoundExpression> arguments, IConstantEvaluator evaluator)
{
    public FunctionCall Call { get; } = call;

    public List<BoundExpression> Arguments { get; } = arguments;

    public IConstantEvaluator Evaluator { get; } = evaluator;

    public string Name => Call.Name.Value;

    public void ExpectCount(int minimum, int maximum)
    {
        int count = Arguments.Count;
        if (count < minimum || count > maximum)
        {
            string expected = minimum == maximum ? minimum.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{minimum} to {maximum}";
            throw new PlanningException(PlanningException.InvalidArgument, $"{Call.Span}: {Name} expects {expected} argument(s), got {count}");
        }
    }

    public PlanningException Mismatch(int index, string expected) => new(
        PlanningException.TypeMismatch,
        $"{Call.Span}: argument {index + 1} of {Name} must be {expected}, found {SqlTypes.Display(Arguments[index].Type)}");

    public IArrowType CommonType()
    {
        IArrowType type = Arguments[0].Type;
        foreach (var argument in Arguments)
        {
            type = SqlTypes.CommonSuperType(type, argument.Type)
                ?? throw new PlanningException(PlanningException.TypeMismatch, $"{Call.Span}: {Name} arguments have incompatible types {SqlTypes.Display(type)} and {SqlTypes.Display(argument.Type)}");
        }

        return type;
    }

    public List<BoundExpression> CastAll(IArrowType type)
    {
        var cast = new List<BoundExpression>(Arguments.Count);
        foreach (var argument in Arguments)
        {
            cast.Add(ExpressionBinder.CastTo(argument, type));
        }

        return cast;
    }

    /// <summary>A constant, lower-cased unit or field name (the first argument of date_trunc, date_add, date_diff).</summary>
    public string ConstantText(int index, bool lowerCase = true)
    {
        var folded = ConstantFolder.Fold(ExpressionBinder.CastTo(Arguments[index], SqlTypes.Varchar), Evaluator);
        return folded is Literal { Value: string text }
            ? (lowerCase ? text.ToLowerInvariant() : text)
            : throw new PlanningException(PlanningException.NotSupported, $"{Call.Span}: argument {index + 1} of {Name} must be a constant string");
    }
}

/// <summary>Rejects malformed regular expressions while planning, with the pattern in the message.</summary>
internal static class RegexValidation
{
    public static void Validate(string pattern, SourceSpan span)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{span}: invalid regular expression '{pattern}': {e.Message}");
        }
    }
}
