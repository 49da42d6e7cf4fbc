namespace Lakehouse.Cli.Commands;

/// <summary>Splits arguments into positionals and <c>--name value</c> / <c>--name=value</c> options.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private CommandArguments(List<string> positionals)
    {
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <param name="valueOptions">Option names (without dashes) that take a value.</param>
    public static CommandArguments Parse(string verb, IReadOnlyList<string> arguments, IReadOnlyCollection<string> valueOptions)
    {
        var positionals = new List<string>();
        var parsed = new CommandArguments(positionals);
        for (var index = 0; index < arguments.Count; index++)
        {
            var argument = arguments[index];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument == "--")
            {
                positionals.Add(argument);
                continue;
            }

            var name = argument[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!valueOptions.Contains(name))
            {
                throw new CliUsageException($"unknown option '--{name}' for '{verb}'");
            }

            if (value is null)
            {
                if (index + 1 >= arguments.Count)
                {
                    throw new CliUsageException($"option '--{name}' of '{verb}' needs a value");
                }

                value = arguments[++index];
            }

            parsed._options[name] = value;
        }

        return parsed;
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int IntOption(string name, int defaultValue, int minimum, int maximum)
    {
        var text = Option(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < minimum || value > maximum)
        {
            throw new CliUsageException($"option '--{name}' must be an integer in {minimum}..{maximum}, got '{text}'");
        }

        return value;
    }
}
