namespace Glov.OpenAi.Tests;

public sealed class BackoffTests
{
    private static readonly RetryOptions Options = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(1000),
        JitterFraction = 0.25,
        JitterSeed = 3,
    };

    [Fact]
    public void Delays_double_per_attempt_within_the_jitter_band_and_stop_at_the_cap()
    {
        var backoff = new Backoff(Options);
        double[] nominal = [100, 200, 400, 800, 1000, 1000];
        for (var attempt = 1; attempt <= nominal.Length; attempt++)
        {
            var ms = backoff.Delay(attempt).TotalMilliseconds;
            Assert.InRange(ms, nominal[attempt - 1] * 0.75, Math.Min(nominal[attempt - 1] * 1.25, 1000));
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays_and_another_seed_other_ones()
    {
        var a = Enumerable.Range(1, 5).Select(new Backoff(Options).Delay).ToList();
        var b = Enumerable.Range(1, 5).Select(new Backoff(Options).Delay).ToList();
        var c = Enumerable.Range(1, 5).Select(new Backoff(Options with { JitterSeed = 4 }).Delay).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Without_jitter_the_delays_are_exact_powers_of_two()
    {
        var backoff = new Backoff(Options with { JitterFraction = 0 });
        Assert.Equal([100.0, 200.0, 400.0], Enumerable.Range(1, 3).Select(i => backoff.Delay(i).TotalMilliseconds));
    }
}
