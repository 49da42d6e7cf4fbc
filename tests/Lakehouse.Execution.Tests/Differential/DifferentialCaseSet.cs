using Lakehouse.Execution.Tests.Support;

namespace Lakehouse.Execution.Tests.Differential;

/// <summary>A list of differential cases: their names as theory data, lookup by name, and the comparison with DuckDB.</summary>
public sealed class DifferentialCaseSet
{
    private readonly Dictionary<string, DifferentialCase> _byName = new(StringComparer.Ordinal);

    public DifferentialCaseSet(IReadOnlyList<DifferentialCase> cases)
    {
        All = cases;
        foreach (var testCase in cases)
        {
            _byName.TryAdd(testCase.Name, testCase);
        }
    }

    public IReadOnlyList<DifferentialCase> All { get; }

    public bool NamesAreUnique => _byName.Count == All.Count;

    public DifferentialCase this[string name] => _byName[name];

    public TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in All)
        {
            data.Add(testCase.Name);
        }

        return data;
    }

    /// <summary>Runs the case on DuckDB (<paramref name="oracle"/>, given the DuckDB spelling) and on the engine, and compares.</summary>
    public async Task AssertMatchesDuckDbAsync(string name, Func<string, QueryResult> oracle, Func<string, Task<QueryResult>> engine)
    {
        var testCase = this[name];
        var expected = oracle(testCase.DuckSql ?? testCase.Sql);
        var actual = await engine(testCase.Sql);
        ResultComparer.AssertSame(expected, actual, testCase.Ordered, testCase.Sql);
    }
}
