using Glov.LlamaCpp.Gguf;

namespace Glov.Cli.Budget;

/// <summary>
/// Per-image and per-answer cost of a LLaVA-style VLM, from its two GGUF headers: the projector encodes
/// an image once (its image_size / patch_size patches, read from <c>clip.vision.*</c>; LLaVA-1.5's 336 / 14
/// when absent), and every answer prefills those image tokens plus about <see cref="QuestionTokens"/> of
/// chat and question, then decodes up to max_new_tokens in batches of batch_size answers.
/// </summary>
public sealed record VlmCosts(TimeSpan PerImage, TimeSpan PerAnswer)
{
    public const int QuestionTokens = 64;

    public static VlmCosts Read(string model, string projector, int maxNewTokens, int batchSize, NominalRates rates)
    {
        var language = ModelSize.FromGguf(model);
        var header = GgufHeader.Read(projector);
        var patches = (header.Integer("clip.vision.image_size") ?? 336) / Math.Max(1, header.Integer("clip.vision.patch_size") ?? 14);
        var imageTokens = patches * patches;
        return new VlmCosts(
            rates.Tokens(new ModelSize(header.Parameters, header.TensorBytes), imageTokens + 1),
            rates.Tokens(language, imageTokens + QuestionTokens) + rates.Pass(language, batchSize) * maxNewTokens / batchSize);
    }
}
