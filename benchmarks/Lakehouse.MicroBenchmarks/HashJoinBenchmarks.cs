using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using BenchmarkDotNet.Attributes;
using Lakehouse.Execution.Operators;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// The hash join operator, inner join on one equality key: builds over 100k rows, probes with 1M
/// rows of which about half find their one match. The time includes building the table.
/// </summary>
[MicroBenchmarkJob]
public class HashJoinBenchmarks
{
    public const int BuildRows = 100_000;
    public const int ProbeRows = LineitemData.RowCount;

    private HashJoinOperator _join = null!;
    private long _expectedRows;

    [Params("bigint", "varchar")]
    public string KeyType { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        bool stringKeys = KeyType switch
        {
            "bigint" => false,
            "varchar" => true,
            _ => throw new ArgumentException($"unknown key type case '{KeyType}'"),
        };
        IArrowType keyType = stringKeys ? StringType.Default : Int64Type.Default;
        var buildSchema = new Schema([new Field("b_key", keyType, true), new Field("b_payload", Int64Type.Default, true)], null);
        var probeSchema = new Schema([new Field("p_key", keyType, true), new Field("p_payload", Int64Type.Default, true)], null);

        var random = new SplitMix64(7);
        var buildKeys = new long[BuildRows];
        for (int i = 0; i < BuildRows; i++)
        {
            buildKeys[i] = i;
        }

        // A shuffled build side, so the table is not filled in key order.
        for (int i = BuildRows - 1; i > 0; i--)
        {
            int j = (int)random.Below(i + 1);
            (buildKeys[i], buildKeys[j]) = (buildKeys[j], buildKeys[i]);
        }

        var probeKeys = new long[ProbeRows];
        _expectedRows = 0;
        for (int i = 0; i < ProbeRows; i++)
        {
            probeKeys[i] = random.Below(2L * BuildRows);
            if (probeKeys[i] < BuildRows)
            {
                _expectedRows++;
            }
        }

        var build = new ValuesOperator(buildSchema, Batches(buildSchema, buildKeys, stringKeys));
        var probe = new ValuesOperator(probeSchema, Batches(probeSchema, probeKeys, stringKeys));
        var outputSchema = new Schema([.. probeSchema.FieldsList, .. buildSchema.FieldsList], null);
        _join = new HashJoinOperator(
            probe,
            build,
            JoinType.Inner,
            [new ColumnReference(0, keyType, "p_key")],
            [new ColumnReference(0, keyType, "b_key")],
            null,
            outputSchema);
        Check(OperatorPlans.DrainAsync(_join).GetAwaiter().GetResult());
    }

    [Benchmark(OperationsPerInvoke = ProbeRows)]
    public async Task<long> BuildAndProbe()
    {
        long rows = await OperatorPlans.DrainAsync(_join).ConfigureAwait(false);
        Check(rows);
        return rows;
    }

    private void Check(long rows)
    {
        if (rows != _expectedRows)
        {
            throw new InvalidOperationException($"join on {KeyType} keys produced {rows} rows, expected {_expectedRows}");
        }
    }

    private static List<RecordBatch> Batches(Schema schema, long[] keys, bool stringKeys)
    {
        var batches = new List<RecordBatch>();
        for (int start = 0; start < keys.Length; start += LineitemData.BatchRows)
        {
            int count = Math.Min(LineitemData.BatchRows, keys.Length - start);
            var slice = keys.AsSpan(start, count).ToArray();
            IArrowArray keyColumn;
            if (stringKeys)
            {
                var builder = new StringArray.Builder();
                foreach (long key in slice)
                {
                    builder.Append("Customer#" + key.ToString("D9", CultureInfo.InvariantCulture));
                }

                keyColumn = builder.Build();
            }
            else
            {
                keyColumn = new Int64Array(new ArrowBuffer(LineitemData.AsBytes(slice)), ArrowBuffer.Empty, count, 0, 0);
            }

            var payload = new long[count];
            for (int i = 0; i < count; i++)
            {
                payload[i] = start + i;
            }

            var payloadColumn = new Int64Array(new ArrowBuffer(LineitemData.AsBytes(payload)), ArrowBuffer.Empty, count, 0, 0);
            batches.Add(new RecordBatch(schema, [keyColumn, payloadColumn], count));
        }

        return batches;
    }
}
