using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Optimizer;

namespace Lakehouse.Execution.Tests.Planning;

/// <summary>Join ordering from table and column statistics: which input joins when, and which side is built.</summary>
public sealed class JoinOrderTests
{
    // A TPC-H-like schema at scale 1: key columns have value ranges as wide as their tables.
    private static readonly StatisticsTable Lineitem = new("lineitem", 6_000_000, ("l_orderkey", 1, 6_000_000), ("l_suppkey", 1, 10_000), ("l_shipdate", 8036, 10_561));
    private static readonly StatisticsTable Orders = new("orders", 1_500_000, ("o_orderkey", 1, 6_000_000), ("o_custkey", 1, 150_000));
    private static readonly StatisticsTable Customer = new("customer", 150_000, ("c_custkey", 1, 150_000), ("c_nationkey", 0, 24));
    private static readonly StatisticsTable Supplier = new("supplier", 10_000, ("s_suppkey", 1, 10_000), ("s_nationkey", 0, 24));

    [Fact]
    public void AJoinOnAColumnWithFewValuesWaitsForTheKeyJoin()
    {
        // customer joins supplier on the nation key (25 values) and orders on the customer key: joined
        // through the nation key first, every lineitem row would meet thousands of customers.
        var plan = Joins(
            [Lineitem, Orders, Customer, Supplier],
            ("c_custkey", "o_custkey"),
            ("l_orderkey", "o_orderkey"),
            ("l_suppkey", "s_suppkey"),
            ("c_nationkey", "s_nationkey"));
        var order = LeafOrder(JoinReorder.Reorder(plan));
        Assert.True(order.IndexOf("orders") < order.IndexOf("customer"), string.Join(", ", order));
    }

    [Fact]
    public void EveryJoinBuildsOverItsSmallerSide()
    {
        var plan = Joins([Orders, Lineitem, Supplier], ("l_orderkey", "o_orderkey"), ("l_suppkey", "s_suppkey"));
        var reordered = JoinReorder.Reorder(plan);
        foreach (var join in JoinsOf(reordered))
        {
            Assert.True(
                JoinReorder.EstimateRows(join.Right) <= JoinReorder.EstimateRows(join.Left),
                $"builds {JoinReorder.EstimateRows(join.Right)} rows while probing {JoinReorder.EstimateRows(join.Left)}");
        }

        Assert.Equal("lineitem", LeafOrder(reordered)[0]);
    }

    [Fact]
    public void ARangeOnAColumnWithKnownBoundsKeepsItsShareOfTheRows()
    {
        var scan = Lineitem.Scan();
        var date = scan.Columns[2];
        var predicate = And(
            Compare(ScalarFunction.GreaterThanOrEqual, new ColumnReference(2, date.Type, date.Name), 9131),
            Compare(ScalarFunction.LessThan, new ColumnReference(2, date.Type, date.Name), 9496));
        double rows = JoinReorder.EstimateRows(new FilterNode(scan, predicate));
        double expected = 6_000_000.0 * 365 / (10_561 - 8036);
        Assert.InRange(rows, expected * 0.99, expected * 1.01);
    }

    [Fact]
    public void AnEqualityOnAColumnWithKnownBoundsKeepsOneValuesShare()
    {
        var scan = Customer.Scan();
        var nation = scan.Columns[1];
        double rows = JoinReorder.EstimateRows(new FilterNode(scan, Compare(ScalarFunction.Equal, new ColumnReference(1, nation.Type, nation.Name), 7)));
        Assert.InRange(rows, 150_000.0 / 25 * 0.99, 150_000.0 / 25 * 1.01);
    }

    [Fact]
    public void ASelectiveSemiJoinMovesOntoTheInputItFilters()
    {
        // orders IN (a thousand order keys), over lineitem joined with orders: the semi join filters
        // orders before any lineitem row meets them.
        var joined = Joins([Lineitem, Orders], ("l_orderkey", "o_orderkey"));
        var keys = new StatisticsTable("keys", 1_000, ("k_orderkey", 1, 6_000_000));
        int width = joined.Columns.Count;
        var orderKey = Reference(joined.Columns, "o_orderkey");
        var condition = new CallExpression(ScalarFunction.Equal, [orderKey, new ColumnReference(width, Int64Type.Default, "k_orderkey")], BooleanType.Default);
        var semi = new JoinNode(joined, keys.Scan(), JoinType.Semi, condition);

        var pushed = SemiJoinPushdown.Push(semi);
        var inner = Assert.IsType<JoinNode>(pushed);
        Assert.Equal(JoinType.Inner, inner.JoinType);
        var moved = Assert.IsType<JoinNode>(inner.Right);
        Assert.Equal(JoinType.Semi, moved.JoinType);
        Assert.Equal("orders", ((StatisticsTable)Assert.IsType<ScanNode>(moved.Left).Provider).Name);
        var equality = Assert.IsType<CallExpression>(moved.Condition);
        Assert.Equal([0, 2], ExpressionColumns.Of(equality).Order());
        Assert.Equal(semi.Columns.Count, pushed.Columns.Count);
    }

    [Fact]
    public void ASemiJoinThatKeepsMostRowsStaysOnTop()
    {
        var joined = Joins([Lineitem, Orders], ("l_orderkey", "o_orderkey"));
        int width = joined.Columns.Count;
        var orderKey = Reference(joined.Columns, "o_orderkey");
        var condition = new CallExpression(ScalarFunction.Equal, [orderKey, new ColumnReference(width, Int64Type.Default, "l_orderkey")], BooleanType.Default);
        var semi = new JoinNode(joined, Lineitem.Scan(), JoinType.Semi, condition);
        Assert.Same(semi, SemiJoinPushdown.Push(semi));
    }

    [Fact]
    public void AnAggregationJoinedByItsKeyOnlyAggregatesTheKeysOfTheSmallSide()
    {
        // supplier LEFT JOIN (SELECT l_suppkey, count(*) FROM lineitem GROUP BY l_suppkey) ON s_suppkey = l_suppkey
        var lineitem = Lineitem.Scan();
        var aggregate = new AggregateNode(
            lineitem,
            [new ColumnReference(1, Int64Type.Default, "l_suppkey")],
            ["l_suppkey"],
            [new AggregateCall(AggregateFunction.CountStar, null, false, Int64Type.Default)],
            ["lines"]);
        var supplier = Supplier.Scan();
        var condition = new CallExpression(
            ScalarFunction.Equal,
            [new ColumnReference(0, Int64Type.Default, "s_suppkey"), new ColumnReference(2, Int64Type.Default, "l_suppkey")],
            BooleanType.Default);
        var join = new JoinNode(supplier, aggregate, JoinType.Left, condition);

        var rewritten = Assert.IsType<JoinNode>(JoinKeyPrefilter.Apply(join));
        var filtered = Assert.IsType<AggregateNode>(rewritten.Right);
        var semi = Assert.IsType<JoinNode>(filtered.Input);
        Assert.Equal(JoinType.Semi, semi.JoinType);
        Assert.Same(lineitem, semi.Left);
        Assert.Same(supplier, semi.Right);
        Assert.Equal([1, 3], ExpressionColumns.Of(semi.Condition!).Order());
        Assert.Equal(join.Columns.Count, rewritten.Columns.Count);

        // A left side as large as what is aggregated gains nothing: the plan stays.
        var large = new JoinNode(Orders.Scan(), aggregate, JoinType.Left, condition);
        Assert.Same(large, JoinKeyPrefilter.Apply(large));
    }

    private static BoundExpression Compare(ScalarFunction function, BoundExpression column, int value) =>
        new CallExpression(function, [column, new Literal(value, column.Type)], BooleanType.Default);

    private static BoundExpression And(BoundExpression left, BoundExpression right) =>
        new CallExpression(ScalarFunction.And, [left, right], BooleanType.Default);

    /// <summary>The tables cross-joined in the given order with the equalities as one condition on top.</summary>
    private static LogicalPlan Joins(StatisticsTable[] tables, params (string Left, string Right)[] equalities)
    {
        LogicalPlan plan = tables[0].Scan();
        for (int i = 1; i < tables.Length; i++)
        {
            plan = new JoinNode(plan, tables[i].Scan(), JoinType.Cross, null);
        }

        var columns = plan.Columns;
        BoundExpression? condition = null;
        foreach (var (left, right) in equalities)
        {
            var equal = new CallExpression(ScalarFunction.Equal, [Reference(columns, left), Reference(columns, right)], BooleanType.Default);
            condition = condition is null ? equal : And(condition, equal);
        }

        var top = (JoinNode)plan;
        return top with { JoinType = JoinType.Inner, Condition = condition };
    }

    private static ColumnReference Reference(IReadOnlyList<PlanColumn> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name == name)
            {
                return new ColumnReference(i, columns[i].Type, name);
            }
        }

        throw new ArgumentException($"no column {name}");
    }

    private static List<JoinNode> JoinsOf(LogicalPlan plan)
    {
        var joins = new List<JoinNode>();
        void Walk(LogicalPlan node)
        {
            if (node is JoinNode join)
            {
                joins.Add(join);
            }

            foreach (var input in node.Inputs)
            {
                Walk(input);
            }
        }

        Walk(plan);
        return joins;
    }

    /// <summary>Table names in the order the joins meet them: the deepest left input first.</summary>
    private static List<string> LeafOrder(LogicalPlan plan)
    {
        var names = new List<string>();
        void Walk(LogicalPlan node)
        {
            switch (node)
            {
                case ScanNode scan:
                    names.Add(((StatisticsTable)scan.Provider).Name);
                    break;
                case JoinNode join:
                    // The side that was joined so far is the deeper subtree.
                    bool leftIsDeeper = Depth(join.Left) >= Depth(join.Right);
                    Walk(leftIsDeeper ? join.Left : join.Right);
                    Walk(leftIsDeeper ? join.Right : join.Left);
                    break;
                default:
                    foreach (var input in node.Inputs)
                    {
                        Walk(input);
                    }

                    break;
            }
        }

        Walk(plan);
        return names;
    }

    private static int Depth(LogicalPlan node)
    {
        int depth = 0;
        foreach (var input in node.Inputs)
        {
            depth = Math.Max(depth, Depth(input));
        }

        return depth + (node is JoinNode ? 1 : 0);
    }

    /// <summary>A table known only by its statistics: the planner never reads it.</summary>
    private sealed class StatisticsTable : ITableProvider
    {
        private readonly (long Min, long Max)[] _ranges;

        public StatisticsTable(string name, long rows, params (string Column, long Min, long Max)[] columns)
        {
            Name = name;
            var fields = new List<Field>();
            _ranges = new (long, long)[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                IArrowType type = columns[i].Column.EndsWith("date", StringComparison.Ordinal) ? Date32Type.Default : Int64Type.Default;
                fields.Add(new Field(columns[i].Column, type, nullable: false));
                _ranges[i] = (columns[i].Min, columns[i].Max);
            }

            Schema = new Schema(fields, null);
            Statistics = new TableStatistics(rows, null)
            {
                Column = index => new ColumnStatistics(Math.Min(rows, _ranges[index].Max - _ranges[index].Min + 1), _ranges[index].Min, _ranges[index].Max),
            };
        }

        public string Name { get; }

        public string DisplayName => Name;

        public Schema Schema { get; }

        public TableStatistics Statistics { get; }

        public ScanNode Scan()
        {
            var indexes = new int[Schema.FieldsList.Count];
            for (int i = 0; i < indexes.Length; i++)
            {
                indexes[i] = i;
            }

            return new ScanNode(this, indexes, null, null);
        }

        public ScanPlan PlanScan(ScanRequest request) =>
            throw new InvalidOperationException("a statistics-only table is planned, never scanned");
    }
}
