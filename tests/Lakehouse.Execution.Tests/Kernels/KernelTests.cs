using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Kernels;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Tests.Kernels;

/// <summary>Typed gathers and concatenation, and the decimal arithmetic paths that skip per-value overflow checks.</summary>
public sealed class KernelTests
{
    [Fact]
    public void TakeGathersFixedWidthValuesWithNullsAndPadding()
    {
        var source = new Int64Array.Builder().Append(10).AppendNull().Append(30).Append(40).Build();
        var sliced = (Int64Array)ArrowArrayFactory.Slice(source, 1, 3);
        var taken = (Int64Array)ArrayFactory.Take(sliced, Int64Type.Default, [2, 0, -1, 1]);
        Assert.Equal(4, taken.Length);
        Assert.Equal(40, taken.GetValue(0));
        Assert.Null(taken.GetValue(1));
        Assert.Null(taken.GetValue(2));
        Assert.Equal(30, taken.GetValue(3));
        Assert.Equal(2, taken.NullCount);
    }

    [Fact]
    public void TakeGathersStringsFromASlice()
    {
        var source = new StringArray.Builder().Append("zero").Append("one").AppendNull().Append("three").Append(string.Empty).Build();
        var sliced = (StringArray)ArrowArrayFactory.Slice(source, 1, 4);
        var taken = (StringArray)ArrayFactory.Take(sliced, StringType.Default, [2, 1, 0, -1, 3, 2]);
        Assert.Equal(new string?[] { "three", null, "one", null, string.Empty, "three" }, Strings(taken));
    }

    [Fact]
    public void TakeGathersBooleans()
    {
        var source = new BooleanArray.Builder().Append(true).Append(false).AppendNull().Append(true).Build();
        var taken = (BooleanArray)ArrayFactory.Take(source, BooleanType.Default, [3, 2, 1, 0, -1]);
        Assert.Equal([true, null, false, true, null], new bool?[] { taken.GetValue(0), taken.GetValue(1), taken.GetValue(2), taken.GetValue(3), taken.GetValue(4) });
    }

    [Fact]
    public void ConcatenateJoinsBatchesWithAndWithoutNulls()
    {
        var schema = new Schema([new Field("n", Int32Type.Default, true), new Field("s", StringType.Default, true)], null);
        var first = new RecordBatch(schema, [new Int32Array.Builder().Append(1).Append(2).Build(), new StringArray.Builder().Append("a").Append("bc").Build()], 2);
        var empty = new RecordBatch(schema, [new Int32Array.Builder().Build(), new StringArray.Builder().Build()], 0);
        var second = new RecordBatch(schema, [new Int32Array.Builder().AppendNull().Append(4).Build(), new StringArray.Builder().Append("d").AppendNull().Build()], 2);
        var joined = ArrayFactory.Concatenate(schema, [first, empty, second]);
        var numbers = (Int32Array)joined.Column(0);
        Assert.Equal([1, 2, null, 4], new int?[] { numbers.GetValue(0), numbers.GetValue(1), numbers.GetValue(2), numbers.GetValue(3) });
        Assert.Equal(new string?[] { "a", "bc", "d", null }, Strings((StringArray)joined.Column(1)));
    }

    [Fact]
    public void DecimalArithmeticWithinDeclaredPrecisionIsExact()
    {
        var price = Decimals(new Decimal128Type(15, 2), 123456789012345, -99, 0);
        var discount = Decimals(new Decimal128Type(15, 2), 5, 10, 100);
        var difference = ArithmeticKernels.Apply(ScalarFunction.Subtract, price, discount, new Decimal128Type(16, 2));
        Assert.Equal([(Int128)123456789012340, -109, -100], Unscaled(difference));
        var product = ArithmeticKernels.Apply(ScalarFunction.Multiply, price, discount, new Decimal128Type(30, 4));
        Assert.Equal([(Int128)123456789012345 * 5, -990, 0], Unscaled(product));
    }

    [Fact]
    public void DecimalAdditionRescalesTheOperands()
    {
        var left = Decimals(new Decimal128Type(10, 0), 7, -3);
        var right = Decimals(new Decimal128Type(15, 2), 25, 1);
        var sum = ArithmeticKernels.Apply(ScalarFunction.Add, left, right, new Decimal128Type(16, 2));
        Assert.Equal([(Int128)725, -299], Unscaled(sum));
    }

    [Fact]
    public void DecimalMultiplicationThatLeaves38DigitsStillFails()
    {
        Int128 large = Int128.Parse("9999999999999999999999999999", System.Globalization.CultureInfo.InvariantCulture);
        var left = Decimals(new Decimal128Type(28, 0), large);
        var right = Decimals(new Decimal128Type(28, 0), large);
        var error = Assert.Throws<ExecutionException>(() => ArithmeticKernels.Apply(ScalarFunction.Multiply, left, right, new Decimal128Type(38, 0)));
        Assert.Equal(ExecutionException.NumericOverflow, error.Code);
    }

    [Fact]
    public void DecimalMultiplicationDeclaredWiderThan38DigitsIsExactForSmallValues()
    {
        var left = Decimals(new Decimal128Type(31, 4), 1234567, -50000);
        var right = Decimals(new Decimal128Type(16, 2), 105, 99);
        var product = ArithmeticKernels.Apply(ScalarFunction.Multiply, left, right, new Decimal128Type(38, 6));
        Assert.Equal([(Int128)1234567 * 105, -50000 * 99], Unscaled(product));
    }

    [Theory]
    [InlineData(ScalarFunction.Equal)]
    [InlineData(ScalarFunction.NotEqual)]
    [InlineData(ScalarFunction.LessThan)]
    [InlineData(ScalarFunction.LessThanOrEqual)]
    [InlineData(ScalarFunction.GreaterThan)]
    [InlineData(ScalarFunction.GreaterThanOrEqual)]
    public void ComparingWithAConstantMatchesComparingWithARepeatedColumn(ScalarFunction op)
    {
        var strings = new StringArray.Builder().Append("MAIL").Append("AIR").AppendNull().Append(string.Empty).Append("MAILS").Append("MAI").Build();
        var longs = new Int64Array.Builder().Append(5).Append(-1).AppendNull().Append(7).Append(6).Append(long.MinValue).Build();
        foreach (var (column, constant) in new (IArrowArray, object)[] { (strings, "MAIL"), (longs, 6L) })
        {
            var type = column.Data.DataType;
            var expected = (BooleanArray)ComparisonKernels.Compare(op, column, ArrayFactory.Repeat(type, constant, column.Length));
            var actual = (BooleanArray)ComparisonKernels.CompareScalar(op, column, ArrayFactory.Repeat(type, constant, 1));
            for (int i = 0; i < column.Length; i++)
            {
                Assert.Equal(expected.GetValue(i), actual.GetValue(i));
            }
        }
    }

    private static IArrowArray Decimals(Decimal128Type type, params Int128[] unscaled)
    {
        var bytes = new byte[unscaled.Length * 16];
        System.Runtime.InteropServices.MemoryMarshal.Cast<Int128, byte>(unscaled).CopyTo(bytes);
        return ArrayFactory.Primitive(type, bytes, null, 0, unscaled.Length);
    }

    private static Int128[] Unscaled(IArrowArray array) => ArrayAccess.Values<Int128>(array).ToArray();

    private static string?[] Strings(StringArray array)
    {
        var values = new string?[array.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = array.GetString(i);
        }

        return values;
    }
}
