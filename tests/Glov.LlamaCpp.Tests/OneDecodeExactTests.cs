using Glov.Core.Proposing;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>Exact steering in one decode per token (steered mirror rows) against the authors'
/// recompute oracle, with several sampled candidates in one batch so that mirrors of different
/// candidates sit side by side; and the automatic two-decode fallback, named.</summary>
[Collection(StoriesCollection.Name)]
public sealed class OneDecodeExactTests(StoriesModel stories)
{
    private const int Tokens = 40;
    private static readonly SamplingSettings Sampled = new() { Temperature = 1, TopK = 50, TopP = 0.95, MaxNewTokens = Tokens, Seed = 11 };

    [Theory]
    [InlineData(3, "exact steering: one decode per token (a steered mirror row per candidate at block 3)")]
    [InlineData(4, "exact steering: two decodes per token (fallback: block 4 is the model's last, whose output llama.cpp trims to the rows that need logits)")]
    public void Exact_equals_recompute_for_every_candidate_of_a_sampled_batch(int layer, string path)
    {
        var direction = Direction();
        var exact = Run(new SteeringVector(direction, 0.8f, layer, SteeringMode.Exact), 4);
        var recompute = Run(new SteeringVector(direction, 0.8f, layer, SteeringMode.Recompute), 4);
        var plain = Run(null, 4);

        Assert.Equal(path, exact.Stats.ExactSteering);
        Assert.Null(recompute.Stats.ExactSteering);
        Assert.NotEqual(plain.Texts, exact.Texts); // the offset matters...
        Assert.Equal(recompute.Texts, exact.Texts); // ...and is applied as the oracle applies it
        Assert.True(exact.Texts.Distinct().Count() > 1, "candidates should differ from one another");
        Assert.Contains(exact.Logits.Keys, k => k.Index >= Tokens - 1);
        foreach (var (key, logits) in exact.Logits)
        {
            var diff = MaxAbsDiff(logits, recompute.Logits[key]);
            Assert.True(diff <= 1e-3, $"candidate {key.Candidate} token {key.Index}: max |Δlogit| {diff:E2}");
        }
    }

    [Fact]
    public void One_decode_exact_costs_one_decode_call_per_token_and_the_fallback_two()
    {
        var steering = new SteeringVector(Direction(), 1f, 3, SteeringMode.Exact);
        var greedy = new SamplingSettings { Temperature = 0, MaxNewTokens = 20 };
        var one = Run(steering, 3, greedy);
        var two = Run(steering, 3, greedy, oneDecode: false);

        Assert.Equal(one.Texts, two.Texts);
        Assert.Equal(20, one.Stats.GeneratedTokens / 3);
        // One prefill call for the 4 prompt tokens before the last, then one call per new token...
        Assert.Equal(1 + 20, one.Stats.DecodeCalls);
        // ...where the fallback decodes every new token twice.
        Assert.Equal(1 + 2 * 20, two.Stats.DecodeCalls);
        Assert.Equal("exact steering: two decodes per token (fallback: turned off (OneDecodeExact))", two.Stats.ExactSteering);
    }

    [Fact]
    public void The_path_is_announced_once_and_again_when_it_changes()
    {
        using var model = stories.Load(LlamaOptions.Exact with { Threads = 1 });
        using var generator = new LlamaGenerator(model);
        var notices = new List<string>();
        generator.Notice += notices.Add;
        var prompt = model.Tokenize("Once upon a time", addBos: true);
        var settings = new SamplingSettings { Temperature = 0, MaxNewTokens = 3 };
        generator.Generate(prompt, 2, settings, new SteeringVector(Direction(), 1f, 3, SteeringMode.Exact));
        generator.Generate(prompt, 2, settings, new SteeringVector(Direction(), 1f, 3, SteeringMode.Exact));
        generator.Generate(prompt, 2, settings, new SteeringVector(Direction(), 1f, 4, SteeringMode.Exact));
        generator.Generate(prompt, 2, settings);
        Assert.Equal(2, notices.Count);
        Assert.StartsWith("exact steering: one decode per token", notices[0]);
        Assert.StartsWith("exact steering: two decodes per token (fallback: block 4", notices[1]);
    }

    private sealed record Result(List<string> Texts, Dictionary<(int Candidate, int Index), float[]> Logits, GenerationStats Stats);

    private Result Run(SteeringVector? steering, int candidates, SamplingSettings? sampling = null, bool oneDecode = true)
    {
        using var model = stories.Load(LlamaOptions.Exact with { Threads = 1 });
        using var generator = new LlamaGenerator(model) { OneDecodeExact = oneDecode };
        var logits = new Dictionary<(int, int), float[]>();
        generator.LogitsObserver = (c, i, l) => logits[(c, i)] = l;
        var completions = generator.Generate(model.Tokenize("Once upon a time", addBos: true), candidates, sampling ?? Sampled, steering);
        return new Result(completions.Select(c => c.Text).ToList(), logits, generator.LastStats!);
    }

    private static float[] Direction()
    {
        var rng = new Random(2);
        return Enumerable.Range(0, 64).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
