using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Operators;

namespace Lakehouse.Execution.Tests.Kernels;

/// <summary>Dense key ids for aggregation and join builds, for the integer table and the encoded one alike.</summary>
public sealed class KeyIndexTests
{
    public static TheoryData<string> KeyKinds => new() { "bigint", "integer", "varchar", "bigint+varchar" };

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void EqualKeysShareAnIdAcrossBatchesAndGrowth(string kind)
    {
        var types = Types(kind);
        var index = KeyIndex.Create(types);
        const int distinct = 50_000;
        var firstIds = new int[distinct];
        for (int start = 0; start < distinct; start += 4096)
        {
            int length = Math.Min(4096, distinct - start);
            var newRows = new List<int>();
            var ids = new int[length];
            index.GetOrAdd(Keys(kind, start, length, nullEvery: 0), length, ids, newRows);
            Assert.Equal(length, newRows.Count);
            ids.CopyTo(firstIds, start);
        }

        Assert.Equal(distinct, index.Count);
        Assert.Equal(distinct, new HashSet<int>(firstIds).Count);

        // The same keys again, in one batch: no new ids, the same ids, and Find agrees.
        var again = new int[distinct];
        var added = new List<int>();
        var keys = Keys(kind, 0, distinct, nullEvery: 0);
        index.GetOrAdd(keys, distinct, again, added);
        Assert.Empty(added);
        Assert.Equal(firstIds, again);
        var found = new int[distinct];
        index.Find(keys, distinct, found);
        Assert.Equal(firstIds, found);

        var missing = new int[10];
        index.Find(Keys(kind, distinct + 100, 10, nullEvery: 0), 10, missing);
        Assert.All(missing, id => Assert.Equal(-1, id));
    }

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void NullIsOneKeyOfItsOwn(string kind)
    {
        var index = KeyIndex.Create(Types(kind));
        var keys = Keys(kind, 0, 10, nullEvery: 3);
        var ids = new int[10];
        var newRows = new List<int>();
        index.GetOrAdd(keys, 10, ids, newRows);
        var nullRows = KeyIndex.NullKeyRows(keys, 10);
        Assert.NotNull(nullRows);
        Assert.Equal([true, false, false, true, false, false, true, false, false, true], nullRows);
        if (kind != "bigint+varchar")
        {
            // One column: every NULL is the same key.
            Assert.Equal(ids[0], ids[3]);
            Assert.Equal(ids[0], ids[9]);
            Assert.Equal(7, index.Count);
        }
    }

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void PartitionsDependOnlyOnTheKeyAndSeed(string kind)
    {
        var index = KeyIndex.Create(Types(kind));
        var keys = Keys(kind, 0, 1000, nullEvery: 0);
        var first = Lists(4);
        var second = Lists(4);
        index.Partition(keys, 1000, 7, first);
        index.GetOrAdd(keys, 1000, new int[1000], []);
        index.Partition(keys, 1000, 7, second);
        for (int p = 0; p < 4; p++)
        {
            Assert.Equal(first[p], second[p]);
            Assert.InRange(first[p].Count, 150, 350);
        }
    }

    [Fact]
    public void ColumnWiseEncodingGivesTheRowEncodersBytes()
    {
        var doubles = new DoubleArray.Builder().Append(0.0).Append(-0.0).Append(double.NaN).AppendNull().Append(2.5).Build();
        var strings = new StringArray.Builder().Append("a").AppendNull().Append(string.Empty).Append("longer text").Append("b").Build();
        var booleans = new BooleanArray.Builder().Append(true).Append(false).AppendNull().Append(true).Append(false).Build();
        var decimals = Apache.Arrow.ArrowArrayFactory.BuildArray(new ArrayData(new Decimal128Type(20, 2), 5, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(new byte[80])]));
        var shorts = (Int16Array)ArrowArrayFactory.Slice(new Int16Array.Builder().Append(9).Append(1).AppendNull().Append(3).Append(4).Append(5).Build(), 1, 5);
        IArrowArray[] columns = [doubles, strings, booleans, decimals, shorts];
        var encoder = new RowKeyEncoder([DoubleType.Default, StringType.Default, BooleanType.Default, new Decimal128Type(20, 2), Int16Type.Default]);
        byte[] buffer = new byte[1];
        int[] offsets = [];
        encoder.EncodeAll(columns, 5, ref buffer, ref offsets);
        for (int row = 0; row < 5; row++)
        {
            var expected = encoder.Encode(columns, row, out _).ToArray();
            Assert.Equal(expected, buffer.AsSpan(offsets[row], offsets[row + 1] - offsets[row]).ToArray());
        }
    }

    [Fact]
    public void PackedBuildKeysFindEqualPairsAndMissOutsideTheBuildRange()
    {
        var buildFirst = new Int64Array.Builder().Append(10).Append(10).Append(11).AppendNull().Append(12).Build();
        var buildSecond = new Int32Array.Builder().Append(-5).Append(7).Append(-5).Append(1).Append(7).Build();
        IArrowArray[] build = [buildFirst, buildSecond];
        var index = KeyIndex.CreateForBuild([Int64Type.Default, Int32Type.Default], build);
        var ids = new int[5];
        index.GetOrAdd(build, 5, ids, []);
        Assert.Equal(5, new HashSet<int>(ids).Count);

        var probeFirst = new Int64Array.Builder().Append(11).Append(12).Append(13).Append(10).Append(9).Append(10).Build();
        var probeSecond = new Int32Array.Builder().Append(-5).Append(7).Append(7).Append(-5).Append(7).Append(8).Build();
        var found = new int[6];
        index.Find([probeFirst, probeSecond], 6, found);
        Assert.Equal(ids[2], found[0]);
        Assert.Equal(ids[4], found[1]);
        Assert.Equal(ids[0], found[3]);

        // Outside the build's range in one column (13, 9, 8): no build row's id.
        foreach (int miss in new[] { found[2], found[4], found[5] })
        {
            Assert.True(miss < 0 || miss == ids[3], $"id {miss} belongs to a build key");
        }
    }

    private static List<int>[] Lists(int count)
    {
        var lists = new List<int>[count];
        for (int i = 0; i < count; i++)
        {
            lists[i] = [];
        }

        return lists;
    }

    private static IArrowType[] Types(string kind) => kind switch
    {
        "bigint" => [Int64Type.Default],
        "integer" => [Int32Type.Default],
        "varchar" => [StringType.Default],
        _ => [Int64Type.Default, StringType.Default],
    };

    private static IArrowArray[] Keys(string kind, int start, int length, int nullEvery)
    {
        bool IsNull(int i) => nullEvery > 0 && i % nullEvery == 0;
        var longs = new Int64Array.Builder();
        var ints = new Int32Array.Builder();
        var strings = new StringArray.Builder();
        for (int i = 0; i < length; i++)
        {
            long value = (start + i) * 7919L;
            if (IsNull(i))
            {
                longs.AppendNull();
                ints.AppendNull();
                strings.AppendNull();
            }
            else
            {
                longs.Append(value);
                ints.Append((int)value);
                strings.Append("k" + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return kind switch
        {
            "bigint" => [longs.Build()],
            "integer" => [ints.Build()],
            "varchar" => [strings.Build()],
            _ => [longs.Build(), strings.Build()],
        };
    }
}
