using System.Text.Json;
using Glov.Core;

namespace Glov.Cli.Budget;

/// <summary>
/// Per-image and per-text cost of a CLIP-family export, from the tower shapes in its <c>config.json</c>
/// (<c>vision_config</c>: hidden_size, intermediate_size, num_hidden_layers, image_size, patch_size;
/// <c>text_config</c>: the same and max_position_embeddings). A key it lacks takes Hugging Face's CLIP
/// default (ViT-B/32: width 768, 12 blocks, 224-pixel images in 32-pixel patches; text: width 512, 12
/// blocks, 77 tokens; feed-forward 4 × width). An image runs one token per patch plus the class token,
/// a text its whole context (the exports pad to it).
/// </summary>
public sealed record ClipCosts(TimeSpan PerImage, TimeSpan PerText)
{
    public static ClipCosts Read(string modelFolder, NominalRates rates)
    {
        var path = Path.Combine(modelFolder, "config.json");
        JsonElement root = default;
        JsonDocument? doc = null;
        try
        {
            if (File.Exists(path))
                root = (doc = JsonDocument.Parse(File.ReadAllBytes(path))).RootElement;
            var vision = Tower(root, "vision_config");
            var text = Tower(root, "text_config");
            var patches = Int(vision, "image_size", 224) / Math.Max(1, Int(vision, "patch_size", 32));
            return new ClipCosts(
                rates.Tokens(Size(vision, 768), patches * patches + 1),
                rates.Tokens(Size(text, 512), Int(text, "max_position_embeddings", 77)));
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{path}: malformed config.json ({e.Message})", e);
        }
        finally
        {
            doc?.Dispose();
        }
    }

    private static JsonElement Tower(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var tower) && tower.ValueKind == JsonValueKind.Object ? tower : default;

    private static ModelSize Size(JsonElement tower, int defaultWidth)
    {
        var width = Int(tower, "hidden_size", defaultWidth);
        return ModelSize.Transformer(Int(tower, "num_hidden_layers", 12), width, Int(tower, "intermediate_size", 4 * width));
    }

    private static int Int(JsonElement tower, string key, int fallback) =>
        tower.ValueKind == JsonValueKind.Object && tower.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n > 0
            ? n : fallback;
}
