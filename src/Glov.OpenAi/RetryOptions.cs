namespace Glov.OpenAi;

/// <summary>How transient failures (HTTP 429, 5xx, timeouts, dropped connections) are retried.
/// Delays grow exponentially from <see cref="InitialDelay"/>, capped at <see cref="MaxDelay"/>, with a
/// seeded random jitter so that parallel requests do not retry in lock step yet runs stay reproducible.</summary>
public sealed record RetryOptions
{
    /// <summary>Total tries per request, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on the computed backoff, and the longest Retry-After the proposer is willing to wait.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Each delay is scaled by a factor drawn uniformly from [1 − j, 1 + j].</summary>
    public double JitterFraction { get; init; } = 0.2;

    public int JitterSeed { get; init; }

    public void Validate()
    {
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "at least one attempt is needed");
        if (InitialDelay < TimeSpan.Zero || MaxDelay < InitialDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "delays must satisfy 0 <= initial <= max");
        if (JitterFraction is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(JitterFraction), JitterFraction, "jitter must lie in [0, 1)");
    }
}
