using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;

namespace Glov.Core.Journal;

/// <summary>
/// The append-only record of a run. Every call is durable when it returns, so a run killed at any
/// point resumes from <see cref="Recorded"/> without proposing or scoring anything twice.
/// The seed template is step −1, candidate 0.
/// </summary>
public interface IRunJournal
{
    RunManifest Manifest { get; }

    /// <summary>The state when this journal was opened (empty for a new run).</summary>
    RecordedRun Recorded { get; }

    void RecordStepStart(StepStart start);

    /// <summary>Written before any candidate of the step is scored.</summary>
    void RecordCompletions(int step, IReadOnlyList<Completion> completions);

    void RecordCandidates(int step, IReadOnlyList<CandidateRecord> candidates);

    void RecordScores(int step, IReadOnlyList<(int Index, FitnessResult Result)> scores);

    void RecordStepComplete(int step);

    /// <summary>Records the final selection, replacing an earlier one (a resume that added steps selects again).</summary>
    void RecordFinal(FinalResult final);

    void SetStatus(RunStatus status, string? detail = null);
}
