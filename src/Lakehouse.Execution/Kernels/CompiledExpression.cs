using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>An expression prepared for repeated vectorized evaluation over record batches.</summary>
public abstract class CompiledExpression
{
    protected CompiledExpression(IArrowType type) => Type = type;

    public IArrowType Type { get; }

    public abstract IArrowArray Evaluate(RecordBatch batch);

    /// <summary>Constants are materialized for at least this many rows, so batches of varying length share one array.</summary>
    private const int MinimumCachedRows = 8192;

    private static readonly Schema NoColumns = new([], null);

    /// <summary>Fixed-width constants grow geometrically from a floor; variable-width ones stay at the batch length.</summary>
    private static int CachedLength(IArrowType type, int batchLength, IArrowArray? cached) => type is FixedWidthType or BooleanType
        ? Math.Max(batchLength, Math.Max(MinimumCachedRows, 2 * (cached?.Length ?? 0)))
        : batchLength;

    public static CompiledExpression Compile(BoundExpression expression) => expression switch
    {
        ColumnReference column => new ColumnExpression(column.Index, column.Type),
        Literal literal => new ConstantSubtree(new LiteralExpression(literal.Value, literal.Type)),
        FieldAccess access => new FieldAccessCompiled(Compile(access.Input), access.FieldIndex, access.Type),
        CastExpression cast when IsConstant(cast.Input) => new ConstantSubtree(new CastCompiled(Compile(cast.Input), cast.Input.Type, cast.Type, cast.IsTry)),
        CastExpression cast => new CastCompiled(Compile(cast.Input), cast.Input.Type, cast.Type, cast.IsTry),
        CallExpression call when IsConstant(call) => new ConstantSubtree(CompileCall(call)),
        CallExpression call => CompileCall(call),
        _ => throw new ExecutionException(ExecutionException.NotSupported, $"cannot evaluate {expression}"),
    };

    /// <summary>Literals and casts or arithmetic over them: the same value for every row of every batch.</summary>
    private static bool IsConstant(BoundExpression expression)
    {
        switch (expression)
        {
            case Literal:
                return true;
            case CastExpression cast:
                return IsConstant(cast.Input);
            case CallExpression { Function: (>= ScalarFunction.Add and <= ScalarFunction.Modulo) or ScalarFunction.Negate } call:
                foreach (var argument in call.Arguments)
                {
                    if (!IsConstant(argument))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static CompiledExpression[] CompileAll(IReadOnlyList<BoundExpression> expressions)
    {
        var compiled = new CompiledExpression[expressions.Count];
        for (int i = 0; i < compiled.Length; i++)
        {
            compiled[i] = Compile(expressions[i]);
        }

        return compiled;
    }

    private static CompiledExpression CompileCall(CallExpression call)
    {
        var arguments = call.Arguments;
        switch (call.Function)
        {
            case >= ScalarFunction.Equal and <= ScalarFunction.GreaterThanOrEqual when arguments[1] is Literal { Value: not null } constant
                && SqlTypes.AreEqual(arguments[0].Type, constant.Type) && ComparisonKernels.HasScalarKernel(arguments[0].Type):
                return new CompareWithConstant(call.Function, Compile(arguments[0]), ArrayFactory.Repeat(constant.Type, constant.Value, 1));
            case >= ScalarFunction.Equal and <= ScalarFunction.GreaterThanOrEqual when arguments[0] is Literal { Value: not null } constant
                && SqlTypes.AreEqual(arguments[1].Type, constant.Type) && ComparisonKernels.HasScalarKernel(arguments[1].Type):
                return new CompareWithConstant(CallExpression.MirrorComparison(call.Function), Compile(arguments[1]), ArrayFactory.Repeat(constant.Type, constant.Value, 1));
            case <= ScalarFunction.IsNotDistinctFrom:
                return new Binary(call.Type, Compile(arguments[0]), Compile(arguments[1]), (l, r) => ComparisonKernels.Compare(call.Function, l, r));
            case >= ScalarFunction.Add and <= ScalarFunction.Modulo:
                return new Binary(call.Type, Compile(arguments[0]), Compile(arguments[1]), (l, r) => ArithmeticKernels.Apply(call.Function, l, r, call.Type));
            case ScalarFunction.Negate:
                return new Unary(call.Type, Compile(arguments[0]), input => ArithmeticKernels.Negate(input, call.Type));
            case ScalarFunction.Abs:
                return new Unary(call.Type, Compile(arguments[0]), input => ArithmeticKernels.Abs(input, call.Type));
            case ScalarFunction.And or ScalarFunction.Or:
                return new Logical(call.Function == ScalarFunction.And, CompileAll(arguments));
            case ScalarFunction.Not:
                return new Unary(call.Type, Compile(arguments[0]), LogicalKernels.Not);
            case ScalarFunction.IsNull or ScalarFunction.IsNotNull:
                bool wantNull = call.Function == ScalarFunction.IsNull;
                return new Unary(call.Type, Compile(arguments[0]), input => LogicalKernels.IsNull(input, wantNull));
            case ScalarFunction.In:
                return new InList(Compile(arguments[0]), arguments);
            case ScalarFunction.Like:
                if (arguments[1] is not Literal pattern || arguments.Count > 2 && arguments[2] is not Literal)
                {
                    throw new ExecutionException(ExecutionException.NotSupported, "LIKE needs a constant pattern and escape");
                }

                var escapeText = arguments.Count > 2 ? ((Literal)arguments[2]).Value as string : null;
                if (pattern.Value is null)
                {
                    return new ConstantSubtree(new LiteralExpression(null, BooleanType.Default));
                }

                char? escape = escapeText is null ? null : escapeText.Length == 1
                    ? escapeText[0]
                    : throw new ExecutionException(ExecutionException.InvalidArgument, $"LIKE escape '{escapeText}' must be a single character");
                var matcher = new LikeMatcher((string)pattern.Value, escape);
                return new Unary(call.Type, Compile(arguments[0]), input => LogicalKernels.Like(input, matcher));
            case ScalarFunction.Case:
                return new Case(call.Type, CompileAll(arguments));
            case ScalarFunction.Coalesce:
                return new Coalesce(call.Type, CompileAll(arguments));
            case ScalarFunction.NullIf:
                return new Binary(call.Type, Compile(arguments[0]), Compile(arguments[1]), (l, r) => LogicalKernels.NullIf(l, r, call.Type));
            case ScalarFunction.Concat:
                return new Variadic(call.Type, CompileAll(arguments), StringKernels.Concat);
            case ScalarFunction.Lower:
                return new Unary(call.Type, Compile(arguments[0]), input => StringKernels.ChangeCase(input, upper: false));
            case ScalarFunction.Upper:
                return new Unary(call.Type, Compile(arguments[0]), input => StringKernels.ChangeCase(input, upper: true));
            case ScalarFunction.Length:
                return new Unary(call.Type, Compile(arguments[0]), StringKernels.Length);
            default:
                return FunctionCompiler.TryCompile(call)
                    ?? throw new ExecutionException(ExecutionException.NotSupported, $"function {call.Function} cannot be evaluated");
        }
    }

    /// <summary>Failures that depend on the values (not on the plan): a guarded branch may legitimately hit them.</summary>
    private static bool IsDataError(ExecutionException error) => error.Code is ExecutionException.DivisionByZero
        or ExecutionException.NumericOverflow or ExecutionException.InvalidCast or ExecutionException.InvalidArgument;

    private sealed class ColumnExpression(int index, IArrowType type) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch) => batch.Column(index);
    }

    private sealed class FieldAccessCompiled(CompiledExpression input, int fieldIndex, IArrowType type) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var structArray = (StructArray)input.Evaluate(batch);
            var child = structArray.Fields[fieldIndex];
            if (structArray.NullCount == 0)
            {
                return structArray.Offset == 0 && child.Length == structArray.Length
                    ? child
                    : ArrowArrayFactory.Slice(child, structArray.Offset, structArray.Length);
            }

            // A NULL struct makes its fields NULL, whatever the child array holds at that position.
            var builder = ColumnBuilder.Create(Type, structArray.Length);
            for (int row = 0; row < structArray.Length; row++)
            {
                int childRow = structArray.Offset + row;
                if (structArray.IsNull(row) || child.IsNull(childRow))
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.AppendFrom(child, childRow);
                }
            }

            return builder.Build();
        }
    }

    /// <summary>A constant repeated for every row of the batch (compiled under a <see cref="ConstantSubtree"/>, which keeps it).</summary>
    private sealed class LiteralExpression(object? value, IArrowType type) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch) => ArrayFactory.Repeat(Type, value, batch.Length);
    }

    /// <summary>
    /// A literal, or a subtree without column references: evaluated on the first (or a longer) batch and
    /// then reused, sliced for shorter batches, so a failure surfaces exactly where evaluating it row by row
    /// would have failed.
    /// </summary>
    private sealed class ConstantSubtree(CompiledExpression inner) : CompiledExpression(inner.Type)
    {
        private IArrowArray? _cached;

        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var cached = _cached;
            if (cached is not null && cached.Length >= batch.Length)
            {
                return cached.Length == batch.Length ? cached : ArrowArrayFactory.Slice(cached, 0, batch.Length);
            }

            if (batch.Length == 0)
            {
                return inner.Evaluate(batch);
            }

            int length = CachedLength(Type, batch.Length, cached);
            cached = inner.Evaluate(new RecordBatch(NoColumns, [], length));
            _cached = cached;
            return cached.Length == batch.Length ? cached : ArrowArrayFactory.Slice(cached, 0, batch.Length);
        }
    }

    private sealed class CastCompiled(CompiledExpression input, IArrowType from, IArrowType to, bool isTry) : CompiledExpression(to)
    {
        private readonly IArrowType _target = to;

        public override IArrowArray Evaluate(RecordBatch batch) => CastKernels.Cast(input.Evaluate(batch), from, _target, isTry);
    }

    /// <summary>A column compared with a constant: the constant is read once, not materialized per row.</summary>
    private sealed class CompareWithConstant(ScalarFunction op, CompiledExpression input, IArrowArray constant) : CompiledExpression(BooleanType.Default)
    {
        public override IArrowArray Evaluate(RecordBatch batch) => ComparisonKernels.CompareScalar(op, input.Evaluate(batch), constant);
    }

    private sealed class Unary(IArrowType type, CompiledExpression input, Func<IArrowArray, IArrowArray> kernel) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch) => kernel(input.Evaluate(batch));
    }

    private sealed class Binary(IArrowType type, CompiledExpression left, CompiledExpression right, Func<IArrowArray, IArrowArray, IArrowArray> kernel) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch) => kernel(left.Evaluate(batch), right.Evaluate(batch));
    }

    private sealed class Variadic(IArrowType type, CompiledExpression[] inputs, Func<IArrowArray[], IArrowType, IArrowArray> kernel) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var arrays = new IArrowArray[inputs.Length];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = inputs[i].Evaluate(batch);
            }

            return kernel(arrays, Type);
        }
    }

    private sealed class Logical(bool isAnd, CompiledExpression[] inputs) : CompiledExpression(BooleanType.Default)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var result = inputs[0].Evaluate(batch);
            for (int i = 1; i < inputs.Length; i++)
            {
                result = LogicalKernels.AndOr(result, inputs[i].Evaluate(batch), isAnd);
            }

            return result;
        }
    }

    private sealed class InList : CompiledExpression
    {
        private readonly CompiledExpression _input;
        private readonly InListSet _set;

        public InList(CompiledExpression input, IReadOnlyList<BoundExpression> arguments)
            : base(BooleanType.Default)
        {
            _input = input;
            var values = new List<object?>(arguments.Count - 1);
            for (int i = 1; i < arguments.Count; i++)
            {
                values.Add(arguments[i] is Literal literal
                    ? literal.Value
                    : throw new ExecutionException(ExecutionException.NotSupported, "IN list values must be constants"));
            }

            _set = new InListSet(arguments[0].Type, values);
        }

        public override IArrowArray Evaluate(RecordBatch batch) => _set.Contains(_input.Evaluate(batch));
    }

    /// <summary>
    /// Each condition sees only the rows no earlier branch took, and each result only the rows that chose it,
    /// so a guarded expression (CASE WHEN a &lt;&gt; 0 THEN b / a END) never fails on the rows it is guarded from.
    /// Branches first run over the whole batch (no copies); only when that fails are the rows split.
    /// </summary>
    private sealed class Case(IArrowType type, CompiledExpression[] arguments) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            try
            {
                return EvaluateWhole(batch);
            }
            catch (ExecutionException error) when (IsDataError(error))
            {
                return EvaluateSplit(batch);
            }
        }

        private IArrowArray EvaluateWhole(RecordBatch batch)
        {
            int length = batch.Length;
            var chosen = new int[length];
            System.Array.Fill(chosen, -1);
            int remaining = length;
            int branches = (arguments.Length - 1) / 2;
            var results = new IArrowArray?[branches + 1];
            for (int b = 0; b < branches && remaining > 0; b++)
            {
                var condition = arguments[2 * b].Evaluate(batch);
                var validity = new Validity(condition);
                bool any = false;
                for (int row = 0; row < length; row++)
                {
                    if (chosen[row] < 0 && validity.IsValid(row) && ArrayAccess.GetBoolean(condition, row))
                    {
                        chosen[row] = b;
                        remaining--;
                        any = true;
                    }
                }

                if (any)
                {
                    results[b] = arguments[(2 * b) + 1].Evaluate(batch);
                }
            }

            if (remaining > 0)
            {
                results[branches] = arguments[^1].Evaluate(batch);
            }

            var builder = ColumnBuilder.Create(Type, length);
            for (int row = 0; row < length; row++)
            {
                var source = results[chosen[row] < 0 ? branches : chosen[row]]!;
                if (source.IsNull(row))
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.AppendFrom(source, row);
                }
            }

            return builder.Build();
        }

        private IArrowArray EvaluateSplit(RecordBatch batch)
        {
            int length = batch.Length;
            var chosen = new int[length];
            var positions = new int[length];
            var remaining = new int[length];
            for (int row = 0; row < length; row++)
            {
                remaining[row] = row;
            }

            int remainingCount = length;
            int branches = (arguments.Length - 1) / 2;
            var results = new IArrowArray?[branches + 1];
            var selected = new int[length];
            var selectedLocal = new int[length];
            for (int b = 0; b < branches && remainingCount > 0; b++)
            {
                var candidates = remainingCount == length ? batch : ArrayFactory.Take(batch, remaining.AsSpan(0, remainingCount));
                var condition = arguments[2 * b].Evaluate(candidates);
                var validity = new Validity(condition);
                int selectedCount = 0;
                int kept = 0;
                for (int local = 0; local < remainingCount; local++)
                {
                    int row = remaining[local];
                    if (validity.IsValid(local) && ArrayAccess.GetBoolean(condition, local))
                    {
                        chosen[row] = b;
                        positions[row] = selectedCount;
                        selected[selectedCount] = row;
                        selectedLocal[selectedCount] = local;
                        selectedCount++;
                    }
                    else
                    {
                        remaining[kept++] = row;
                    }
                }

                if (selectedCount > 0)
                {
                    var rows = selectedCount == candidates.Length ? candidates : ArrayFactory.Take(candidates, selectedLocal.AsSpan(0, selectedCount));
                    results[b] = arguments[(2 * b) + 1].Evaluate(rows);
                }

                remainingCount = kept;
            }

            if (remainingCount > 0)
            {
                for (int local = 0; local < remainingCount; local++)
                {
                    chosen[remaining[local]] = branches;
                    positions[remaining[local]] = local;
                }

                var rows = remainingCount == length ? batch : ArrayFactory.Take(batch, remaining.AsSpan(0, remainingCount));
                results[branches] = arguments[^1].Evaluate(rows);
            }

            var builder = ColumnBuilder.Create(Type, length);
            for (int row = 0; row < length; row++)
            {
                var source = results[chosen[row]]!;
                int position = positions[row];
                if (source.IsNull(position))
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.AppendFrom(source, position);
                }
            }

            return builder.Build();
        }
    }

    /// <summary>
    /// Each argument counts only on the rows all earlier arguments left NULL, as Trino does: arguments first run
    /// over the whole batch, and only when that fails does each run on the rows still NULL.
    /// </summary>
    private sealed class Coalesce(IArrowType type, CompiledExpression[] arguments) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            try
            {
                return EvaluateWhole(batch);
            }
            catch (ExecutionException error) when (IsDataError(error))
            {
                return EvaluateSplit(batch);
            }
        }

        private IArrowArray EvaluateWhole(RecordBatch batch)
        {
            var arrays = new IArrowArray[arguments.Length];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = arguments[i].Evaluate(batch);
            }

            var builder = ColumnBuilder.Create(Type, batch.Length);
            for (int row = 0; row < batch.Length; row++)
            {
                bool found = false;
                foreach (var array in arrays)
                {
                    if (!array.IsNull(row))
                    {
                        builder.AppendFrom(array, row);
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    builder.AppendNull();
                }
            }

            return builder.Build();
        }

        private IArrowArray EvaluateSplit(RecordBatch batch)
        {
            int length = batch.Length;
            var sources = new int[length];
            var positions = new int[length];
            var remaining = new int[length];
            for (int row = 0; row < length; row++)
            {
                remaining[row] = row;
                sources[row] = -1;
            }

            int remainingCount = length;
            var arrays = new IArrowArray?[arguments.Length];
            for (int i = 0; i < arguments.Length && remainingCount > 0; i++)
            {
                var candidates = remainingCount == length ? batch : ArrayFactory.Take(batch, remaining.AsSpan(0, remainingCount));
                var values = arguments[i].Evaluate(candidates);
                arrays[i] = values;
                int kept = 0;
                for (int local = 0; local < remainingCount; local++)
                {
                    int row = remaining[local];
                    if (values.IsNull(local))
                    {
                        remaining[kept++] = row;
                    }
                    else
                    {
                        sources[row] = i;
                        positions[row] = local;
                    }
                }

                remainingCount = kept;
            }

            var builder = ColumnBuilder.Create(Type, length);
            for (int row = 0; row < length; row++)
            {
                if (sources[row] < 0)
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.AppendFrom(arrays[sources[row]]!, positions[row]);
                }
            }

            return builder.Build();
        }
    }
}

/// <summary>Constant values of an IN list, probed per row without allocation.</summary>
internal sealed class InListSet
{
    private readonly PhysicalKind _kind;
    private readonly HashSet<long>? _integers;
    private readonly HashSet<double>? _doubles;
    private readonly HashSet<Int128>? _decimals;
    private readonly List<byte[]>? _bytes;
    private readonly bool? _booleanTrue;
    private readonly bool? _booleanFalse;
    private readonly bool _hasNull;

    public InListSet(IArrowType type, IReadOnlyList<object?> values)
    {
        _kind = SqlTypes.KindOf(type);
        switch (_kind)
        {
            case PhysicalKind.Int8 or PhysicalKind.Int16 or PhysicalKind.Int32 or PhysicalKind.Int64:
                _integers = [];
                break;
            case PhysicalKind.Float or PhysicalKind.Double:
                _doubles = [];
                break;
            case PhysicalKind.Int128:
                _decimals = [];
                break;
            case PhysicalKind.Boolean:
                _booleanTrue = false;
                _booleanFalse = false;
                break;
            default:
                _bytes = [];
                break;
        }

        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    _hasNull = true;
                    break;
                case bool b:
                    if (b)
                    {
                        _booleanTrue = true;
                    }
                    else
                    {
                        _booleanFalse = true;
                    }

                    break;
                case sbyte v:
                    _integers!.Add(v);
                    break;
                case short v:
                    _integers!.Add(v);
                    break;
                case int v:
                    _integers!.Add(v);
                    break;
                case long v:
                    _integers!.Add(v);
                    break;
                case float v:
                    _doubles!.Add(v);
                    break;
                case double v:
                    _doubles!.Add(v);
                    break;
                case Int128 v:
                    _decimals!.Add(v);
                    break;
                case string s:
                    _bytes!.Add(Encoding.UTF8.GetBytes(s));
                    break;
                case byte[] bytes:
                    _bytes!.Add(bytes);
                    break;
                case Guid guid:
                    var guidBytes = new byte[16];
                    guid.TryWriteBytes(guidBytes, bigEndian: true, out _);
                    _bytes!.Add(guidBytes);
                    break;
                default:
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"IN list value {value} has an unexpected form");
            }
        }
    }

    public IArrowArray Contains(IArrowArray input)
    {
        if (_bytes is not null && !_hasNull && input.Data.DataType is StringType or BinaryType && input is not ExtensionArray)
        {
            return ContainsVariable(input);
        }

        int length = input.Length;
        var values = new byte[(length + 7) >> 3];
        var validityBits = new byte[(length + 7) >> 3];
        int nulls = 0;
        var validity = new Validity(input);
        for (int row = 0; row < length; row++)
        {
            if (!validity.IsValid(row))
            {
                nulls++;
                continue;
            }

            bool found = _kind switch
            {
                PhysicalKind.Int8 => _integers!.Contains(ArrayAccess.Values<sbyte>(input)[row]),
                PhysicalKind.Int16 => _integers!.Contains(ArrayAccess.Values<short>(input)[row]),
                PhysicalKind.Int32 => _integers!.Contains(ArrayAccess.Values<int>(input)[row]),
                PhysicalKind.Int64 => _integers!.Contains(ArrayAccess.Values<long>(input)[row]),
                PhysicalKind.Float => _doubles!.Contains(ArrayAccess.Values<float>(input)[row]),
                PhysicalKind.Double => _doubles!.Contains(ArrayAccess.Values<double>(input)[row]),
                PhysicalKind.Int128 => _decimals!.Contains(ArrayAccess.Values<Int128>(input)[row]),
                PhysicalKind.Boolean => ArrayAccess.GetBoolean(input, row) ? _booleanTrue == true : _booleanFalse == true,
                _ => ContainsBytes(ArrayAccess.GetBytes(input, row)),
            };
            if (found)
            {
                ArrayAccess.SetBit(values, row);
                ArrayAccess.SetBit(validityBits, row);
            }
            else if (_hasNull)
            {
                nulls++;
            }
            else
            {
                ArrayAccess.SetBit(validityBits, row);
            }
        }

        return ArrayFactory.Boolean(values, nulls == 0 ? null : validityBits, nulls, length);
    }

    /// <summary>Strings against a list without NULL: offsets and bytes read once, lengths compared first.</summary>
    private IArrowArray ContainsVariable(IArrowArray input)
    {
        int length = input.Length;
        var values = new byte[(length + 7) >> 3];
        var offsets = ArrayAccess.Offsets(input);
        var data = ArrayAccess.VariableData(input);
        var candidates = _bytes!;
        for (int row = 0; row < length; row++)
        {
            int start = offsets[row];
            var value = data.Slice(start, offsets[row + 1] - start);
            foreach (var candidate in candidates)
            {
                if (candidate.Length == value.Length && value.SequenceEqual(candidate))
                {
                    values[row >> 3] |= (byte)(1 << (row & 7));
                    break;
                }
            }
        }

        var (validity, nulls) = Bitmaps.CopyValidity(input);
        return ArrayFactory.Boolean(values, validity, nulls, length);
    }

    private bool ContainsBytes(ReadOnlySpan<byte> value)
    {
        foreach (var candidate in _bytes!)
        {
            if (value.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }
}
