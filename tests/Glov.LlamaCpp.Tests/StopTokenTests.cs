using Glov.Core.Proposing;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Tests;

/// <summary>Generation ends at <c>&lt;|eot_id|&gt;</c> and <c>&lt;|end_of_text|&gt;</c>, forced by a crafted
/// Llama-3-format model whose every next token is one chosen token.</summary>
public sealed class StopTokenTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("glov-llama3-stop-");

    public void Dispose() => _dir.Delete(true);

    [Theory]
    [InlineData(128_009)] // <|eot_id|>
    [InlineData(128_001)] // <|end_of_text|>
    public void Generation_stops_at_an_end_token(int end)
    {
        var completions = Generate(end);
        Assert.All(completions, c => Assert.Equal((FinishReason.Stop, 0, ""), (c.Finish, c.CompletionTokens, c.Text)));
    }

    [Fact]
    public void Another_control_token_does_not_stop_generation()
    {
        var completions = Generate(128_005); // <|reserved_special_token_3|>
        Assert.All(completions, c => Assert.Equal((FinishReason.Length, 6), (c.Finish, c.CompletionTokens)));
    }

    private IReadOnlyList<Completion> Generate(int forced)
    {
        var path = Path.Combine(_dir.FullName, $"forced-{forced}.gguf");
        var hp = Llama3Gguf.ShapeTiny with { Layers = 2 };
        LlamaGguf.Build("forced", hp, Llama3Vocabulary.FromRanks(TiktokenRanks.Read(SharedAssets.Llama3Tokenizer)), new ForcedTokenWeights(hp, forced),
            GgmlType.F16, Llama3Gguf.ChatTemplate).Write(path);
        using var model = LlamaModel.Load(path, new LlamaOptions { Threads = 1 });
        using var generator = new LlamaGenerator(model);
        var prompt = model.TokenizeChat(ChatFormatter.Format(model, [new ChatMessage(ChatRole.User, "Write a template.")]));
        return generator.Generate(prompt, 3, new SamplingSettings { MaxNewTokens = 6, Seed = 4 });
    }

    /// <summary>Every token embeds to e₀, the blocks add nothing (all their matrices are zero), and the
    /// classifier's only non-zero row is the forced token's, pointing along e₀: its logit is 800, every
    /// other logit 0, whatever the context.</summary>
    private sealed class ForcedTokenWeights(LlamaHyperParameters hp, int forced) : ILlamaWeights
    {
        public bool HasOutput => true;

        public IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer)
        {
            switch (tensor)
            {
                case LlamaTensor.TokenEmbedding or LlamaTensor.Output:
                    for (var row = 0; row < hp.VocabSize; row += 1024)
                    {
                        var chunk = new float[Math.Min(1024, hp.VocabSize - row) * hp.Dim];
                        for (var r = 0; r < chunk.Length / hp.Dim; r++)
                            if (tensor == LlamaTensor.TokenEmbedding || row + r == forced)
                                chunk[r * hp.Dim] = tensor == LlamaTensor.TokenEmbedding ? 1 : 100;
                        yield return chunk;
                    }
                    break;
                case LlamaTensor.AttentionNorm or LlamaTensor.FeedForwardNorm or LlamaTensor.OutputNorm:
                    yield return Enumerable.Repeat(1f, hp.Dim).ToArray();
                    break;
                case LlamaTensor.Query or LlamaTensor.AttentionOutput:
                    yield return new float[hp.Dim * hp.Dim];
                    break;
                case LlamaTensor.Key or LlamaTensor.Value:
                    yield return new float[hp.KvDim * hp.Dim];
                    break;
                default:
                    yield return new float[hp.HiddenDim * hp.Dim];
                    break;
            }
        }
    }
}
