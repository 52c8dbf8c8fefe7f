namespace Glov.Core.Proposing;

public enum FinishReason
{
    /// <summary>An end-of-generation token or stop sequence.</summary>
    Stop,
    /// <summary>The new-token limit.</summary>
    Length,
}

/// <param name="PromptTokens">The request's prompt length in the engine's tokens (the same for every completion of a request).</param>
/// <param name="ReusedPromptTokens">How many of those the engine took from its KV cache of the request before instead of
/// computing them again (the same for every completion of a request); null where the proposer does not say.</param>
public sealed record Completion(string Text, int PromptTokens, int CompletionTokens, FinishReason Finish, int? ReusedPromptTokens = null);
