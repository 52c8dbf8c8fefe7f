namespace Glov.LlamaCpp.Engine;

/// <summary>What the last <see cref="LlamaGenerator.Generate"/> did: how much of the prompt came from
/// the previous step's KV cache, how many tokens were decoded, and how many decode calls it took.</summary>
public sealed record GenerationStats(int PromptTokens, int ReusedPromptTokens, long DecodedTokens, int DecodeCalls, int GeneratedTokens);
