namespace Glov.Core.Proposing;

/// <summary>How much of a step's prompt the optimizer LLM took from the KV cache of the step before: the
/// shared leading tokens of the two meta-prompts, which is why the meta-prompt puts what changes last.</summary>
public sealed record PromptReuse(int PromptTokens, int ReusedTokens)
{
    public double Fraction => PromptTokens > 0 ? (double)ReusedTokens / PromptTokens : 0;

    /// <summary>The reuse of the request that produced <paramref name="completions"/>, or null where the proposer did not say.</summary>
    public static PromptReuse? Of(IReadOnlyList<Completion> completions) =>
        completions.Count > 0 && completions[0].ReusedPromptTokens is { } reused ? new(completions[0].PromptTokens, reused) : null;
}
