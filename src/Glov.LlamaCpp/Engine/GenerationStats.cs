namespace Glov.LlamaCpp.Engine;

/// <summary>What the last <see cref="LlamaGenerator.Generate"/> did: how much of the prompt came from
/// the previous step's KV cache, how many tokens were decoded, how many decode calls it took, and how
/// exact steering was computed (null when the step did not steer exactly).</summary>
public sealed record GenerationStats(int PromptTokens, int ReusedPromptTokens, long DecodedTokens, int DecodeCalls, int GeneratedTokens, string? ExactSteering = null);
