namespace Glov.Reports.Model;

/// <summary>The selected result: the top templates of <see cref="Step"/> used together, with their train score.</summary>
public sealed record FinalEnsemble(int Step, IReadOnlyList<string> Templates, double TrainScore);
