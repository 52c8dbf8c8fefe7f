using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;

namespace Glov.Core.Journal;

/// <summary>What earlier sessions of a run wrote; a step the loop reaches is taken from here as far as
/// it goes (completions, candidates, scores) and only the rest is computed.</summary>
public sealed record RecordedStep(
    int Step,
    StepStart? Start,
    IReadOnlyList<Completion>? Completions,
    IReadOnlyList<CandidateRecord>? Candidates,
    IReadOnlyDictionary<int, FitnessResult> Scores,
    bool Complete)
{
    /// <summary>How much of the step's prompt came from the optimizer LLM's KV cache of the step before
    /// (the journal's step record); null before the step proposed or where the proposer did not say.</summary>
    public PromptReuse? PromptReuse => Completions is { } completions ? PromptReuse.Of(completions) : null;

    /// <summary>When the step last started proposing (a resumed step keeps the restart's time); null for the
    /// seed step, which proposes nothing.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}

public sealed record RecordedRun(IReadOnlyDictionary<int, RecordedStep> Steps, FinalResult? Final)
{
    public static RecordedRun Empty { get; } = new(new Dictionary<int, RecordedStep>(), null);

    public RecordedStep? Step(int step) => Steps.GetValueOrDefault(step);
}
