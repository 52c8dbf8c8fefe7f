using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary>The weights of a llama decoder, each tensor as float32 values in GGUF memory order.</summary>
public interface ILlamaWeights
{
    /// <summary>Whether the classifier is stored separately (otherwise it is the token embedding).</summary>
    bool HasOutput { get; }

    IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer);
}
