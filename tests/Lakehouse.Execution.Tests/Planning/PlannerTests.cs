using Lakehouse.Execution.Tests.Support;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Logical;

namespace Lakehouse.Execution.Tests.Planning;

/// <summary>What the optimizer does to plans: pushdown into scans, column pruning and filter placement around joins.</summary>
[Collection(EngineCollection.Name)]
public sealed class PlannerTests(EngineFixture fixture)
{
    [Fact]
    public async Task ExplainShowsFilterPushedIntoScan()
    {
        var lines = await ExplainAsync("EXPLAIN SELECT id, s FROM memory_table('t') WHERE a = 5 AND dt >= DATE '2010-01-01'");
        var text = string.Join("\n", lines);
        Assert.Contains("RemoteScan memory('t')", text);
        var pushdown = Assert.Single(lines, line => line.Contains("pushdown=", StringComparison.Ordinal));
        Assert.Contains("a = 5", pushdown);
        Assert.Contains("dt >= DATE '2010-01-01'", pushdown);

        // The pushed filter is only a hint to the provider, so the engine still evaluates it on the rows.
        Assert.Contains(lines, line => line.Contains("filter", StringComparison.Ordinal) && line.Contains('a'));
    }

    [Fact]
    public async Task AColumnOnlyTheFilterReadsIsDroppedInsideTheScanFragment()
    {
        var lines = await ExplainAsync("EXPLAIN SELECT id, count(*) FROM memory_table('t') WHERE s LIKE '%a%' GROUP BY id");
        var columns = Assert.Single(lines, line => line.TrimStart().StartsWith("columns=", StringComparison.Ordinal));
        Assert.Contains("s", columns);
        var project = Assert.Single(lines, line => line.TrimStart().StartsWith("project [", StringComparison.Ordinal));
        Assert.Contains("id :=", project);
        Assert.DoesNotContain("s :=", project);
    }

    [Fact]
    public void PushdownReachesTheProviderAsAConjunction()
    {
        var scan = SingleScan(fixture.Engine.PlanLogical("SELECT id FROM memory_table('t') WHERE a = 5 AND s LIKE 'al%' AND x IS NOT NULL"));
        var conjuncts = Conjuncts(Assert.IsAssignableFrom<PushdownFilter>(scan.Filter));
        int a = ColumnIndex("a");
        int s = ColumnIndex("s");
        int x = ColumnIndex("x");
        Assert.Contains(conjuncts, child => child is PushdownCompare { Operator: PushdownComparison.Equal, Value: 5 } compare && compare.Column == a);
        Assert.Contains(conjuncts, child => child is PushdownStartsWith { Prefix: "al" } prefix && prefix.Column == s);
        Assert.Contains(conjuncts, child => child is PushdownIsNotNull notNull && notNull.Column == x);
    }

    [Fact]
    public async Task ProviderReceivesPushdownWhenTheQueryRuns()
    {
        var provider = fixture.SideProvider;
        var result = await fixture.RunAsync("SELECT uid FROM {u} WHERE k = 17");
        var request = Assert.IsType<ScanRequest>(provider.LastRequest);
        var compare = Assert.IsType<PushdownCompare>(request.Filter);
        Assert.Equal(1, compare.Column);
        Assert.Equal(17, compare.Value);
        // k is still read: the pushed filter only helps the provider skip data, the engine applies it to every row.
        Assert.Equal([0, 1], request.Columns);
        int expected = 0;
        foreach (var row in fixture.Side.Rows)
        {
            expected += row[1] is 17 ? 1 : 0;
        }

        Assert.Equal(expected, result.Rows.Count);
    }

    [Fact]
    public void CountStarScansNoColumns()
    {
        var scan = SingleScan(fixture.Engine.PlanLogical("SELECT count(*) FROM memory_table('t')"));
        Assert.Empty(scan.ColumnIndexes);
        Assert.Null(scan.Filter);
    }

    [Fact]
    public async Task CountStarOverZeroColumnsCountsEveryRow()
    {
        var result = await fixture.RunAsync("SELECT count(*) FROM {t}");
        Assert.Equal(Cell.Integer(SampleData.MainRows.ToString(System.Globalization.CultureInfo.InvariantCulture)), Assert.Single(result.Rows)[0]);
    }

    [Fact]
    public void ProjectionPruningKeepsOnlyReferencedColumns()
    {
        var scan = SingleScan(fixture.Engine.PlanLogical("SELECT s, sum(d) FROM memory_table('t') WHERE a > 3 GROUP BY s ORDER BY 2"));
        Assert.Equal(Names("a", "d", "s"), Sorted(ScanColumnNames(scan)));
    }

    [Fact]
    public void PruningThroughSubqueriesAndJoins()
    {
        var plan = fixture.Engine.PlanLogical(
            "SELECT q.s FROM (SELECT id, s, x, d FROM memory_table('t')) q JOIN memory_table('u') v ON q.id = v.uid WHERE v.w > 1");
        var scans = Scans(plan);
        Assert.Equal(2, scans.Count);
        var main = Assert.Single(scans, scan => scan.Provider == fixture.MainProvider);
        var side = Assert.Single(scans, scan => scan.Provider == fixture.SideProvider);
        Assert.Equal(Names("id", "s"), Sorted(ScanColumnNames(main)));
        Assert.Equal(Names("uid", "w"), Sorted(ScanColumnNames(side)));
    }

    [Fact]
    public void SingleSideConjunctsOfAJoinFilterMoveBelowTheJoin()
    {
        var plan = fixture.Engine.PlanLogical(
            "SELECT t.id, u.uid FROM memory_table('t') t JOIN memory_table('u') u ON t.a = u.k WHERE t.x > 10 AND u.name = 'north' AND t.id + u.uid > 50");
        var join = Assert.Single(Nodes<JoinNode>(plan));
        var main = Assert.Single(Scans(join.Left));
        var side = Assert.Single(Scans(join.Right));

        // Each side's conjunct sits under the join: pushed into its scan.
        Assert.Equal(main.Provider, fixture.MainProvider);
        Assert.Contains("x > ", PushdownText.Describe(Assert.IsAssignableFrom<PushdownFilter>(main.Filter), fixture.Main.Schema));
        Assert.Contains("name = 'north'", PushdownText.Describe(Assert.IsAssignableFrom<PushdownFilter>(side.Filter), fixture.Side.Schema));
        Assert.NotEmpty(Nodes<FilterNode>(join.Left));
        Assert.NotEmpty(Nodes<FilterNode>(join.Right));

        // The conjunct over both sides stays at or above the join.
        Assert.Contains(Conditions(plan), text => text.Contains('+'));
        Assert.DoesNotContain(Nodes<FilterNode>(join.Left), filter => filter.Predicate.ToString()!.Contains('+'));
        Assert.DoesNotContain(Nodes<FilterNode>(join.Right), filter => filter.Predicate.ToString()!.Contains('+'));
    }

    [Fact]
    public void FilterOnTheNullableSideOfAnOuterJoinStaysAbove()
    {
        var plan = fixture.Engine.PlanLogical(
            "SELECT t.id, u.uid FROM memory_table('t') t LEFT JOIN memory_table('u') u ON t.a = u.k WHERE u.uid IS NULL AND t.id < 100");
        var join = Assert.Single(Nodes<JoinNode>(plan));
        Assert.Equal(JoinType.Left, join.JoinType);

        // t.id < 100 may go below the join (left side is preserved); u.uid IS NULL must not go into u's scan.
        var side = Assert.Single(Scans(join.Right));
        Assert.Null(side.Filter);
        Assert.DoesNotContain(Nodes<FilterNode>(join.Right), filter => filter.Predicate.ToString()!.Contains("IS NULL", StringComparison.OrdinalIgnoreCase));
        var main = Assert.Single(Scans(join.Left));
        Assert.NotNull(main.Filter);
    }

    [Fact]
    public void OnConjunctOverTheNonPreservedSideFiltersThatSide()
    {
        var plan = fixture.Engine.PlanLogical(
            "SELECT t.id, u.uid FROM memory_table('t') t LEFT JOIN memory_table('u') u ON t.a = u.k AND u.w > 7 AND t.x > 0");
        var join = Assert.Single(Nodes<JoinNode>(plan));
        Assert.Equal(JoinType.Left, join.JoinType);
        var side = Assert.Single(Scans(join.Right));
        Assert.Contains("w > ", PushdownText.Describe(Assert.IsAssignableFrom<PushdownFilter>(side.Filter), fixture.Side.Schema));

        // A condition on the preserved side decides matching only; it must not remove left rows.
        var main = Assert.Single(Scans(join.Left));
        Assert.Null(main.Filter);
        Assert.Contains("x", join.Condition!.ToString()!);
    }

    [Fact]
    public async Task ExplainListsTheOperatorTree()
    {
        var lines = await ExplainAsync("EXPLAIN SELECT a, count(*) FROM memory_table('t') t JOIN memory_table('u') u ON t.a = u.k GROUP BY a ORDER BY 2 DESC LIMIT 3");
        var text = string.Join("\n", lines);
        Assert.Contains("RemoteScan memory('t')", text);
        Assert.Contains("RemoteScan memory('u')", text);
        Assert.Contains("Join", text);
        Assert.Contains("Aggregate", text);
        Assert.Contains("Limit", text);
    }

    private async Task<List<string>> ExplainAsync(string sql)
    {
        var prepared = fixture.Engine.Prepare(sql);
        Assert.Equal("Query Plan", Assert.Single(prepared.Schema.FieldsList).Name);
        var lines = new List<string>();
        await foreach (var batch in prepared.ExecuteAsync(CancellationToken.None))
        {
            var column = (Apache.Arrow.StringArray)batch.Column(0);
            for (int i = 0; i < batch.Length; i++)
            {
                lines.Add(column.GetString(i));
            }
        }

        return lines;
    }

    private static List<PushdownFilter> Conjuncts(PushdownFilter filter)
    {
        var flat = new List<PushdownFilter>();
        var pending = new Stack<PushdownFilter>();
        pending.Push(filter);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is PushdownAnd and)
            {
                foreach (var child in and.Children)
                {
                    pending.Push(child);
                }
            }
            else
            {
                flat.Add(current);
            }
        }

        return flat;
    }

    private int ColumnIndex(string name) => fixture.Main.Schema.GetFieldIndex(name);

    private static ScanNode SingleScan(LogicalPlan plan) => Assert.Single(Scans(plan));

    private static List<ScanNode> Scans(LogicalPlan plan) => Nodes<ScanNode>(plan);

    private static List<T> Nodes<T>(LogicalPlan plan)
        where T : LogicalPlan
    {
        var found = new List<T>();
        var pending = new Stack<LogicalPlan>();
        pending.Push(plan);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is T match)
            {
                found.Add(match);
            }

            foreach (var input in node.Inputs)
            {
                pending.Push(input);
            }
        }

        return found;
    }

    /// <summary>Filter predicates and join conditions of the plan, as text.</summary>
    private static List<string> Conditions(LogicalPlan plan)
    {
        var texts = new List<string>();
        foreach (var filter in Nodes<FilterNode>(plan))
        {
            texts.Add(filter.Predicate.ToString()!);
        }

        foreach (var join in Nodes<JoinNode>(plan))
        {
            if (join.Condition is not null)
            {
                texts.Add(join.Condition.ToString()!);
            }
        }

        return texts;
    }

    private static List<string> ScanColumnNames(ScanNode scan)
    {
        var names = new List<string>();
        foreach (var column in scan.Columns)
        {
            names.Add(column.Name);
        }

        return names;
    }

    private static List<string> Names(params string[] names) => [.. names];

    private static List<string> Sorted(List<string> names)
    {
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
