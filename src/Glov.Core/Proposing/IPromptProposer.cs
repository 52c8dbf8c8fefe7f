namespace Glov.Core.Proposing;

/// <summary>An optimizer LLM: n raw completions for one chat.</summary>
public interface IPromptProposer
{
    /// <summary>Short name for logs and the journal, e.g. "llama.cpp:model.gguf".</summary>
    string Name { get; }

    /// <summary>Whether a <see cref="ProposalRequest.Steering"/> is honoured. Callers must not
    /// send one to a proposer that cannot steer; implementations throw rather than ignore it.</summary>
    bool SupportsSteering { get; }

    /// <summary>The most completions one request may ask for (an engine limit), or null for no limit.
    /// The loop refuses <c>optimizer.candidates</c> above it before anything is written.</summary>
    int? MaxCandidates => null;

    Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default);
}
