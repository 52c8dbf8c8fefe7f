using System.Text.Json;
using Glov.Core;

namespace Glov.Vision.Preprocessing;

/// <summary>
/// The image pipeline of a Hugging Face <c>preprocessor_config.json</c>: resize (shortest edge to
/// <see cref="ShortestEdge"/>, or to an exact <see cref="ResizeTo"/> size as SigLIP does), centre crop,
/// rescale, normalise. Missing keys take CLIP's values.
/// </summary>
public sealed record PreprocessorConfig
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public bool DoResize { get; init; } = true;
    public int? ShortestEdge { get; init; } = 224;
    public (int Height, int Width)? ResizeTo { get; init; }
    public bool DoCenterCrop { get; init; } = true;
    public (int Height, int Width) CropSize { get; init; } = (224, 224);
    public bool DoRescale { get; init; } = true;
    public float RescaleFactor { get; init; } = 1f / 255f;
    public bool DoNormalize { get; init; } = true;
    public IReadOnlyList<float> Mean { get; init; } = ClipMean;
    public IReadOnlyList<float> Std { get; init; } = ClipStd;

    /// <summary>Height and width of the tensor this config produces.</summary>
    public (int Height, int Width) OutputSize => DoCenterCrop ? CropSize
        : ResizeTo ?? throw new GlovUserException("preprocessor_config.json: without do_center_crop the size must be {height, width}");

    public static PreprocessorConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: preprocessor config not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var config = new PreprocessorConfig
            {
                DoResize = Bool(root, "do_resize", true),
                DoCenterCrop = Bool(root, "do_center_crop", true),
                DoRescale = Bool(root, "do_rescale", true),
                RescaleFactor = root.TryGetProperty("rescale_factor", out var r) ? r.GetSingle() : 1f / 255f,
                DoNormalize = Bool(root, "do_normalize", true),
                Mean = Floats(root, "image_mean") ?? ClipMean,
                Std = Floats(root, "image_std") ?? ClipStd,
            };
            if (root.TryGetProperty("size", out var size))
            {
                if (size.ValueKind == JsonValueKind.Number)
                    config = config with { ShortestEdge = size.GetInt32() };
                else if (size.TryGetProperty("shortest_edge", out var edge))
                    config = config with { ShortestEdge = edge.GetInt32() };
                else
                    config = config with { ShortestEdge = null, ResizeTo = (size.GetProperty("height").GetInt32(), size.GetProperty("width").GetInt32()) };
            }
            if (root.TryGetProperty("crop_size", out var crop))
                config = config with
                {
                    CropSize = crop.ValueKind == JsonValueKind.Number
                        ? (crop.GetInt32(), crop.GetInt32())
                        : (crop.GetProperty("height").GetInt32(), crop.GetProperty("width").GetInt32()),
                };
            if (config.Mean.Count != 3 || config.Std.Count != 3 || config.Std.Any(s => s <= 0))
                throw new GlovUserException($"{path}: image_mean and image_std need three values each, std positive");
            return config;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GlovUserException($"{path}: malformed preprocessor config ({e.Message})", e);
        }
    }

    private static bool Bool(JsonElement root, string name, bool fallback) =>
        root.TryGetProperty(name, out var value) ? value.GetBoolean() : fallback;

    private static float[]? Floats(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.EnumerateArray().Select(v => v.GetSingle()).ToArray() : null;
}
