using System.Text;
using Apache.Arrow;

namespace Lakehouse.Execution.Operators;

/// <summary>A node of the physical plan: produces a stream of record batches with <see cref="Schema"/>.</summary>
public abstract class PhysicalOperator
{
    public abstract Schema Schema { get; }

    public abstract IReadOnlyList<PhysicalOperator> Children { get; }

    public abstract IAsyncEnumerable<RecordBatch> ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>Lines describing this operator for EXPLAIN (the first is its title).</summary>
    public abstract IReadOnlyList<string> Describe();

    public void Explain(List<string> lines, int depth = 0)
    {
        var indent = new string(' ', depth * 2);
        var description = Describe();
        for (int i = 0; i < description.Count; i++)
        {
            lines.Add(indent + (i == 0 ? "- " : "    ") + description[i]);
        }

        foreach (var child in Children)
        {
            child.Explain(lines, depth + 1);
        }
    }

    public override string ToString()
    {
        var lines = new List<string>();
        Explain(lines);
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.AppendLine(line);
        }

        return builder.ToString();
    }
}
