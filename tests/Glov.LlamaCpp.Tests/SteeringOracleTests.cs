using Glov.Core.Proposing;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>llama.cpp (through our engine) against the independent C# forward pass of the same
/// llama2.c weights; flash attention off and a float32 KV cache for tight agreement.</summary>
[Collection(StoriesCollection.Name)]
public sealed class SteeringOracleTests(StoriesModel stories)
{
    private const string Prompt = "Once upon a time";
    private const int Layer = 3;

    [Fact]
    public async Task Block_residual_matches_the_reference()
    {
        using var model = stories.Load(LlamaOptions.Exact with { Threads = 1 });
        using var embedder = new LlamaEmbedder(model);
        const string text = "Once upon a time there was a dog named Max";
        var tokens = model.Tokenize(text, addBos: true);
        Assert.Equal(1, tokens[0]);
        var reference = new ReferenceLlama(stories.CheckpointPath);
        var expected = new double[reference.Dim];
        for (var pos = 0; pos < tokens.Count; pos++)
        {
            var residual = new float[reference.Dim];
            reference.Forward(tokens[pos], pos, Layer, residualAfterLayer: residual);
            if (pos > 0)
                for (var i = 0; i < expected.Length; i++)
                    expected[i] += residual[i] / (double)(tokens.Count - 1);
        }

        var actual = await embedder.EmbedAsync(text, Layer);

        var diff = Math.Sqrt(actual.Select((a, i) => (a - expected[i]) * (a - expected[i])).Sum());
        var norm = Math.Sqrt(expected.Sum(e => e * e));
        Assert.True(norm > 0.1, $"reference residual norm {norm}");
        Assert.True(diff / norm <= 1e-4, $"relative error {diff / norm:E2}");
    }

    [Theory]
    [InlineData(SteeringMode.Exact)]
    [InlineData(SteeringMode.Cached)]
    [InlineData(SteeringMode.All)]
    public void Steered_logits_match_the_reference(SteeringMode mode)
    {
        var offset = Direction(seed: 1);
        var (tokens, logits) = Run(new SteeringVector(offset, 1f, Layer, mode), 12);
        var (refTokens, refLogits) = ReferenceGreedy(offset, mode, 12);
        Assert.Equal(refTokens, tokens);
        for (var t = 0; t < logits.Count; t++)
            Assert.True(MaxAbsDiff(logits[t], refLogits[t]) <= 1e-3, $"{mode} token {t}: max |Δlogit| {MaxAbsDiff(logits[t], refLogits[t]):E2}");
    }

    [Fact]
    public void Compound_alpha_decays_the_offset_per_forward_call_as_the_authors_code_did()
    {
        var direction = Direction(seed: 5);
        const float alpha = 0.7f;
        var (tokens, logits) = Run(new SteeringVector(direction, alpha, Layer, SteeringMode.Exact, CompoundAlpha: true), 8);
        var (refTokens, refLogits) = ReferenceGreedy(direction, SteeringMode.Exact, 8, call => MathF.Pow(alpha, call));
        var (constantTokens, constantLogits) = ReferenceGreedy(direction, SteeringMode.Exact, 8, _ => alpha);
        Assert.Equal(refTokens, tokens);
        for (var t = 0; t < logits.Count; t++)
            Assert.True(MaxAbsDiff(logits[t], refLogits[t]) <= 1e-3, $"token {t}: max |Δlogit| {MaxAbsDiff(logits[t], refLogits[t]):E2}");
        Assert.True(MaxAbsDiff(logits[3], constantLogits[3]) > 1e-2, "α^t must differ from a constant α by the fourth call");
    }

    [Theory]
    [InlineData(SteeringMode.Exact)]
    [InlineData(SteeringMode.Recompute)]
    public void Compound_alpha_counts_forward_calls_over_the_whole_step_across_candidates(SteeringMode mode)
    {
        // The authors' loop generated the candidates one after another and multiplied the offset by α at
        // every forward call, never resetting it within a step: candidate c's token t comes from the step's
        // call 4c + t + 1 of a 3-candidate, 4-token step, so its offset is α^(4c+t+1)·d.
        var direction = Direction(seed: 7);
        const float alpha = 0.8f;
        using var model = stories.Load(LlamaOptions.Exact with { Threads = 1 });
        using var generator = new LlamaGenerator(model);
        var calls = new List<(int Candidate, int Token, float[] Logits)>();
        generator.LogitsObserver = (c, t, l) => calls.Add((c, t, l));

        var completions = generator.Generate(model.Tokenize(Prompt, addBos: true), 3,
            new SamplingSettings { Temperature = 0, MaxNewTokens = 4 }, new SteeringVector(direction, alpha, Layer, mode, CompoundAlpha: true));

        Assert.All(completions, c => Assert.Equal(4, c.CompletionTokens));
        Assert.Equal(Enumerable.Range(0, 12).Select(j => (j / 4, j % 4)), calls.Select(c => (c.Candidate, c.Token)));
        for (var c = 0; c < 3; c++)
        {
            var candidate = c;
            var logits = calls.Where(x => x.Candidate == candidate).Select(x => x.Logits).ToList();
            var expected = ReferenceGreedy(direction, SteeringMode.Exact, 4, call => MathF.Pow(alpha, 4 * candidate + call)).Logits;
            for (var t = 0; t < 4; t++)
                Assert.True(MaxAbsDiff(logits[t], expected[t]) <= 1e-3,
                    $"candidate {c} token {t} (call {4 * c + t + 1}, offset α^{4 * c + t + 1}·d): max |Δlogit| {MaxAbsDiff(logits[t], expected[t]):E2}");
            if (c == 0)
                continue;
            // Restarting the count per candidate, or counting one call off, would give other logits.
            var restarted = ReferenceGreedy(direction, SteeringMode.Exact, 4, call => MathF.Pow(alpha, call)).Logits;
            var shifted = ReferenceGreedy(direction, SteeringMode.Exact, 4, call => MathF.Pow(alpha, 4 * candidate + call + 1)).Logits;
            Assert.True(Enumerable.Range(0, 4).Max(t => MaxAbsDiff(logits[t], restarted[t])) > 1e-2, $"candidate {c} looks restarted");
            Assert.True(Enumerable.Range(0, 4).Max(t => MaxAbsDiff(logits[t], shifted[t])) > 1e-2, $"candidate {c} is one call off");
        }
    }

    [Fact]
    public void Exact_and_recompute_agree_for_40_tokens()
    {
        var offset = Direction(seed: 2);
        var (exactTokens, exactLogits) = Run(new SteeringVector(offset, 0.8f, Layer, SteeringMode.Exact), 40);
        var (recomputeTokens, recomputeLogits) = Run(new SteeringVector(offset, 0.8f, Layer, SteeringMode.Recompute), 40);
        var (plainTokens, _) = Run(null, 40);
        Assert.Equal(40, exactTokens.Count);
        Assert.NotEqual(plainTokens, exactTokens); // the offset matters...
        Assert.Equal(recomputeTokens, exactTokens); // ...and both modes apply it identically
        for (var t = 0; t < exactLogits.Count; t++)
            Assert.True(MaxAbsDiff(exactLogits[t], recomputeLogits[t]) <= 1e-3, $"token {t}: max |Δlogit| {MaxAbsDiff(exactLogits[t], recomputeLogits[t]):E2}");
    }

    [Theory]
    [InlineData(SteeringMode.Cached)]
    [InlineData(SteeringMode.All)]
    public void A_zero_offset_reproduces_unsteered_output_bit_for_bit(SteeringMode mode)
    {
        var (plainTokens, plainLogits) = Run(null, 30);
        var (tokens, logits) = Run(new SteeringVector(new float[64], 1f, Layer, mode), 30);
        Assert.Equal(plainTokens, tokens);
        for (var t = 0; t < logits.Count; t++)
            Assert.Equal(plainLogits[t], logits[t]);
    }

    /// <summary>Exact decodes two rows per candidate (its own and the steered mirror), so llama.cpp's
    /// kernels see another batch shape than a plain decode and may round differently; nothing else differs.</summary>
    [Fact]
    public void A_zero_offset_reproduces_unsteered_output_in_exact_mode()
    {
        var (plainTokens, plainLogits) = Run(null, 30);
        var (tokens, logits) = Run(new SteeringVector(new float[64], 1f, Layer, SteeringMode.Exact), 30);
        Assert.Equal(plainTokens, tokens);
        for (var t = 0; t < logits.Count; t++)
            Assert.True(MaxAbsDiff(plainLogits[t], logits[t]) <= 1e-5, $"token {t}: max |Δlogit| {MaxAbsDiff(plainLogits[t], logits[t]):E2}");
    }

    [Fact]
    public void Cached_and_all_differ_from_exact_where_they_should()
    {
        var offset = Direction(seed: 3);
        var exact = Run(new SteeringVector(offset, 1f, Layer, SteeringMode.Exact), 10).Logits;
        var cached = Run(new SteeringVector(offset, 1f, Layer, SteeringMode.Cached), 10).Logits;
        var all = Run(new SteeringVector(offset, 1f, Layer, SteeringMode.All), 10).Logits;
        // The first token is predicted from the only steered position in both exact and cached...
        Assert.True(MaxAbsDiff(exact[0], cached[0]) <= 1e-5);
        // ...afterwards cached attends to steered states that exact has replaced.
        Assert.True(MaxAbsDiff(exact[1], cached[1]) > 1e-2);
        // All steers the prompt too, so it differs from the first token on.
        Assert.True(MaxAbsDiff(exact[0], all[0]) > 1e-2);
    }

    private (List<int> Tokens, List<float[]> Logits) Run(SteeringVector? steering, int count)
    {
        using var model = stories.Load(LlamaOptions.Exact with { Threads = 1 });
        using var generator = new LlamaGenerator(model);
        var logits = new List<float[]>();
        generator.LogitsObserver = (_, _, l) => logits.Add(l);
        var completion = generator.Generate(model.Tokenize(Prompt, addBos: true), 1,
            new SamplingSettings { Temperature = 0, MaxNewTokens = count }, steering).Single();
        return (ArgMaxes(logits, completion.CompletionTokens), logits);
    }

    private static List<int> ArgMaxes(List<float[]> logits, int generated) =>
        logits.Take(generated).Select(l => Array.IndexOf(l, l.Max())).ToList();

    /// <summary>Greedy decoding with the reference pass; the offset placement follows the mode.</summary>
    private (List<int> Tokens, List<float[]> Logits) ReferenceGreedy(float[] direction, SteeringMode mode, int count, Func<int, float>? scaleAtCall = null)
    {
        float[] OffsetAt(int call) => direction.Select(d => (scaleAtCall?.Invoke(call) ?? 1f) * d).ToArray();
        var offset = OffsetAt(1);
        var reference = new ReferenceLlama(stories.CheckpointPath);
        int[] prompt = [1, 403, 407, 261, 378];
        var promptOffset = mode == SteeringMode.All ? offset : null;
        for (var pos = 0; pos < prompt.Length - 1; pos++)
            reference.Forward(prompt[pos], pos, Layer, promptOffset);
        var tokens = new List<int>();
        var logits = new List<float[]>();
        var token = prompt[^1];
        for (var pos = prompt.Length - 1; tokens.Count < count; pos++)
        {
            var l = reference.Forward(token, pos, Layer, OffsetAt(logits.Count + 1));
            if (mode == SteeringMode.Exact)
                reference.Forward(token, pos); // the cache keeps the unsteered state
            logits.Add(l);
            token = Array.IndexOf(l, l.Max());
            if (token == 2)
                break;
            tokens.Add(token);
        }
        return (tokens, logits);
    }

    private static float[] Direction(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 64).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
