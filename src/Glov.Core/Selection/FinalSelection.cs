using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Selection;

/// <summary>The chosen ensemble, the step it came from (null for global top-k), and its train fitness.</summary>
public sealed record FinalResult(IReadOnlyList<Template> Ensemble, int? Step, FitnessResult TrainFitness, SelectionMode Mode);

public static class FinalSelection
{
    public static Task<FinalResult> SelectAsync(History history, IFitness fitness, SelectionMode mode, int size = 3, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("issue 2: final selection");
}
