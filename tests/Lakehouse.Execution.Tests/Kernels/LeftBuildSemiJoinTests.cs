using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Operators;
using Lakehouse.Execution.Spill;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Tests.Kernels;

/// <summary>The semi and anti join built over its left input keeps exactly the rows the right-built hash join keeps.</summary>
public sealed class LeftBuildSemiJoinTests
{
    private static readonly Schema LeftSchema = new([new Field("k", Int64Type.Default, true), new Field("v", Int32Type.Default, true)], null);
    private static readonly Schema RightSchema = new([new Field("k", Int64Type.Default, true), new Field("w", Int32Type.Default, true)], null);

    public static TheoryData<JoinType, bool> Cases => new()
    {
        { JoinType.Semi, false },
        { JoinType.Semi, true },
        { JoinType.Anti, false },
        { JoinType.Anti, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task KeepsTheRowsTheRightBuiltJoinKeeps(JoinType joinType, bool withResidual)
    {
        var left = Batches(LeftSchema, 3_000, 2_000, seed: 1);
        var right = Batches(RightSchema, 40_000, 5_000, seed: 2);
        var leftKey = new ColumnReference(0, Int64Type.Default, "k");
        var rightKey = new ColumnReference(0, Int64Type.Default, "k");

        // Residual over the pair (left columns, then right columns): v <> w.
        BoundExpression? residual = withResidual
            ? new CallExpression(ScalarFunction.NotEqual, [new ColumnReference(1, Int32Type.Default, "v"), new ColumnReference(3, Int32Type.Default, "w")], BooleanType.Default)
            : null;

        var expected = await RowsAsync(new HashJoinOperator(new ValuesOperator(LeftSchema, left), new ValuesOperator(RightSchema, right), joinType, [leftKey], [rightKey], residual, LeftSchema));
        var actual = await RowsAsync(new LeftBuildSemiJoinOperator(new ValuesOperator(LeftSchema, left), new ValuesOperator(RightSchema, right), joinType, [leftKey], [rightKey], residual));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task ALeftInputOverTheMemoryLimitFallsBackToTheRightBuiltJoin()
    {
        var left = Batches(LeftSchema, 50_000, 20_000, seed: 3);
        var right = Batches(RightSchema, 5_000, 20_000, seed: 4);
        var key = new ColumnReference(0, Int64Type.Default, "k");
        var memory = new QueryMemory(256 * 1024, spillEnabled: true, Path.GetTempPath());
        var expected = await RowsAsync(new HashJoinOperator(new ValuesOperator(LeftSchema, left), new ValuesOperator(RightSchema, right), JoinType.Semi, [key], [key], null, LeftSchema));
        var actual = await RowsAsync(new LeftBuildSemiJoinOperator(new ValuesOperator(LeftSchema, left), new ValuesOperator(RightSchema, right), JoinType.Semi, [key], [key], null, memory));
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> RowsAsync(PhysicalOperator join)
    {
        var rows = new List<string>();
        await foreach (var batch in join.ExecuteAsync(CancellationToken.None))
        {
            var keys = (Int64Array)batch.Column(0);
            var values = (Int32Array)batch.Column(1);
            for (int i = 0; i < batch.Length; i++)
            {
                rows.Add($"{keys.GetValue(i)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}|{values.GetValue(i)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Rows with keys in [0, keyRange), every 97th key NULL, in batches of 1000.</summary>
    private static List<RecordBatch> Batches(Schema schema, int rows, int keyRange, int seed)
    {
        var random = new Random(seed);
        var batches = new List<RecordBatch>();
        for (int start = 0; start < rows; start += 1000)
        {
            int length = Math.Min(1000, rows - start);
            var keys = new Int64Array.Builder();
            var values = new Int32Array.Builder();
            for (int i = 0; i < length; i++)
            {
                if ((start + i) % 97 == 0)
                {
                    keys.AppendNull();
                }
                else
                {
                    keys.Append(random.Next(keyRange));
                }

                values.Append(random.Next(3));
            }

            batches.Add(new RecordBatch(schema, [keys.Build(), values.Build()], length));
        }

        return batches;
    }
}
