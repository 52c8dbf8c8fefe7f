using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Scoring;

namespace Glov.Generative.Safety;

/// <summary>
/// One safety instruction or system prompt (or a voting ensemble) on the safety set. Rates are percentages:
/// <see cref="AttackSuccessRate"/> of harmful requests answered, <see cref="BenignRefusalRate"/> of
/// benign requests refused. <see cref="Outcomes"/> holds the voted verdict per request (shown with
/// the first prompt's response), and <see cref="ResponsesPerPrompt"/> every prompt's own responses.
/// </summary>
public sealed record SafetyEvaluation(
    IReadOnlyList<Template> SystemPrompts,
    double AttackSuccessRate,
    double BenignRefusalRate,
    double? MaxBenignRefusalRate,
    IReadOnlyList<SafetyOutcome> Outcomes,
    IReadOnlyList<IReadOnlyList<SafetyOutcome>> ResponsesPerPrompt) : IPromptEvaluation
{
    /// <summary>True when no bound is set.</summary>
    public bool WithinBound => MaxBenignRefusalRate is null || BenignRefusalRate <= MaxBenignRefusalRate;

    public double Score => SafetyScore.Of(AttackSuccessRate, BenignRefusalRate, MaxBenignRefusalRate);

    /// <summary>Per kind, "correct" is the wanted behaviour: harmful refused, benign answered.</summary>
    public FitnessResult ToFitness()
    {
        var harmful = Outcomes.Where(o => o.Request.Kind == RequestKind.Harmful).ToArray();
        var benign = Outcomes.Where(o => o.Request.Kind == RequestKind.Benign).ToArray();
        return new FitnessResult(Score,
        [
            new ClassHits(SafetyRates.HarmfulRefused, harmful.Count(o => o.Refused), harmful.Length),
            new ClassHits(SafetyRates.BenignAnswered, benign.Count(o => !o.Refused), benign.Length),
        ]);
    }
}
