using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Proposing;

namespace Glov.Runs;

/// <summary>
/// Re-plays the completions an earlier run recorded: step s, completion i of this run is step s,
/// completion i of the source. Reproduces a run without its LLM (e.g. to rescore it with another VLM).
/// The recorded completions may have been steered; re-playing them needs no steering here.
/// </summary>
public sealed class ReplayProposer : IPromptProposer
{
    private readonly RecordedRun _source;
    private readonly string _path;

    public ReplayProposer(string journalPath)
    {
        using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
        _source = journal.Recorded;
        _path = journalPath;
    }

    public string Name => $"replay:{_path}";

    public bool SupportsSteering => false;

    public Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Steering is not null)
            throw new InvalidOperationException("the replay proposer cannot steer");
        var step = request.Step ?? throw new InvalidOperationException("the replay proposer needs the request's step");
        var recorded = _source.Step(step)?.Completions;
        if (recorded is null)
            throw new GlovUserException($"proposer.journal: {_path} has no completions for step {step}");
        if (recorded.Count < request.Count)
            throw new GlovUserException($"proposer.journal: {_path} has {recorded.Count} completions for step {step}, {request.Count} requested");
        // Nothing is decoded again, so no prompt cache is reused: the source's reuse belongs to its run.
        return Task.FromResult<IReadOnlyList<Completion>>(recorded.Take(request.Count).Select(c => c with { ReusedPromptTokens = null }).ToList());
    }
}
