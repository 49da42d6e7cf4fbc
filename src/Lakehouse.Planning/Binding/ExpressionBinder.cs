using System.Globalization;
using Apache.Arrow.Types;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;
using AstCast = Lakehouse.Sql.Ast.CastExpression;
using AstCase = Lakehouse.Sql.Ast.CaseExpression;
using BoundCast = Lakehouse.Planning.Expressions.CastExpression;

namespace Lakehouse.Planning.Binding;

/// <summary>
/// Turns AST expressions into typed bound expressions over a scope, inserting the implicit casts
/// Trino applies. With an <see cref="AggregationContext"/> it binds expressions above a GROUP BY:
/// group keys and aggregate calls become references to the aggregate's output.
/// </summary>
public sealed class ExpressionBinder
{
    private readonly Scope _scope;
    private readonly IConstantEvaluator _evaluator;
    private readonly AggregationContext? _aggregation;

    public ExpressionBinder(Scope scope, IConstantEvaluator evaluator, AggregationContext? aggregation = null)
    {
        _scope = scope;
        _evaluator = evaluator;
        _aggregation = aggregation;
    }

    /// <summary>Where subqueries and correlated columns are bound; without it they are rejected.</summary>
    public ISubqueryBinder? Subqueries { get; init; }

    /// <summary>Where window function calls (<c>f(...) OVER (...)</c>) are bound; without it they are rejected.</summary>
    public WindowBinder? Windows { get; set; }

    public static bool IsAggregateName(string name) => Functions.AggregateBinder.IsAggregateName(name);

    public static bool ContainsAggregate(Expression? expression) => expression switch
    {
        null => false,
        FunctionCall call => (call.Over is null && IsAggregateName(call.Name.Value)) || AnyAggregate(call.Arguments) || WindowBinder.SpecContainsAggregate(call.Over),
        BinaryExpression binary => ContainsAggregate(binary.Left) || ContainsAggregate(binary.Right),
        UnaryExpression unary => ContainsAggregate(unary.Operand),
        IsNullExpression isNull => ContainsAggregate(isNull.Operand),
        IsDistinctFromExpression distinct => ContainsAggregate(distinct.Left) || ContainsAggregate(distinct.Right),
        BetweenExpression between => ContainsAggregate(between.Operand) || ContainsAggregate(between.Low) || ContainsAggregate(between.High),
        InListExpression inList => ContainsAggregate(inList.Operand) || AnyAggregate(inList.Values),
        LikeExpression like => ContainsAggregate(like.Operand) || ContainsAggregate(like.Pattern),
        AstCase caseExpression => ContainsAggregate(caseExpression.Operand) || ContainsAggregate(caseExpression.Else) || AnyWhenAggregate(caseExpression.WhenClauses),
        AstCast cast => ContainsAggregate(cast.Operand),
        ExtractExpression extract => ContainsAggregate(extract.Operand),
        AtTimeZoneExpression atZone => ContainsAggregate(atZone.Operand) || ContainsAggregate(atZone.Zone),
        TrimExpression trim => ContainsAggregate(trim.Source) || ContainsAggregate(trim.Characters),
        _ => false,
    };

    private static bool AnyAggregate(IReadOnlyList<Expression> expressions)
    {
        foreach (var expression in expressions)
        {
            if (ContainsAggregate(expression))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyWhenAggregate(IReadOnlyList<WhenClause> clauses)
    {
        foreach (var clause in clauses)
        {
            if (ContainsAggregate(clause.Condition) || ContainsAggregate(clause.Result))
            {
                return true;
            }
        }

        return false;
    }

    public BoundExpression Bind(Expression expression)
    {
        if (_aggregation is not null)
        {
            var mapped = _aggregation.TryMap(expression, this);
            if (mapped is not null)
            {
                return mapped;
            }
        }

        return expression switch
        {
            ColumnRef column => BindColumn(column),
            IntegerLiteral integer => BindInteger(integer),
            DecimalLiteral decimalLiteral => BindDecimal(decimalLiteral.Text, decimalLiteral.Span),
            DoubleLiteral doubleLiteral => new Literal(doubleLiteral.Value, SqlTypes.Double),
            StringLiteral text => new Literal(text.Value, SqlTypes.Varchar),
            BooleanLiteral boolean => new Literal(boolean.Value, SqlTypes.Boolean),
            NullLiteral => Literal.Null(SqlTypes.Unknown),
            BinaryLiteral binary => new Literal(binary.ToBytes(), SqlTypes.Varbinary),
            TypedLiteral typed => BindTypedLiteral(typed),
            BinaryExpression binary => BindBinary(binary),
            UnaryExpression unary => BindUnary(unary),
            IsNullExpression isNull => new CallExpression(isNull.Negated ? ScalarFunction.IsNotNull : ScalarFunction.IsNull, [Bind(isNull.Operand)], SqlTypes.Boolean),
            IsDistinctFromExpression distinct => BindComparison(distinct.Negated ? ScalarFunction.IsNotDistinctFrom : ScalarFunction.IsDistinctFrom, Bind(distinct.Left), Bind(distinct.Right), distinct.Span),
            BetweenExpression between => BindBetween(between),
            InListExpression inList => BindInList(inList),
            LikeExpression like => BindLike(like),
            AstCase caseExpression => BindCase(caseExpression),
            AstCast cast => BindCast(cast),
            FunctionCall call => BindFunction(call),
            CurrentTimeExpression current => BindCurrentTime(current),
            DereferenceExpression dereference => BindDereference(dereference),
            IntervalLiteral interval => Functions.DateTimeBinder.BindInterval(interval),
            ExtractExpression extract => Functions.DateTimeBinder.BindExtract(extract.Field, Bind(extract.Operand), extract.Span),
            AtTimeZoneExpression atZone => Functions.DateTimeBinder.BindAtTimeZone(Bind(atZone.Operand), Bind(atZone.Zone), _evaluator, atZone.Span),
            TrimExpression trim => Functions.ScalarFunctionBinder.BindTrimExpression(trim, Bind(trim.Source), trim.Characters is null ? null : Bind(trim.Characters)),
            InSubqueryExpression or ExistsExpression or ScalarSubquery or QuantifiedComparison when Subqueries is not null => Subqueries.BindSubquery(expression, _scope, this),
            _ => throw new PlanningException(PlanningException.NotSupported, $"{expression.Span}: {Describe(expression)} is not supported"),
        };
    }

    private static string Describe(Expression expression) => expression switch
    {
        IntervalLiteral => "INTERVAL",
        InSubqueryExpression or ExistsExpression or ScalarSubquery or QuantifiedComparison => "subquery",
        _ => "expression '" + expression + "'",
    };

    public BoundExpression BindBoolean(Expression expression, string clause)
    {
        var bound = Bind(expression);
        if (bound.Type is NullType)
        {
            return Literal.Null(SqlTypes.Boolean);
        }

        if (bound.Type is not BooleanType)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{expression.Span}: {clause} must be boolean, found {SqlTypes.Display(bound.Type)}");
        }

        return bound;
    }

    private BoundExpression BindColumn(ColumnRef column)
    {
        var parts = column.Name.Parts;
        ScopeColumn? found = null;
        if (parts.Count == 1)
        {
            found = _scope.Find(null, parts[0]);
        }
        else if (parts.Count == 2 && _scope.HasQualifier(parts[0]))
        {
            found = _scope.Find(parts[0], parts[1]);
        }
        else if (parts.Count > 2 && _scope.HasQualifier(parts[^2]))
        {
            found = _scope.Find(parts[^2], parts[^1]);
        }

        if (found is null && parts.Count > 1)
        {
            try
            {
                if (BindStructPath(parts) is { } fieldAccess)
                {
                    return fieldAccess;
                }
            }
            catch (PlanningException) when (Subqueries?.ResolveOuter(column) is { } outerColumn)
            {
                // Not a field of a local column, but a qualified column of an enclosing query (as Trino resolves it).
                return outerColumn;
            }
        }

        if (found is null)
        {
            if (_aggregation is not null && _aggregation.FromScope.Find(parts.Count > 1 ? parts[^2] : null, parts[^1]) is not null)
            {
                throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{column.Span}: '{column}' must be an aggregate expression or appear in GROUP BY clause");
            }

            if (Subqueries?.ResolveOuter(column) is { } outer)
            {
                return outer;
            }

            throw new PlanningException(PlanningException.ColumnNotFound, $"{column.Span}: column '{column}' cannot be resolved");
        }

        return new ColumnReference(found.Index, found.Type, found.Name);
    }

    /// <summary><c>col.field.sub</c> or <c>t.col.field</c>: a column followed by struct field names.</summary>
    private BoundExpression? BindStructPath(IReadOnlyList<Identifier> parts)
    {
        for (int columnPart = Math.Min(1, parts.Count - 2); columnPart >= 0; columnPart--)
        {
            ScopeColumn? column = columnPart == 0
                ? _scope.Find(null, parts[0])
                : _scope.HasQualifier(parts[0]) ? _scope.Find(parts[0], parts[1]) : null;
            if (column is null)
            {
                continue;
            }

            BoundExpression current = new ColumnReference(column.Index, column.Type, column.Name);
            for (int i = columnPart + 1; i < parts.Count; i++)
            {
                current = AccessField(current, parts[i]) ?? throw new PlanningException(
                    PlanningException.ColumnNotFound,
                    $"{parts[i].Span}: '{PathText(parts, i)}' of type {SqlTypes.Display(current.Type)} has no field '{parts[i].Text}'");
            }

            return current;
        }

        return null;
    }

    private static string PathText(IReadOnlyList<Identifier> parts, int count)
    {
        var texts = new string[count];
        for (int i = 0; i < count; i++)
        {
            texts[i] = parts[i].Text;
        }

        return string.Join('.', texts);
    }

    private static FieldAccess? AccessField(BoundExpression input, Identifier name)
    {
        if (input.Type is not StructType structType)
        {
            return null;
        }

        int match = -1;
        for (int i = 0; i < structType.Fields.Count; i++)
        {
            if (string.Equals(structType.Fields[i].Name, name.Text, StringComparison.Ordinal))
            {
                match = i;
                break;
            }

            if (match < 0 && string.Equals(structType.Fields[i].Name, name.Text, StringComparison.OrdinalIgnoreCase))
            {
                match = i;
            }
        }

        return match < 0 ? null : new FieldAccess(input, match, structType.Fields[match].Name, structType.Fields[match].DataType);
    }

    private BoundExpression BindDereference(DereferenceExpression dereference)
    {
        var input = Bind(dereference.Base);
        return AccessField(input, dereference.Field) ?? throw new PlanningException(
            PlanningException.ColumnNotFound,
            $"{dereference.Field.Span}: {SqlTypes.Display(input.Type)} value has no field '{dereference.Field.Text}'");
    }

    private static BoundExpression BindInteger(IntegerLiteral integer)
    {
        if (integer.TryGetInt64(out long value))
        {
            return value is >= int.MinValue and <= int.MaxValue
                ? new Literal((int)value, SqlTypes.Integer)
                : new Literal(value, SqlTypes.BigInt);
        }

        return BindDecimal(integer.Text, integer.Span);
    }

    /// <summary>A negated integer literal keeps the narrowest integer type that holds it, so -2147483648 is an integer.</summary>
    private static BoundExpression BindNegativeInteger(IntegerLiteral integer)
    {
        if (integer.TryGetInt64(out long magnitude))
        {
            long value = -magnitude;
            return value >= int.MinValue
                ? new Literal((int)value, SqlTypes.Integer)
                : new Literal(value, SqlTypes.BigInt);
        }

        if (Int128.TryParse(integer.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var wide) && -wide == long.MinValue)
        {
            return new Literal(long.MinValue, SqlTypes.BigInt);
        }

        return BindDecimal("-" + integer.Text, integer.Span);
    }

    private static Literal BindDecimal(string text, SourceSpan span)
    {
        if (!ScalarText.TryParseDecimal(text, out var unscaled, out int precision, out int scale))
        {
            throw new PlanningException(PlanningException.InvalidLiteral, $"{span}: decimal literal {text} does not fit decimal(38)");
        }

        return new Literal(unscaled, SqlTypes.Decimal(precision, scale));
    }

    private static BoundExpression BindTypedLiteral(TypedLiteral typed)
    {
        var text = typed.Value;
        string Invalid() => $"{typed.Span}: '{text}' is not a valid {typed.Type.Name} literal";
        switch (typed.Type.Name)
        {
            case "date":
                return ScalarText.TryParseDate(text, out int days)
                    ? new Literal(days, SqlTypes.Date)
                    : throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            case "time":
                return ScalarText.TryParseTime(text, out long time)
                    ? new Literal(time, SqlTypes.Time)
                    : throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            case "timestamp" or "timestamp with time zone":
                if (!ScalarText.TryParseTimestamp(text, out long micros, out bool hasZone))
                {
                    throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
                }

                return new Literal(micros, hasZone || typed.Type.Name != "timestamp" ? SqlTypes.TimestampTz : SqlTypes.Timestamp);
            case "decimal" or "numeric":
                var literal = BindDecimal(text.Trim(), typed.Span);
                if (typed.Type.Parameters.Count == 0)
                {
                    return literal;
                }

                var target = (Decimal128Type)TypeSyntax.Resolve(typed.Type);
                var sourceScale = ((Decimal128Type)literal.Type).Scale;
                if (!ScalarText.TryRescale((Int128)literal.Value!, sourceScale, target.Scale, out var rescaled) || !ScalarText.FitsPrecision(rescaled, target.Precision))
                {
                    throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
                }

                return new Literal(rescaled, target);
            case "uuid":
                return Guid.TryParse(text, out var guid)
                    ? new Literal(guid, SqlTypes.Uuid)
                    : throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            case "varchar" or "char":
                return new Literal(text, SqlTypes.Varchar);
            case "boolean":
                return bool.TryParse(text.Trim(), out bool flag)
                    ? new Literal(flag, SqlTypes.Boolean)
                    : throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
            case "integer" or "int" or "bigint" or "smallint" or "tinyint":
                if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
                }

                return typed.Type.Name switch
                {
                    "bigint" => new Literal(integer, SqlTypes.BigInt),
                    "smallint" when integer is >= short.MinValue and <= short.MaxValue => new Literal((short)integer, SqlTypes.SmallInt),
                    "tinyint" when integer is >= sbyte.MinValue and <= sbyte.MaxValue => new Literal((sbyte)integer, SqlTypes.TinyInt),
                    "integer" or "int" when integer is >= int.MinValue and <= int.MaxValue => new Literal((int)integer, SqlTypes.Integer),
                    _ => throw new PlanningException(PlanningException.InvalidLiteral, Invalid()),
                };
            case "double" or "real":
                if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                {
                    throw new PlanningException(PlanningException.InvalidLiteral, Invalid());
                }

                return typed.Type.Name == "real" ? new Literal((float)number, SqlTypes.Real) : new Literal(number, SqlTypes.Double);
            case "varbinary":
                return new Literal(System.Text.Encoding.UTF8.GetBytes(text), SqlTypes.Varbinary);
            default:
                throw new PlanningException(PlanningException.NotSupported, $"{typed.Span}: {typed.Type.Name} literals are not supported");
        }
    }

    internal static BoundExpression CastTo(BoundExpression expression, IArrowType type)
    {
        if (SqlTypes.AreEqual(expression.Type, type))
        {
            return expression;
        }

        if (expression is Literal { Value: null })
        {
            return Literal.Null(type);
        }

        return new BoundCast(expression, type, IsTry: false);
    }

    public static BoundExpression BindComparison(ScalarFunction function, BoundExpression left, BoundExpression right, SourceSpan span)
    {
        var common = SqlTypes.CommonSuperType(left.Type, right.Type);
        if (common is null)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{span}: cannot apply operator: {SqlTypes.Display(left.Type)} {CallExpression.OperatorText(function)} {SqlTypes.Display(right.Type)}");
        }

        if (common is NullType)
        {
            common = SqlTypes.Boolean;
        }

        // Fixed-size and variable binary compare byte-wise as they are; no copy needed.
        if (SqlTypes.IsBinaryLike(left.Type) && SqlTypes.IsBinaryLike(right.Type))
        {
            return new CallExpression(function, [left, right], SqlTypes.Boolean);
        }

        return new CallExpression(function, [CastTo(left, common), CastTo(right, common)], SqlTypes.Boolean);
    }

    private BoundExpression BindBinary(BinaryExpression binary)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                var left = BindBoolean(binary.Left, binary.Operator.ToString().ToUpperInvariant());
                var right = BindBoolean(binary.Right, binary.Operator.ToString().ToUpperInvariant());
                return new CallExpression(binary.Operator == BinaryOperator.And ? ScalarFunction.And : ScalarFunction.Or, [left, right], SqlTypes.Boolean);
            case BinaryOperator.Equal:
                return BindComparison(ScalarFunction.Equal, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.NotEqual:
                return BindComparison(ScalarFunction.NotEqual, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.LessThan:
                return BindComparison(ScalarFunction.LessThan, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.LessThanOrEqual:
                return BindComparison(ScalarFunction.LessThanOrEqual, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.GreaterThan:
                return BindComparison(ScalarFunction.GreaterThan, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.GreaterThanOrEqual:
                return BindComparison(ScalarFunction.GreaterThanOrEqual, Bind(binary.Left), Bind(binary.Right), binary.Span);
            case BinaryOperator.Concat:
                return BindConcat([Bind(binary.Left), Bind(binary.Right)], binary.Span);
            default:
                var function = binary.Operator switch
                {
                    BinaryOperator.Add => ScalarFunction.Add,
                    BinaryOperator.Subtract => ScalarFunction.Subtract,
                    BinaryOperator.Multiply => ScalarFunction.Multiply,
                    BinaryOperator.Divide => ScalarFunction.Divide,
                    _ => ScalarFunction.Modulo,
                };
                return BindArithmetic(function, Bind(binary.Left), Bind(binary.Right), binary.Span);
        }
    }

    private static BoundExpression BindConcat(IReadOnlyList<BoundExpression> arguments, SourceSpan span)
    {
        var cast = new List<BoundExpression>(arguments.Count);
        foreach (var argument in arguments)
        {
            if (argument.Type is not (StringType or NullType))
            {
                throw new PlanningException(PlanningException.TypeMismatch, $"{span}: cannot apply operator: || to {SqlTypes.Display(argument.Type)}");
            }

            cast.Add(CastTo(argument, SqlTypes.Varchar));
        }

        return new CallExpression(ScalarFunction.Concat, cast, SqlTypes.Varchar);
    }

    public static BoundExpression BindArithmetic(ScalarFunction function, BoundExpression left, BoundExpression right, SourceSpan span)
    {
        if (Functions.DateTimeBinder.TryBindArithmetic(function, left, right, span) is { } temporal)
        {
            return temporal;
        }

        var leftType = left.Type is NullType ? right.Type : left.Type;
        var rightType = right.Type is NullType ? left.Type : right.Type;
        if (leftType is NullType)
        {
            leftType = rightType = SqlTypes.Integer;
        }

        if (!SqlTypes.IsNumeric(leftType) || !SqlTypes.IsNumeric(rightType))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{span}: cannot apply operator: {SqlTypes.Display(left.Type)} {CallExpression.OperatorText(function)} {SqlTypes.Display(right.Type)}");
        }

        if (SqlTypes.IsFloating(leftType) || SqlTypes.IsFloating(rightType) || (SqlTypes.IsInteger(leftType) && SqlTypes.IsInteger(rightType)))
        {
            var common = SqlTypes.CommonSuperType(leftType, rightType)!;
            return new CallExpression(function, [CastTo(left, common), CastTo(right, common)], common);
        }

        var a = SqlTypes.AsDecimal(leftType);
        var b = SqlTypes.AsDecimal(rightType);
        int p1 = a.Precision, s1 = a.Scale, p2 = b.Precision, s2 = b.Scale;
        int precision;
        int scale;
        switch (function)
        {
            case ScalarFunction.Add or ScalarFunction.Subtract:
                scale = Math.Max(s1, s2);
                precision = Math.Min(38, Math.Max(p1 - s1, p2 - s2) + scale + 1);
                break;
            case ScalarFunction.Multiply:
                scale = s1 + s2;
                precision = Math.Min(38, p1 + p2);
                if (scale > 38)
                {
                    throw new PlanningException(PlanningException.TypeMismatch, $"{span}: decimal multiplication scale {scale} exceeds 38");
                }

                break;
            case ScalarFunction.Divide:
                scale = Math.Max(s1, s2);
                precision = Math.Min(38, p1 + s2 + Math.Max(0, s2 - s1));
                break;
            default:
                scale = Math.Max(s1, s2);
                precision = Math.Min(38, Math.Min(p1 - s1, p2 - s2) + scale);
                break;
        }

        precision = Math.Max(precision, Math.Max(scale, 1));
        return new CallExpression(function, [CastTo(left, a), CastTo(right, b)], SqlTypes.Decimal(precision, scale));
    }

    private BoundExpression BindUnary(UnaryExpression unary)
    {
        switch (unary.Operator)
        {
            case UnaryOperator.Not:
                return new CallExpression(ScalarFunction.Not, [BindBoolean(unary.Operand, "NOT")], SqlTypes.Boolean);
            case UnaryOperator.Plus:
                return Bind(unary.Operand);
            default:
                if (unary.Operand is IntegerLiteral integer)
                {
                    return BindNegativeInteger(integer);
                }

                if (unary.Operand is DecimalLiteral decimalLiteral)
                {
                    return BindDecimal("-" + decimalLiteral.Text, decimalLiteral.Span);
                }

                var operand = Bind(unary.Operand);
                if (!SqlTypes.IsNumeric(operand.Type) && !SqlTypes.IsInterval(operand.Type))
                {
                    throw new PlanningException(PlanningException.TypeMismatch, $"{unary.Span}: cannot negate {SqlTypes.Display(operand.Type)}");
                }

                return new CallExpression(ScalarFunction.Negate, [operand], operand.Type);
        }
    }

    private BoundExpression BindBetween(BetweenExpression between)
    {
        var value = Bind(between.Operand);
        var low = Bind(between.Low);
        var high = Bind(between.High);
        var common = SqlTypes.CommonSuperType(value.Type, low.Type);
        common = common is null ? null : SqlTypes.CommonSuperType(common, high.Type);
        if (common is null)
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{between.Span}: cannot apply BETWEEN to {SqlTypes.Display(value.Type)}, {SqlTypes.Display(low.Type)} and {SqlTypes.Display(high.Type)}");
        }

        var coercedValue = CastTo(value, common);
        var result = new CallExpression(
            ScalarFunction.And,
            [
                new CallExpression(ScalarFunction.GreaterThanOrEqual, [coercedValue, CastTo(low, common)], SqlTypes.Boolean),
                new CallExpression(ScalarFunction.LessThanOrEqual, [coercedValue, CastTo(high, common)], SqlTypes.Boolean),
            ],
            SqlTypes.Boolean);
        return between.Negated ? new CallExpression(ScalarFunction.Not, [result], SqlTypes.Boolean) : result;
    }

    private BoundExpression BindInList(InListExpression inList)
    {
        var value = Bind(inList.Operand);
        var items = new List<BoundExpression>(inList.Values.Count);
        IArrowType common = value.Type;
        foreach (var item in inList.Values)
        {
            var bound = Bind(item);
            items.Add(bound);
            common = SqlTypes.CommonSuperType(common, bound.Type)
                ?? throw new PlanningException(PlanningException.TypeMismatch, $"{item.Span}: IN list value of {SqlTypes.Display(bound.Type)} does not match {SqlTypes.Display(value.Type)}");
        }

        if (common is NullType)
        {
            return Literal.Null(SqlTypes.Boolean);
        }

        var arguments = new List<BoundExpression>(items.Count + 1) { CastTo(value, common) };
        bool allConstant = true;
        foreach (var item in items)
        {
            var folded = ConstantFolder.Fold(CastTo(item, common), _evaluator);
            allConstant &= folded is Literal;
            arguments.Add(folded);
        }

        BoundExpression result;
        if (allConstant)
        {
            result = new CallExpression(ScalarFunction.In, arguments, SqlTypes.Boolean);
        }
        else
        {
            var equalities = new List<BoundExpression>(items.Count);
            for (int i = 1; i < arguments.Count; i++)
            {
                equalities.Add(new CallExpression(ScalarFunction.Equal, [arguments[0], arguments[i]], SqlTypes.Boolean));
            }

            result = equalities.Count == 1 ? equalities[0] : new CallExpression(ScalarFunction.Or, equalities, SqlTypes.Boolean);
        }

        return inList.Negated ? new CallExpression(ScalarFunction.Not, [result], SqlTypes.Boolean) : result;
    }

    private BoundExpression BindLike(LikeExpression like)
    {
        var value = Bind(like.Operand);
        if (value.Type is not (StringType or NullType))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{like.Span}: LIKE needs varchar, found {SqlTypes.Display(value.Type)}");
        }

        var pattern = ConstantFolder.Fold(CastTo(Bind(like.Pattern), SqlTypes.Varchar), _evaluator);
        var escape = like.Escape is null ? Literal.Null(SqlTypes.Varchar) : ConstantFolder.Fold(CastTo(Bind(like.Escape), SqlTypes.Varchar), _evaluator);
        if (pattern is not Literal || escape is not Literal)
        {
            throw new PlanningException(PlanningException.NotSupported, $"{like.Span}: LIKE pattern and escape must be constants");
        }

        if (escape is Literal { Value: string escapeText } && escapeText.Length != 1)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{like.Span}: LIKE escape must be a single character");
        }

        BoundExpression result = new CallExpression(ScalarFunction.Like, [CastTo(value, SqlTypes.Varchar), pattern, escape], SqlTypes.Boolean);
        return like.Negated ? new CallExpression(ScalarFunction.Not, [result], SqlTypes.Boolean) : result;
    }

    private BoundExpression BindCase(AstCase caseExpression)
    {
        var conditions = new List<BoundExpression>();
        var results = new List<BoundExpression>();
        BoundExpression? operand = caseExpression.Operand is null ? null : Bind(caseExpression.Operand);
        foreach (var clause in caseExpression.WhenClauses)
        {
            conditions.Add(operand is null
                ? BindBoolean(clause.Condition, "WHEN condition")
                : BindComparison(ScalarFunction.Equal, operand, Bind(clause.Condition), clause.Span));
            results.Add(Bind(clause.Result));
        }

        var elseResult = caseExpression.Else is null ? Literal.Null(SqlTypes.Unknown) : Bind(caseExpression.Else);
        IArrowType type = elseResult.Type;
        foreach (var result in results)
        {
            type = SqlTypes.CommonSuperType(type, result.Type)
                ?? throw new PlanningException(PlanningException.TypeMismatch, $"{caseExpression.Span}: CASE results have incompatible types {SqlTypes.Display(type)} and {SqlTypes.Display(result.Type)}");
        }

        var arguments = new List<BoundExpression>((conditions.Count * 2) + 1);
        for (int i = 0; i < conditions.Count; i++)
        {
            arguments.Add(conditions[i]);
            arguments.Add(CastTo(results[i], type));
        }

        arguments.Add(CastTo(elseResult, type));
        return new CallExpression(ScalarFunction.Case, arguments, type);
    }

    private BoundExpression BindCast(AstCast cast)
    {
        var operand = Bind(cast.Operand);
        var target = TypeSyntax.Resolve(cast.TargetType);
        if (!SqlTypes.CanCast(operand.Type, target))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{cast.Span}: cannot cast {SqlTypes.Display(operand.Type)} to {SqlTypes.Display(target)}");
        }

        if (SqlTypes.AreEqual(operand.Type, target))
        {
            return operand;
        }

        return operand is Literal { Value: null } ? Literal.Null(target) : new BoundCast(operand, target, cast.IsTry);
    }

    private BoundExpression BindFunction(FunctionCall call)
    {
        var name = call.Name.Value;
        if (call.Over is not null)
        {
            return Windows?.Bind(call, this) ?? throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: window function {name} is not allowed here; window functions may appear only in SELECT and ORDER BY");
        }

        if (IsAggregateName(name))
        {
            throw new PlanningException(PlanningException.MustBeAggregateOrGroupBy, $"{call.Span}: aggregate {name} is not allowed here");
        }

        var arguments = new List<BoundExpression>(call.Arguments.Count);
        foreach (var argument in call.Arguments)
        {
            arguments.Add(Bind(argument));
        }

        switch (name)
        {
            case "coalesce":
                if (arguments.Count == 0)
                {
                    throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: coalesce needs at least one argument");
                }

                return BindUniform(ScalarFunction.Coalesce, arguments, call);
            case "nullif":
                ExpectArguments(call, arguments, 2);
                var common = SqlTypes.CommonSuperType(arguments[0].Type, arguments[1].Type)
                    ?? throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: nullif arguments {SqlTypes.Display(arguments[0].Type)} and {SqlTypes.Display(arguments[1].Type)} are not comparable");
                // The comparison uses the common type; the result keeps the first argument's type, as in Trino.
                var nullIf = new CallExpression(ScalarFunction.NullIf, [CastTo(arguments[0], common), CastTo(arguments[1], common)], common);
                return arguments[0].Type is NullType ? nullIf : CastTo(nullIf, arguments[0].Type);
            case "concat":
                return BindConcat(arguments, call.Span);
            case "lower" or "upper":
                ExpectArguments(call, arguments, 1);
                RequireVarchar(call, arguments[0]);
                return new CallExpression(name == "lower" ? ScalarFunction.Lower : ScalarFunction.Upper, [CastTo(arguments[0], SqlTypes.Varchar)], SqlTypes.Varchar);
            case "length":
                ExpectArguments(call, arguments, 1);
                RequireVarchar(call, arguments[0]);
                return new CallExpression(ScalarFunction.Length, [CastTo(arguments[0], SqlTypes.Varchar)], SqlTypes.BigInt);
            case "abs":
                ExpectArguments(call, arguments, 1);
                if (!SqlTypes.IsNumeric(arguments[0].Type))
                {
                    throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: abs needs a number, found {SqlTypes.Display(arguments[0].Type)}");
                }

                return new CallExpression(ScalarFunction.Abs, arguments, arguments[0].Type);
            default:
                return Functions.ScalarFunctionBinder.TryBind(name, call, arguments, _evaluator)
                    ?? throw new PlanningException(PlanningException.FunctionNotFound, $"{call.Span}: function '{name}' not registered");
        }
    }

    private static void RequireVarchar(FunctionCall call, BoundExpression argument)
    {
        if (argument.Type is not (StringType or NullType))
        {
            throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} needs varchar, found {SqlTypes.Display(argument.Type)}");
        }
    }

    private static void ExpectArguments(FunctionCall call, List<BoundExpression> arguments, int count)
    {
        if (arguments.Count != count)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{call.Span}: {call.Name.Value} expects {count} argument(s), got {arguments.Count}");
        }
    }

    private static CallExpression BindUniform(ScalarFunction function, List<BoundExpression> arguments, FunctionCall call)
    {
        IArrowType type = arguments[0].Type;
        foreach (var argument in arguments)
        {
            type = SqlTypes.CommonSuperType(type, argument.Type)
                ?? throw new PlanningException(PlanningException.TypeMismatch, $"{call.Span}: {call.Name.Value} arguments have incompatible types {SqlTypes.Display(type)} and {SqlTypes.Display(argument.Type)}");
        }

        var cast = new List<BoundExpression>(arguments.Count);
        foreach (var argument in arguments)
        {
            cast.Add(CastTo(argument, type));
        }

        return new CallExpression(function, cast, type);
    }

    private static BoundExpression BindCurrentTime(CurrentTimeExpression current)
    {
        long micros = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        return current.Function switch
        {
            CurrentTimeFunction.CurrentDate => new Literal((int)(micros / ScalarText.MicrosPerDay), SqlTypes.Date),
            CurrentTimeFunction.CurrentTimestamp => new Literal(micros, SqlTypes.TimestampTz),
            CurrentTimeFunction.LocalTimestamp => new Literal(micros, SqlTypes.Timestamp),
            _ => new Literal(micros % ScalarText.MicrosPerDay, SqlTypes.Time),
        };
    }

    /// <summary>Binds an aggregate call's arguments over the rows before grouping.</summary>
    internal AggregateCall BindAggregateCall(FunctionCall call) => Functions.AggregateBinder.Bind(call, this, _evaluator);
}

/// <summary>
/// What an expression above GROUP BY may reference: group keys (matched structurally) and aggregate
/// calls (collected as they are found, referenced by position after the keys).
/// </summary>
public sealed class AggregationContext
{
    private readonly ExpressionBinder _fromBinder;
    private readonly IConstantEvaluator _evaluator;
    private readonly List<string> _keySignatures = [];
    private readonly List<string> _aggregateSignatures = [];

    public AggregationContext(Scope fromScope, IConstantEvaluator evaluator)
    {
        FromScope = fromScope;
        _evaluator = evaluator;
        _fromBinder = new ExpressionBinder(fromScope, evaluator);
    }

    public Scope FromScope { get; }

    public List<BoundExpression> Keys { get; } = [];

    public List<string> KeyNames { get; } = [];

    public List<AggregateCall> Aggregates { get; } = [];

    public ExpressionBinder FromBinder => _fromBinder;

    private static string Signature(BoundExpression expression) => expression + ":" + SqlTypes.Display(expression.Type);

    /// <summary>Adds a group key unless an equal one exists; returns its position.</summary>
    public int AddKey(BoundExpression key, string name)
    {
        var signature = Signature(key);
        int existing = _keySignatures.IndexOf(signature);
        if (existing >= 0)
        {
            return existing;
        }

        _keySignatures.Add(signature);
        Keys.Add(key);
        KeyNames.Add(name);
        return Keys.Count - 1;
    }

    internal BoundExpression? TryMap(Expression expression, ExpressionBinder outer)
    {
        if (expression is InSubqueryExpression or ExistsExpression or ScalarSubquery or QuantifiedComparison)
        {
            return null;
        }

        if (expression is FunctionCall { Over: not null })
        {
            return null;
        }

        if (expression is FunctionCall call && ExpressionBinder.IsAggregateName(call.Name.Value))
        {
            var aggregate = _fromBinder.BindAggregateCall(call);
            var signature = aggregate.ToString() + ":" + SqlTypes.Display(aggregate.Type);
            int index = _aggregateSignatures.IndexOf(signature);
            if (index < 0)
            {
                index = Aggregates.Count;
                _aggregateSignatures.Add(signature);
                Aggregates.Add(aggregate);
            }

            return new ColumnReference(Keys.Count + index, aggregate.Type, aggregate.ToString());
        }

        if (ExpressionBinder.ContainsAggregate(expression) || WindowBinder.ContainsWindowCall(expression))
        {
            return null;
        }

        BoundExpression bound;
        try
        {
            bound = _fromBinder.Bind(expression);
        }
        catch (PlanningException e) when (e.Code == PlanningException.ColumnNotFound)
        {
            return null;
        }

        // Keys are stored folded, so fold before comparing: x > 0 over a double x is x > 0.0 either way.
        int keyIndex = _keySignatures.IndexOf(Signature(ConstantFolder.Fold(bound, _evaluator)));
        if (keyIndex >= 0)
        {
            return new ColumnReference(keyIndex, bound.Type, KeyNames[keyIndex]);
        }

        return null;
    }
}
