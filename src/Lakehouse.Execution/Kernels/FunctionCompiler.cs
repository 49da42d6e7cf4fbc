using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Types;

namespace Lakehouse.Execution.Kernels;

/// <summary>Compiles calls of the string, math and date/time functions to their kernels.</summary>
internal static class FunctionCompiler
{
    public static CompiledExpression? TryCompile(CallExpression call)
    {
        var arguments = call.Arguments;
        var type = call.Type;
        switch (call.Function)
        {
            case ScalarFunction.Substring:
                return Kernel(call, StringFunctionKernels.Substring);
            case ScalarFunction.Trim:
                return Kernel(call, inputs => StringFunctionKernels.Trim(inputs, leading: true, trailing: true));
            case ScalarFunction.LTrim:
                return Kernel(call, inputs => StringFunctionKernels.Trim(inputs, leading: true, trailing: false));
            case ScalarFunction.RTrim:
                return Kernel(call, inputs => StringFunctionKernels.Trim(inputs, leading: false, trailing: true));
            case ScalarFunction.Replace:
                return Kernel(call, StringFunctionKernels.Replace);
            case ScalarFunction.SplitPart:
                return Kernel(call, StringFunctionKernels.SplitPart);
            case ScalarFunction.StrPos:
                return Kernel(call, StringFunctionKernels.StrPos);
            case ScalarFunction.StartsWith:
                return Kernel(call, StringFunctionKernels.StartsWith);
            case ScalarFunction.LPad:
                return Kernel(call, inputs => StringFunctionKernels.Pad(inputs, left: true));
            case ScalarFunction.RPad:
                return Kernel(call, inputs => StringFunctionKernels.Pad(inputs, left: false));
            case ScalarFunction.Reverse:
                return Kernel(call, StringFunctionKernels.Reverse);
            case ScalarFunction.RegexpLike or ScalarFunction.RegexpExtract or ScalarFunction.RegexpReplace:
                return CompileRegex(call);
            case ScalarFunction.Round:
                return Kernel(call, inputs => MathKernels.Round(inputs[0], inputs[1], arguments[0].Type, type));
            case ScalarFunction.Ceil:
                return Kernel(call, inputs => MathKernels.ToIntegral(inputs[0], arguments[0].Type, type, MathKernels.Direction.Ceil));
            case ScalarFunction.Floor:
                return Kernel(call, inputs => MathKernels.ToIntegral(inputs[0], arguments[0].Type, type, MathKernels.Direction.Floor));
            case ScalarFunction.Truncate:
                return arguments.Count == 2
                    ? Kernel(call, inputs => MathKernels.TruncateDigits(inputs[0], inputs[1], type))
                    : Kernel(call, inputs => MathKernels.ToIntegral(inputs[0], arguments[0].Type, type, MathKernels.Direction.Truncate));
            case ScalarFunction.Power:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, Math.Pow));
            case ScalarFunction.Sqrt:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Sqrt(x)));
            case ScalarFunction.Ln:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Log(x)));
            case ScalarFunction.Log10:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Log10(x)));
            case ScalarFunction.Exp:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Exp(x)));
            case ScalarFunction.Sign:
                return Kernel(call, inputs => MathKernels.Sign(inputs[0], arguments[0].Type, type));
            case ScalarFunction.Greatest or ScalarFunction.Least:
                bool greatest = call.Function == ScalarFunction.Greatest;
                return Kernel(call, inputs => MathKernels.Extreme(inputs, type, greatest));
            case ScalarFunction.Extract:
                var field = ConstantText(call, 0);
                return Kernel(call, inputs => DateTimeKernels.Extract(field, inputs[1], arguments[1].Type));
            case ScalarFunction.DateTrunc:
                var truncateUnit = ConstantText(call, 0);
                return Kernel(call, inputs => DateTimeKernels.Truncate(truncateUnit, inputs[1], type));
            case ScalarFunction.DateAdd:
                var addUnit = ConstantText(call, 0);
                return Kernel(call, inputs => DateTimeKernels.Add(addUnit, inputs[1], inputs[2], type));
            case ScalarFunction.DateDiff:
                var diffUnit = ConstantText(call, 0);
                return Kernel(call, inputs => DateTimeKernels.Difference(diffUnit, inputs[1], inputs[2], arguments[1].Type));
            case ScalarFunction.FromUnixtime:
                return Kernel(call, inputs => DateTimeKernels.FromUnixtime(inputs[0], type));
            case ScalarFunction.ToUnixtime:
                return Kernel(call, inputs => DateTimeKernels.ToUnixtime(inputs[0]));
            case ScalarFunction.AddInterval:
                return Kernel(call, inputs => DateTimeKernels.AddInterval(inputs[0], inputs[1], type, arguments[1].Type));
            case ScalarFunction.TimestampDifference:
                return Kernel(call, inputs => DateTimeKernels.TimestampDifference(inputs[0], inputs[1], type));
            case ScalarFunction.AtTimeZone:
                return Kernel(call, inputs => DateTimeKernels.Retype(inputs[0], type));
            case ScalarFunction.Row:
                return Kernel(call, inputs => BuildRow(inputs, (StructType)type));
            case ScalarFunction.Try:
                return new TryExpression(CompiledExpression.Compile(arguments[0]));
            case ScalarFunction.Cbrt:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Cbrt(x)));
            case ScalarFunction.Log2:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (x, _) => Math.Log2(x)));
            case ScalarFunction.Log:
                return Kernel(call, inputs => MathKernels.Doubles(inputs, static (b, x) => Math.Log(x) / Math.Log(b)));
            case ScalarFunction.DateFormat:
                var formatter = new DateFormatKernels(ConstantText(call, 1));
                return Kernel(call, inputs => formatter.Format(inputs[0], arguments[0].Type));
            case ScalarFunction.DateParse:
                var parser = new DateFormatKernels(ConstantText(call, 1)).ForParsing();
                return Kernel(call, inputs => parser.Parse(inputs[0], type));
            case ScalarFunction.Cardinality:
                return Kernel(call, inputs => ArrayKernels.Cardinality(inputs[0]));
            case ScalarFunction.ArrayJoin:
                var elementType = ((ListType)arguments[0].Type).ValueDataType;
                return Kernel(call, inputs => ArrayKernels.Join(inputs, elementType));
            case ScalarFunction.ConcatWs:
                return Kernel(call, StringFunctionKernels.ConcatWs);
            case ScalarFunction.Chr:
                return Kernel(call, StringFunctionKernels.Chr);
            case ScalarFunction.Codepoint:
                return Kernel(call, StringFunctionKernels.Codepoint);
            case ScalarFunction.LevenshteinDistance:
                return Kernel(call, StringFunctionKernels.LevenshteinDistance);
            case ScalarFunction.LastDayOfMonth:
                return Kernel(call, inputs => DateTimeKernels.LastDayOfMonth(inputs[0], arguments[0].Type));
            case ScalarFunction.ToIso8601:
                return Kernel(call, inputs => DateTimeKernels.ToIso8601(inputs[0], arguments[0].Type));
            case ScalarFunction.FromIso8601:
                return Kernel(call, inputs => DateTimeKernels.FromIso8601(inputs[0], type));
            case ScalarFunction.WithTimeZone:
                var zoneRule = TimeZones.Resolve(ConstantText(call, 1));
                return Kernel(call, inputs => DateTimeKernels.WithTimeZone(inputs[0], zoneRule, type));
            case ScalarFunction.IsNan:
                return Kernel(call, inputs => MathKernels.IsNan(inputs[0]));
            default:
                return null;
        }
    }

    private static string ConstantText(CallExpression call, int index) => call.Arguments[index] is Literal { Value: string text }
        ? text
        : throw new ExecutionException(ExecutionException.NotSupported, $"{call.Function} needs a constant argument {index + 1}");

    private static CompiledExpression CompileRegex(CallExpression call)
    {
        if (call.Arguments[1] is not Literal pattern || (call.Arguments.Count > 2 && call.Arguments[2] is not Literal))
        {
            throw new ExecutionException(ExecutionException.NotSupported, $"{call.Function} needs a constant pattern");
        }

        if (pattern.Value is null || (call.Arguments.Count > 2 && ((Literal)call.Arguments[2]).Value is null))
        {
            return CompiledExpression.Compile(Literal.Null(call.Type));
        }

        var regex = new RegexKernels((string)pattern.Value);
        var input = CompiledExpression.Compile(call.Arguments[0]);
        return call.Function switch
        {
            ScalarFunction.RegexpLike => new ArgumentsExpression(call.Type, [input], inputs => regex.Like(inputs[0])),
            ScalarFunction.RegexpExtract => ExtractGroup(call, regex, input),
            _ => ReplaceWith(call, regex, input),
        };
    }

    private static CompiledExpression ExtractGroup(CallExpression call, RegexKernels regex, CompiledExpression input)
    {
        long group = ((Literal)call.Arguments[2]).Value is long value ? value : 0;
        return new ArgumentsExpression(call.Type, [input], inputs => regex.Extract(inputs[0], group));
    }

    private static CompiledExpression ReplaceWith(CallExpression call, RegexKernels regex, CompiledExpression input)
    {
        var replacement = (string)((Literal)call.Arguments[2]).Value!;
        return new ArgumentsExpression(call.Type, [input], inputs => regex.Replace(inputs[0], replacement));
    }

    private static CompiledExpression Kernel(CallExpression call, Func<IArrowArray[], IArrowArray> kernel)
    {
        var inputs = new CompiledExpression[call.Arguments.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = CompiledExpression.Compile(call.Arguments[i]);
        }

        return new ArgumentsExpression(call.Type, inputs, kernel);
    }

    private static IArrowArray BuildRow(IArrowArray[] inputs, StructType type)
    {
        int length = inputs.Length == 0 ? 0 : inputs[0].Length;
        return new StructArray(type, length, inputs, ArrowBuffer.Empty, nullCount: 0);
    }

    /// <summary>
    /// try(x): evaluates the batch at once; when that fails with a data error, evaluates row by row and
    /// turns the failing rows into NULL.
    /// </summary>
    private sealed class TryExpression(CompiledExpression input) : CompiledExpression(input.Type)
    {
        private static bool IsDataError(ExecutionException error) => error.Code is ExecutionException.DivisionByZero
            or ExecutionException.NumericOverflow or ExecutionException.InvalidCast or ExecutionException.InvalidArgument;

        public override IArrowArray Evaluate(RecordBatch batch)
        {
            try
            {
                return input.Evaluate(batch);
            }
            catch (ExecutionException error) when (IsDataError(error))
            {
                return EvaluateRowByRow(batch);
            }
        }

        private IArrowArray EvaluateRowByRow(RecordBatch batch)
        {
            var builder = ColumnBuilder.Create(Type, batch.Length);
            var single = new int[1];
            for (int row = 0; row < batch.Length; row++)
            {
                single[0] = row;
                IArrowArray value;
                try
                {
                    value = input.Evaluate(ArrayFactory.Take(batch, single));
                }
                catch (ExecutionException rowError) when (IsDataError(rowError))
                {
                    builder.AppendNull();
                    continue;
                }

                if (value.IsNull(0))
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.AppendFrom(value, 0);
                }
            }

            return builder.Build();
        }
    }

    /// <summary>Evaluates every argument over the batch, then applies the kernel to the arrays.</summary>
    private sealed class ArgumentsExpression(IArrowType type, CompiledExpression[] inputs, Func<IArrowArray[], IArrowArray> kernel) : CompiledExpression(type)
    {
        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var arrays = new IArrowArray[inputs.Length];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = inputs[i].Evaluate(batch);
            }

            return kernel(arrays);
        }
    }
}
