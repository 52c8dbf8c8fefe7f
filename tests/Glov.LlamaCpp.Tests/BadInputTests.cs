using Glov.Core;
using Glov.Core.Proposing;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>Mistakes a user can make end in a <see cref="GlovUserException"/> with one line naming
/// the file or setting.</summary>
[Collection(StoriesCollection.Name)]
public sealed class BadInputTests(StoriesModel stories)
{
    private static readonly ChatMessage[] Chat = [new(ChatRole.User, "Tell me a story.")];

    [Fact]
    public void A_file_that_is_not_a_gguf_is_named()
    {
        var path = Path.Combine(stories.Directory.FullName, "notes.gguf");
        File.WriteAllText(path, "hello, I am text");
        var e = Assert.Throws<GlovUserException>(() => LlamaModel.Load(path));
        AssertOneLine(e, path, "not a GGUF");
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(stories.Directory.FullName, "absent.gguf");
        AssertOneLine(Assert.Throws<GlovUserException>(() => LlamaModel.Load(path)), path, "not found");
    }

    [Fact]
    public void A_truncated_gguf_is_named()
    {
        var path = Path.Combine(stories.Directory.FullName, "truncated.gguf");
        var bytes = File.ReadAllBytes(stories.GgufPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertOneLine(Assert.Throws<GlovUserException>(() => LlamaModel.Load(path)), path, "cannot load");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public async Task A_steering_layer_outside_1_to_n_minus_1_is_refused(int layer)
    {
        using var model = stories.Load(new LlamaOptions { Threads = 1, ChatTemplate = "chatml" });
        using var proposer = new LlamaProposer(model);
        var request = new ProposalRequest(Chat, 2, new SamplingSettings(), new SteeringVector(new float[64], 1, layer, SteeringMode.Exact));
        var e = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(request));
        AssertOneLine(e, "steering layer", "1..4");
    }

    [Fact]
    public async Task A_steering_vector_of_the_wrong_width_is_refused()
    {
        using var model = stories.Load(new LlamaOptions { Threads = 1, ChatTemplate = "chatml" });
        using var proposer = new LlamaProposer(model);
        var request = new ProposalRequest(Chat, 2, new SamplingSettings(), new SteeringVector(new float[896], 1, 2, SteeringMode.Exact));
        var e = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(request));
        AssertOneLine(e, "steering vector", "896", "64");
    }

    [Fact]
    public async Task An_embedding_layer_out_of_range_is_refused()
    {
        using var model = stories.Load();
        using var embedder = new LlamaEmbedder(model);
        var e = await Assert.ThrowsAsync<GlovUserException>(() => embedder.EmbedAsync("a dog", 5));
        AssertOneLine(e, "embedding layer", "0..4");
    }

    [Fact]
    public async Task A_model_without_chat_template_is_refused_for_chat_unless_one_is_given()
    {
        using (var model = stories.Load())
        using (var proposer = new LlamaProposer(model))
        {
            Assert.Null(model.ChatTemplate);
            var e = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(new ProposalRequest(Chat, 1, new SamplingSettings())));
            AssertOneLine(e, stories.GgufPath, "no chat template");
        }
        // Documented fallbacks: a template in the options, or one embedded at conversion.
        foreach (var model in new[] { stories.Load(new LlamaOptions { Threads = 1, ChatTemplate = "chatml" }), LlamaModel.Load(stories.ChatGgufPath, new LlamaOptions { Threads = 1 }) })
        {
            using (model)
            {
                Assert.Equal("chatml", model.ChatTemplate);
                var formatted = ChatFormatter.Format(model, Chat);
                Assert.Equal("<|im_start|>user\nTell me a story.<|im_end|>\n<|im_start|>assistant\n", formatted);
            }
        }
    }

    [Fact]
    public void Invalid_sampling_settings_are_named()
    {
        using var model = stories.Load();
        using var generator = new LlamaGenerator(model);
        var prompt = model.Tokenize("Once", addBos: true);
        AssertOneLine(Assert.Throws<GlovUserException>(() => generator.Generate(prompt, 1, new SamplingSettings { TopP = 0 })), "top-p");
        AssertOneLine(Assert.Throws<GlovUserException>(() => generator.Generate(prompt, 1, new SamplingSettings { Temperature = -1 })), "temperature");
        AssertOneLine(Assert.Throws<GlovUserException>(() => generator.Generate(prompt, 1, new SamplingSettings { MaxNewTokens = 0 })), "max tokens");
    }

    [Fact]
    public void Candidates_up_to_the_sequence_limit_generate_and_more_are_refused_instead_of_crashing_llama_cpp()
    {
        using var model = stories.Load();
        using var proposer = new LlamaProposer(model);
        using var generator = new LlamaGenerator(model);
        var prompt = model.Tokenize("Once", addBos: true);
        var sampling = new SamplingSettings { MaxNewTokens = 1, Seed = 3 };

        var most = generator.Generate(prompt, LlamaGenerator.MaxCandidates, sampling);
        var e = Assert.Throws<GlovUserException>(() => generator.Generate(prompt, LlamaGenerator.MaxCandidates + 1, sampling));

        Assert.Equal(255, proposer.MaxCandidates);
        Assert.Equal(255, most.Count);
        AssertOneLine(e, "candidates: 256 exceeds llama.cpp's limit of 255");
    }

    [Fact]
    public void A_truncated_llama2c_checkpoint_is_named()
    {
        var path = Path.Combine(stories.Directory.FullName, "short.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(stories.CheckpointPath)[..5000]);
        var e = Assert.Throws<GlovUserException>(() => Llama2cConverter.ToGguf(path, stories.TokenizerPath));
        AssertOneLine(e, path, "truncated");
    }

    [Fact]
    public void A_tokenizer_that_does_not_match_the_checkpoint_is_named()
    {
        var path = Path.Combine(stories.Directory.FullName, "short-tok.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(stories.TokenizerPath)[..1000]);
        var e = Assert.Throws<GlovUserException>(() => Llama2cConverter.ToGguf(stories.CheckpointPath, path));
        AssertOneLine(e, path, "truncated");
    }

    private static void AssertOneLine(Exception e, params string[] fragments)
    {
        Assert.DoesNotContain('\n', e.Message);
        foreach (var f in fragments)
            Assert.Contains(f, e.Message);
    }
}
