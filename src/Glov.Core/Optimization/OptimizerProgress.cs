namespace Glov.Core.Optimization;

/// <summary>Reported after the seed and after every step. <see cref="FromJournal"/> marks a step
/// that an earlier session had already finished.</summary>
public sealed record OptimizerProgress(
    int Step,
    int Steps,
    int Accepted,
    int Rejected,
    int CandidatesProposed,
    ScoredTemplate Best,
    double? SteeringNorm,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    bool FromJournal)
{
    /// <summary>How much of the step's prompt the optimizer LLM reused from its KV cache of the step
    /// before; null for the seed and where the proposer does not say.</summary>
    public Proposing.PromptReuse? PromptReuse { get; init; }
}
