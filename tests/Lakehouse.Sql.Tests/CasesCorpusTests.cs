using System.Text.Json;
using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

public sealed class CasesCorpusTests
{
    public static IEnumerable<object[]> CaseQueries()
    {
        string path = Path.Combine(TestSql.SharedRoot(), "iceberg", "cases.jsonl");
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            string id = document.RootElement.GetProperty("id").GetString()!;
            string sql = document.RootElement.GetProperty("sql").GetString()!;
            yield return new object[] { id, sql };
        }
    }

    [Fact]
    public void CorpusHasAllCases()
    {
        Assert.Equal(150, CaseQueries().Count());
    }

    [Theory]
    [MemberData(nameof(CaseQueries))]
    public void EveryCaseQueryParsesAndRoundTrips(string id, string sql)
    {
        Statement statement = SqlParser.Parse(sql);
        Query query = Assert.IsType<QueryStatement>(statement).Query;
        var specification = Assert.IsType<QuerySpecification>(query.Body);
        Assert.NotNull(specification.From);
        Assert.True(statement.Span.Length > 0, id);
        TestSql.AssertRoundTrip(statement);
    }
}
