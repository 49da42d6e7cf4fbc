using Apache.Arrow;
using Lakehouse.Planning.Catalog;
using Lakehouse.Planning.Expressions;

namespace Lakehouse.Execution.Distributed;

/// <summary>
/// The unit of work sent to a worker: some splits of one scan plus the filter and projection that
/// sit directly above the scan. <see cref="Filter"/> refers to <see cref="ScanSchema"/>; the
/// projections refer to the filtered scan rows and produce <see cref="OutputSchema"/>.
/// </summary>
public sealed record ScanFragment(
    IReadOnlyList<ScanSplit> Splits,
    Schema ScanSchema,
    BoundExpression? Filter,
    IReadOnlyList<BoundExpression>? Projections,
    Schema OutputSchema);
