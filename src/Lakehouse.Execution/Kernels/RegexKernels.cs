using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;

namespace Lakehouse.Execution.Kernels;

/// <summary>
/// regexp_like / regexp_extract / regexp_replace with a constant pattern, compiled once per query.
/// Matching is a search (not anchored), as in Trino. Values are decoded into a pooled char buffer.
/// </summary>
public sealed class RegexKernels
{
    private readonly Regex _regex;
    private readonly string _pattern;
    private char[] _chars = ArrayPool<char>.Shared.Rent(256);

    public RegexKernels(string pattern)
    {
        _pattern = pattern;
        try
        {
            _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw new ExecutionException(ExecutionException.InvalidArgument, $"invalid regular expression '{pattern}': {e.Message}", e);
        }
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes)
    {
        int needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(needed);
        }

        int count = Encoding.UTF8.GetChars(bytes, _chars);
        return _chars.AsSpan(0, count);
    }

    public IArrowArray Like(IArrowArray input)
    {
        int rows = input.Length;
        var builder = new BooleanColumnBuilder(BooleanType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            builder.Append(_regex.IsMatch(Decode(ArrayAccess.GetBytes(input, row))));
        }

        return builder.Build();
    }

    /// <summary>The first match's group <paramref name="group"/>, NULL when nothing matches or the group did not take part.</summary>
    public IArrowArray Extract(IArrowArray input, long group)
    {
        int groups = _regex.GetGroupNumbers().Length - 1;
        if (group < 0 || group > groups)
        {
            throw new ExecutionException(ExecutionException.InvalidArgument, $"pattern '{_pattern}' has {groups} groups; cannot access group {group}");
        }

        int rows = input.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var bytes = ArrayAccess.GetBytes(input, row);
            var text = Decode(bytes);
            if (group == 0)
            {
                bool found = false;
                foreach (var match in _regex.EnumerateMatches(text))
                {
                    AppendChars(builder, text.Slice(match.Index, match.Length));
                    found = true;
                    break;
                }

                if (!found)
                {
                    builder.AppendNull();
                }

                continue;
            }

            // Capture groups need a Match object, which works on a string.
            var result = _regex.Match(text.ToString());
            var captured = result.Groups[(int)group];
            if (!result.Success || !captured.Success)
            {
                builder.AppendNull();
            }
            else
            {
                builder.AppendString(captured.Value);
            }
        }

        return builder.Build();
    }

    public IArrowArray Replace(IArrowArray input, string replacement)
    {
        int rows = input.Length;
        var builder = new VariableBinaryColumnBuilder(StringType.Default, rows);
        for (int row = 0; row < rows; row++)
        {
            if (input.IsNull(row))
            {
                builder.AppendNull();
                continue;
            }

            var text = Decode(ArrayAccess.GetBytes(input, row));
            if (!_regex.IsMatch(text))
            {
                AppendChars(builder, text);
                continue;
            }

            builder.AppendString(_regex.Replace(text.ToString(), replacement));
        }

        return builder.Build();
    }

    private static void AppendChars(VariableBinaryColumnBuilder builder, ReadOnlySpan<char> text)
    {
        int byteCount = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        Span<byte> buffer = byteCount <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        int written = Encoding.UTF8.GetBytes(text, buffer);
        builder.Append(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
