namespace Glov.Core.Proposing;

public enum FinishReason
{
    /// <summary>An end-of-generation token or stop sequence.</summary>
    Stop,
    /// <summary>The new-token limit.</summary>
    Length,
}

public sealed record Completion(string Text, int PromptTokens, int CompletionTokens, FinishReason Finish);
