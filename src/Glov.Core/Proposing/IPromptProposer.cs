namespace Glov.Core.Proposing;

/// <summary>An optimizer LLM: n raw completions for one chat.</summary>
public interface IPromptProposer
{
    /// <summary>Short name for logs and the journal, e.g. "llama.cpp:model.gguf".</summary>
    string Name { get; }

    /// <summary>Whether a <see cref="ProposalRequest.Steering"/> is honoured. Callers must not
    /// send one to a proposer that cannot steer; implementations throw rather than ignore it.</summary>
    bool SupportsSteering { get; }

    Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default);
}
