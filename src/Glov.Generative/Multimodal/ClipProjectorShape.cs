namespace Glov.Generative.Multimodal;

/// <summary>
/// The sizes of a LLaVA-style vision tower (CLIP ViT) and its two-layer MLP projector, as
/// llama.cpp's <c>mlp</c> projector type reads them from an mmproj GGUF.
/// <see cref="OutputWidth"/> must equal the language model's embedding width.
/// </summary>
public sealed record ClipProjectorShape
{
    public int ImageSize { get; init; } = 32;
    public int PatchSize { get; init; } = 8;
    public int Width { get; init; } = 32;
    public int Heads { get; init; } = 2;
    public int FeedForward { get; init; } = 64;

    /// <summary>LLaVA takes the features of the second-to-last block, so at least two are needed
    /// for any block to run.</summary>
    public int Blocks { get; init; } = 2;

    public int ProjectorHidden { get; init; } = 64;
    public int OutputWidth { get; init; } = 64;

    /// <summary>A tiny tower for tests: 32×32 images, 16 image tokens, output width 64 (stories260K's).</summary>
    public static ClipProjectorShape Tiny { get; } = new();

    /// <summary>CLIP ViT-B/16 at 224 px (196 image tokens) with a LLaVA-1.5-style MLP, for benchmarks.</summary>
    public static ClipProjectorShape VitB16(int outputWidth) => new()
    {
        ImageSize = 224, PatchSize = 16, Width = 768, Heads = 12, FeedForward = 3072, Blocks = 12,
        ProjectorHidden = outputWidth, OutputWidth = outputWidth,
    };

    public int PatchCount => ImageSize / PatchSize * (ImageSize / PatchSize);
}
