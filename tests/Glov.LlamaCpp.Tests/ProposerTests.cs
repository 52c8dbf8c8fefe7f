using Glov.Core.Proposing;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

[Collection(StoriesCollection.Name)]
public sealed class ProposerTests(StoriesModel stories)
{
    private static ProposalRequest Request(string user, int count, ulong seed, SteeringVector? steering = null) =>
        new([new(ChatRole.System, "You write stories."), new(ChatRole.User, user)], count,
            new SamplingSettings { Seed = seed, MaxNewTokens = 24 }, steering);

    [Fact]
    public async Task Same_seed_gives_the_same_completions_and_another_seed_others()
    {
        using var model = LlamaModel.Load(stories.ChatGgufPath, new LlamaOptions { Threads = 1 });
        using var proposer = new LlamaProposer(model);
        var a = await proposer.ProposeAsync(Request("A story about a cat.", 6, seed: 11));
        var b = await proposer.ProposeAsync(Request("A story about a cat.", 6, seed: 11));
        var c = await proposer.ProposeAsync(Request("A story about a cat.", 6, seed: 12));
        Assert.Equal(6, a.Count);
        Assert.Equal(a.Select(x => x.Text), b.Select(x => x.Text));
        Assert.NotEqual(a.Select(x => x.Text), c.Select(x => x.Text));
        Assert.True(a.Select(x => x.Text).Distinct().Count() > 3, "candidates of one step should differ");
        Assert.All(a, x => Assert.True(x.CompletionTokens is > 0 and <= 24));
    }

    [Fact]
    public async Task A_candidate_does_not_depend_on_how_many_are_drawn_with_it()
    {
        using var model = LlamaModel.Load(stories.ChatGgufPath, new LlamaOptions { Threads = 1, FlashAttention = false, Float32Cache = true });
        using var proposer = new LlamaProposer(model);
        var two = await proposer.ProposeAsync(Request("A story about a dog.", 2, seed: 5));
        var five = await proposer.ProposeAsync(Request("A story about a dog.", 5, seed: 5));
        Assert.Equal(two.Select(x => x.Text), five.Take(2).Select(x => x.Text));
    }

    [Fact]
    public async Task The_next_step_reuses_the_shared_prompt_prefix_without_changing_results()
    {
        var options = new LlamaOptions { Threads = 1, FlashAttention = false, Float32Cache = true };
        using var model = LlamaModel.Load(stories.ChatGgufPath, options);
        using var proposer = new LlamaProposer(model);
        var first = Request("A story about a cat. Best so far: a cat sat.", 3, seed: 1);
        var second = Request("A story about a cat. Best so far: a dog ran.", 3, seed: 2);
        await proposer.ProposeAsync(first);
        var reused = await proposer.ProposeAsync(second);
        var stats = proposer.LastStats!;
        var p1 = model.Tokenize(ChatFormatter.Format(model, first.Messages), true, true);
        var p2 = model.Tokenize(ChatFormatter.Format(model, second.Messages), true, true);
        var common = p1.Zip(p2).TakeWhile(x => x.First == x.Second).Count();
        Assert.True(common > 10);
        Assert.Equal(common, stats.ReusedPromptTokens);

        using var fresh = new LlamaProposer(model);
        var cold = await fresh.ProposeAsync(second);
        Assert.Equal(0, fresh.LastStats!.ReusedPromptTokens);
        Assert.Equal(cold.Select(x => x.Text), reused.Select(x => x.Text));
    }

    [Fact]
    public void Generation_stops_at_the_end_of_generation_token()
    {
        // stories260K never emits its EOS, so declare the full stop as EOS in a copy of the model.
        int fullStop;
        using (var original = stories.Load())
            fullStop = original.Tokenize("Lily.", addBos: false)[^1];
        var checkpoint = Llama2cCheckpoint.Read(stories.CheckpointPath);
        var vocabulary = Llama2cTokenizer.Read(stories.TokenizerPath, 512).ToVocabulary() with { EosId = fullStop };
        var path = Path.Combine(stories.Directory.FullName, "eos-is-full-stop.gguf");
        LlamaGguf.Build("stop", checkpoint.HyperParameters, vocabulary, checkpoint).Write(path);

        using var model = LlamaModel.Load(path, LlamaOptions.Exact with { Threads = 1 });
        Assert.True(model.IsEndOfGeneration(fullStop));
        using var generator = new LlamaGenerator(model);
        var completion = generator.Generate(model.Tokenize("Once upon a time", true), 1, new SamplingSettings { Temperature = 0, MaxNewTokens = 100 }).Single();
        Assert.Equal(FinishReason.Stop, completion.Finish);
        Assert.Equal(", there was a little girl named Lily", completion.Text);
    }

    [Fact]
    public async Task Steering_can_change_between_steps_on_the_live_context()
    {
        using var model = LlamaModel.Load(stories.ChatGgufPath, new LlamaOptions { Threads = 1 });
        using var proposer = new LlamaProposer(model);
        var rng = new Random(4);
        var direction = Enumerable.Range(0, 64).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var plain = await proposer.ProposeAsync(Request("A story.", 3, seed: 9));
        var steered = await proposer.ProposeAsync(Request("A story.", 3, seed: 9, new SteeringVector(direction, 1.5f, 2, SteeringMode.Exact)));
        var plainAgain = await proposer.ProposeAsync(Request("A story.", 3, seed: 9));
        Assert.NotEqual(plain.Select(x => x.Text), steered.Select(x => x.Text));
        Assert.Equal(plain.Select(x => x.Text), plainAgain.Select(x => x.Text));
    }
}
