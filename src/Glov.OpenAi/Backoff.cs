namespace Glov.OpenAi;

/// <summary>The delay before retry number <c>attempt</c> (1 = first retry). Thread-safe: parallel
/// requests share one seeded generator, so the sequence of jitter factors is reproducible.</summary>
public sealed class Backoff(RetryOptions options)
{
    private readonly Random _random = new(options.JitterSeed);
    private readonly Lock _gate = new();

    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = options.InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        double factor;
        lock (_gate)
            factor = 1 + options.JitterFraction * (2 * _random.NextDouble() - 1);
        return TimeSpan.FromMilliseconds(Math.Min(capped * factor, options.MaxDelay.TotalMilliseconds));
    }
}
