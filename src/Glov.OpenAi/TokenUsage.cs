namespace Glov.OpenAi;

/// <summary>Totals as the server reported them in each response's <c>usage</c> field.</summary>
public sealed record TokenUsage(long Requests, long PromptTokens, long CompletionTokens, long Retries);
