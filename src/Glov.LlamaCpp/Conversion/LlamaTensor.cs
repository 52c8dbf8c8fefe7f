namespace Glov.LlamaCpp.Conversion;

/// <summary>The tensors of a llama decoder, in llama.cpp's naming.</summary>
public enum LlamaTensor
{
    TokenEmbedding,
    OutputNorm,
    Output,
    AttentionNorm,
    Query,
    Key,
    Value,
    AttentionOutput,
    FeedForwardNorm,
    Gate,
    Down,
    Up,
}
