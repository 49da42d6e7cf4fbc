using System.Collections.Concurrent;
using Lakehouse.Planning.Catalog;

namespace Lakehouse.Execution.Memory;

/// <summary><c>memory_table('name')</c>: resolves tables registered by name (used by tests and embedded callers).</summary>
public sealed class MemoryTableFunction : ITableFunction
{
    private readonly ConcurrentDictionary<string, MemoryTableProvider> _tables = new(StringComparer.OrdinalIgnoreCase);

    public string Name => "memory_table";

    public void Add(MemoryTableProvider table) => _tables[table.Name] = table;

    public ITableProvider Resolve(IReadOnlyList<object?> arguments, TimeTravel? timeTravel, TableFunctionContext context)
    {
        if (arguments.Count != 1 || arguments[0] is not string name)
        {
            throw new Planning.PlanningException(Planning.PlanningException.InvalidArgument, "memory_table expects one varchar argument: the table name");
        }

        if (timeTravel is not null)
        {
            throw new Planning.PlanningException(Planning.PlanningException.NotSupported, "memory tables have no snapshots to travel to");
        }

        return _tables.TryGetValue(name, out var table)
            ? table
            : throw new Planning.PlanningException("TABLE_NOT_FOUND", $"memory table '{name}' does not exist");
    }
}
