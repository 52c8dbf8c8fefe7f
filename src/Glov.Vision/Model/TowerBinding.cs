using Glov.Core;
using Microsoft.ML.OnnxRuntime;

namespace Glov.Vision.Model;

/// <summary>Which graph inputs and outputs carry a tower's tensors, read from the graph's metadata
/// because exports differ (names, whether attention_mask exists, fixed or dynamic sequence length).</summary>
public sealed record TextBinding(string InputIds, string? AttentionMask, string Embeds, int? FixedSequenceLength)
{
    public static TextBinding Detect(InferenceSession session, string file)
    {
        var ids = session.InputMetadata.FirstOrDefault(i => i.Key.Contains("input_ids", StringComparison.OrdinalIgnoreCase) && IsInteger(i.Value));
        var mask = session.InputMetadata.FirstOrDefault(i => i.Key.Contains("attention_mask", StringComparison.OrdinalIgnoreCase));
        var embeds = session.OutputMetadata.Keys.FirstOrDefault(o => o.Contains("text_embeds", StringComparison.OrdinalIgnoreCase))
            ?? session.OutputMetadata.Keys.FirstOrDefault(o => o.Contains("text_embed", StringComparison.OrdinalIgnoreCase));
        if (ids.Key is null || embeds is null)
            throw new GlovUserException($"{file}: not a CLIP text tower (needs an integer input_ids input and a text_embeds output; has inputs {Names(session.InputMetadata)}, outputs {Names(session.OutputMetadata)})");
        var dims = ids.Value.Dimensions;
        int? fixedLength = dims.Length == 2 && dims[1] > 0 ? dims[1] : null;
        return new TextBinding(ids.Key, mask.Key, embeds, fixedLength);
    }

    private static bool IsInteger(NodeMetadata metadata) => metadata.ElementType == typeof(long) || metadata.ElementType == typeof(int);

    internal static string Names(IReadOnlyDictionary<string, NodeMetadata> metadata) => metadata.Count == 0 ? "none" : string.Join(", ", metadata.Keys);
}

public sealed record VisionBinding(string PixelValues, string Embeds, int Height, int Width)
{
    public static VisionBinding Detect(InferenceSession session, string file, (int Height, int Width) preprocessed)
    {
        var pixels = session.InputMetadata.FirstOrDefault(i => i.Value.ElementType == typeof(float) && i.Value.Dimensions.Length == 4);
        var embeds = session.OutputMetadata.Keys.FirstOrDefault(o => o.Contains("image_embeds", StringComparison.OrdinalIgnoreCase))
            ?? session.OutputMetadata.Keys.FirstOrDefault(o => o.Contains("image_embed", StringComparison.OrdinalIgnoreCase));
        if (pixels.Key is null || embeds is null)
            throw new GlovUserException($"{file}: not a CLIP vision tower (needs a 4-D float pixel_values input and an image_embeds output; has inputs {TextBinding.Names(session.InputMetadata)}, outputs {TextBinding.Names(session.OutputMetadata)})");
        var dims = pixels.Value.Dimensions;
        if (dims[1] > 0 && dims[1] != 3)
            throw new GlovUserException($"{file}: {pixels.Key} takes {dims[1]} channels, CLIP towers take 3");
        var height = dims[2] > 0 ? dims[2] : preprocessed.Height;
        var width = dims[3] > 0 ? dims[3] : preprocessed.Width;
        if ((height, width) != preprocessed)
            throw new GlovUserException($"{file}: {pixels.Key} takes {height}×{width} images but preprocessor_config.json produces {preprocessed.Height}×{preprocessed.Width}");
        return new VisionBinding(pixels.Key, embeds, height, width);
    }
}
