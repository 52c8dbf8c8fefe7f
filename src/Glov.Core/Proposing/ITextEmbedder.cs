namespace Glov.Core.Proposing;

/// <summary>The guidance embedding H(text): the residual stream after block <c>layer</c> (0-based)
/// for the raw text (no chat template), mean-pooled over its tokens excluding BOS, float32.</summary>
public interface ITextEmbedder
{
    int LayerCount { get; }

    int Width { get; }

    Task<float[]> EmbedAsync(string text, int layer, CancellationToken cancellationToken = default);
}
