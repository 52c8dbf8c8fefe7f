using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Selection;

/// <summary>The chosen ensemble, the step it came from (null for global top-k), and its train fitness.</summary>
public sealed record FinalResult(IReadOnlyList<Template> Ensemble, int? Step, FitnessResult TrainFitness, SelectionMode Mode);

/// <summary>method.md §4: the result is chosen by train fitness, never by hand.</summary>
public static class FinalSelection
{
    public static async Task<FinalResult> SelectAsync(History history, IFitness fitness, SelectionMode mode, int size = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(fitness);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (history.Count == 0)
            throw new ArgumentException("nothing to select from: the history is empty", nameof(history));

        var ranked = history.RankedBestFirst();
        if (mode == SelectionMode.GlobalTop)
        {
            var top = ranked.Take(size).Select(s => s.Template).ToList();
            return new FinalResult(top, null, await fitness.ScoreEnsembleAsync(top, cancellationToken).ConfigureAwait(false), mode);
        }
        if (mode != SelectionMode.PerStepEnsemble)
            throw new ArgumentOutOfRangeException(nameof(mode), mode, null);

        // The seed competes only when no step produced a template (e.g. every candidate was rejected).
        var candidates = ranked.Any(s => s.Step >= 0) ? ranked.Where(s => s.Step >= 0) : ranked;
        FinalResult? winner = null;
        // Steps in ascending order and a strict ">" make ties go to the earlier step.
        foreach (var step in candidates.GroupBy(s => s.Step).OrderBy(g => g.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // GroupBy keeps the ranked order inside each group, so Take picks the step's best.
            var ensemble = step.Take(size).Select(s => s.Template).ToList();
            var score = await fitness.ScoreEnsembleAsync(ensemble, cancellationToken).ConfigureAwait(false);
            if (winner is null || score.Score > winner.TrainFitness.Score)
                winner = new FinalResult(ensemble, step.Key, score, mode);
        }
        return winner!;
    }
}
