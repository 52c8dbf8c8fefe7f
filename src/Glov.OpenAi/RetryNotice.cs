namespace Glov.OpenAi;

/// <summary>Told to the caller before each retry wait, so progress output can show why a step stalls.</summary>
public sealed record RetryNotice(int Attempt, string Cause, TimeSpan Delay, bool FromRetryAfter);
