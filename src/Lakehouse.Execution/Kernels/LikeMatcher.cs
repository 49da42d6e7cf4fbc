using System.Text;

namespace Lakehouse.Execution.Kernels;

/// <summary>A SQL LIKE pattern compiled once: '%' matches any sequence, '_' one character, escape makes either literal.</summary>
public sealed class LikeMatcher
{
    private readonly byte[][] _segments;
    private readonly PatternToken[]? _tokens;

    private enum TokenKind
    {
        Literal,
        AnyOne,
        AnySequence,
    }

    private readonly record struct PatternToken(TokenKind Kind, int Rune);

    public LikeMatcher(string pattern, char? escape)
    {
        var tokens = new List<PatternToken>();
        bool hasSingle = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (escape is not null && c == escape.Value)
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"LIKE pattern '{pattern}' ends with the escape character");
                }

                char next = pattern[++i];
                if (next != '%' && next != '_' && next != escape.Value)
                {
                    throw new ExecutionException(ExecutionException.InvalidArgument, $"LIKE pattern '{pattern}' escapes '{next}', only '%', '_' and the escape may follow it");
                }

                tokens.Add(new PatternToken(TokenKind.Literal, next));
                continue;
            }

            if (c == '%')
            {
                if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.AnySequence)
                {
                    tokens.Add(new PatternToken(TokenKind.AnySequence, 0));
                }

                continue;
            }

            if (c == '_')
            {
                hasSingle = true;
                tokens.Add(new PatternToken(TokenKind.AnyOne, 0));
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < pattern.Length)
            {
                tokens.Add(new PatternToken(TokenKind.Literal, char.ConvertToUtf32(c, pattern[++i])));
                continue;
            }

            tokens.Add(new PatternToken(TokenKind.Literal, c));
        }

        if (hasSingle)
        {
            _tokens = tokens.ToArray();
            _segments = [];
            return;
        }

        // Only literals and '%': match literal segments with span searches on the UTF-8 bytes.
        var segments = new List<byte[]>();
        var current = new StringBuilder();
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.AnySequence)
            {
                segments.Add(Encoding.UTF8.GetBytes(current.ToString()));
                current.Clear();
            }
            else
            {
                current.Append(char.ConvertFromUtf32(token.Rune));
            }
        }

        segments.Add(Encoding.UTF8.GetBytes(current.ToString()));
        _segments = segments.ToArray();
    }

    /// <summary>The literal prefix when the pattern is exactly <c>prefix%</c>, else null.</summary>
    public static string? LiteralPrefix(string pattern, char? escape)
    {
        if (pattern.Length < 1 || pattern[^1] != '%')
        {
            return null;
        }

        var body = pattern.AsSpan(0, pattern.Length - 1);
        if (body.IndexOfAny('%', '_') >= 0 || (escape is not null && body.Contains(escape.Value)))
        {
            return null;
        }

        return body.ToString();
    }

    public bool Matches(ReadOnlySpan<byte> text)
    {
        if (_tokens is not null)
        {
            return MatchTokens(Encoding.UTF8.GetString(text));
        }

        if (_segments.Length == 1)
        {
            return text.SequenceEqual(_segments[0]);
        }

        var first = _segments[0];
        var last = _segments[^1];
        if (text.Length < first.Length + last.Length || !text.StartsWith(first) || !text.EndsWith(last))
        {
            return false;
        }

        var middle = text[first.Length..(text.Length - last.Length)];
        for (int i = 1; i < _segments.Length - 1; i++)
        {
            var segment = _segments[i];
            int found = middle.IndexOf(segment);
            if (found < 0)
            {
                return false;
            }

            middle = middle[(found + segment.Length)..];
        }

        return true;
    }

    private bool MatchTokens(string text)
    {
        var runes = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add(rune.Value);
        }

        var tokens = _tokens!;
        int t = 0;
        int s = 0;
        int starToken = -1;
        int starText = 0;
        while (s < runes.Count)
        {
            if (t < tokens.Length && (tokens[t].Kind == TokenKind.AnyOne || (tokens[t].Kind == TokenKind.Literal && tokens[t].Rune == runes[s])))
            {
                t++;
                s++;
            }
            else if (t < tokens.Length && tokens[t].Kind == TokenKind.AnySequence)
            {
                starToken = t++;
                starText = s;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                s = ++starText;
            }
            else
            {
                return false;
            }
        }

        while (t < tokens.Length && tokens[t].Kind == TokenKind.AnySequence)
        {
            t++;
        }

        return t == tokens.Length;
    }
}
