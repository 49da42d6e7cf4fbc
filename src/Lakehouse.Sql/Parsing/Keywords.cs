namespace Lakehouse.Sql.Parsing;

/// <summary>Keyword classification following Trino: only reserved words are refused as bare identifiers.</summary>
public static class Keywords
{
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALTER", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CONSTRAINT", "CREATE", "CROSS", "CUBE",
        "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_PATH", "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME",
        "CURRENT_TIMESTAMP", "CURRENT_USER", "DEALLOCATE", "DELETE", "DESCRIBE", "DISTINCT", "DROP", "ELSE", "END",
        "ESCAPE", "EXCEPT", "EXECUTE", "EXISTS", "EXTRACT", "FALSE", "FOR", "FROM", "FULL", "GROUP", "GROUPING",
        "HAVING", "IN", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "JOIN", "JSON_ARRAY", "JSON_EXISTS",
        "JSON_OBJECT", "JSON_QUERY", "JSON_TABLE", "JSON_VALUE", "LEFT", "LIKE", "LISTAGG", "LOCALTIME",
        "LOCALTIMESTAMP", "NATURAL", "NORMALIZE", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "PREPARE",
        "RECURSIVE", "RIGHT", "ROLLUP", "SELECT", "SKIP", "TABLE", "THEN", "TRIM", "TRUE", "UESCAPE", "UNION",
        "UNNEST", "USING", "VALUES", "WHEN", "WHERE", "WITH",
    };

    // Non-reserved words that still end a relation or select item, so they are never taken as an alias without AS.
    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "LIMIT", "OFFSET", "FETCH", "WINDOW", "LATERAL", "ORDINALITY", "MATCH_RECOGNIZE", "TABLESAMPLE",
    };

    public static bool IsReserved(string word) => ReservedWords.Contains(word);

    /// <summary>True when a word may be used as an alias without a preceding AS.</summary>
    public static bool CanBeImplicitAlias(string word) => !ReservedWords.Contains(word) && !ClauseWords.Contains(word);

    /// <summary>True when <paramref name="text"/> can be written as an unquoted identifier and read back unchanged.</summary>
    public static bool IsPlainIdentifier(string text)
    {
        if (text.Length == 0 || IsReserved(text))
        {
            return false;
        }

        char first = text[0];
        if (!(char.IsAsciiLetter(first) || first == '_'))
        {
            return false;
        }

        foreach (char character in text)
        {
            if (!(char.IsAsciiLetterOrDigit(character) || character == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
