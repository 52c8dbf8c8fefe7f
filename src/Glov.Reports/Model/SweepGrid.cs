namespace Glov.Reports.Model;

/// <summary>The α (and layer) grid of <c>glov sweep</c>: one cell per run.</summary>
public sealed record SweepGrid(IReadOnlyList<SweepCell> Cells);

/// <summary><see cref="Degenerate"/> holds why a run's proposals were unusable (repetition, nothing
/// parsable), or null. <see cref="Chosen"/> marks the run picked by train score.</summary>
public sealed record SweepCell(double Alpha, int Layer, string RunId, double? BestTrain, double? FinalTrain, string? Degenerate, bool Chosen);
