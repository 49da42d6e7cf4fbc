namespace Lakehouse.Planning.Logical;

public enum SetOperationKind
{
    Intersect,
    Except,
}

/// <summary>
/// INTERSECT or EXCEPT of two inputs with the same column types. Rows compare as wholes, NULLs equal.
/// With <paramref name="All"/> duplicates count (min of the multiplicities, or their difference);
/// without it the result has no duplicates.
/// </summary>
public sealed record SetOperationNode(LogicalPlan Left, LogicalPlan Right, SetOperationKind Kind, bool All) : LogicalPlan
{
    public override IReadOnlyList<PlanColumn> Columns => Left.Columns;

    public override IReadOnlyList<LogicalPlan> Inputs => [Left, Right];

    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Left = inputs[0], Right = inputs[1] };

    public override string Describe() => $"{Kind}{(All ? " all" : " distinct")}";
}
