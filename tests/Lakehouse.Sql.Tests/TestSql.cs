using System.Reflection;
using Lakehouse.Sql.Ast;
using Lakehouse.Sql.Parsing;

namespace Lakehouse.Sql.Tests;

/// <summary>Parsing helpers shared by the tests.</summary>
internal static class TestSql
{
    public static Query Query(string sql) => Assert.IsType<QueryStatement>(SqlParser.Parse(sql)).Query;

    public static QuerySpecification Select(string sql) => Assert.IsType<QuerySpecification>(Query(sql).Body);

    public static Expression Expression(string sql) => SqlParser.ParseExpression(sql);

    /// <summary>Formats the tree, parses the text again and checks both trees and texts agree.</summary>
    public static void AssertRoundTrip(Statement statement)
    {
        string formatted = SqlFormatter.Format(statement);
        Statement reparsed = SqlParser.Parse(formatted);
        Assert.Equal(SqlFormatter.FormatNormalized(statement), SqlFormatter.FormatNormalized(reparsed));
        Assert.True(SyntaxComparer.Instance.Equals(statement, reparsed), formatted);
        Assert.Equal(formatted, SqlFormatter.Format(reparsed));
    }

    public static void AssertRoundTrip(string sql) => AssertRoundTrip(SqlParser.Parse(sql));

    public static SqlParseException ParseError(string sql) => Assert.Throws<SqlParseException>(() => SqlParser.Parse(sql));

    /// <summary>The repository root, from build metadata or by walking up to the solution file.</summary>
    public static string RepositoryRoot()
    {
        string? fromBuild = typeof(TestSql).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "RepositoryRoot")?.Value;
        if (fromBuild is not null && File.Exists(Path.Combine(fromBuild, "Lakehouse.sln")))
        {
            return Path.GetFullPath(fromBuild);
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lakehouse.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("cannot locate the repository root containing Lakehouse.sln");
    }

    /// <summary>The shared read-only test data folder next to the repository.</summary>
    public static string SharedRoot() => Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared"));
}
