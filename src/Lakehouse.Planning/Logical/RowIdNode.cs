using Lakehouse.Planning.Types;

namespace Lakehouse.Planning.Logical;

/// <summary>The input's rows, each with a distinct bigint appended (to tell rows apart after a join fans them out).</summary>
public sealed record RowIdNode(LogicalPlan Input) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns
    {
        get
        {
            var columns = new List<PlanColumn>(Input.Columns) { new("$row_id", SqlTypes.BigInt, false) };
            return columns;
        }
    }

    public override IReadOnlyList<LogicalPlan> Inputs => [Input];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };

    public override string Describe() => "RowId";
}
