using Glov.LlamaCpp.Gguf;

namespace Glov.Cli.Budget;

/// <summary>How big a model is for the time estimate: its parameters (compute per token: two operations
/// each) and the bytes of its weights (what one decoder pass streams through memory).</summary>
public sealed record ModelSize(long Parameters, long WeightBytes)
{
    /// <summary>A stand-in computed in a few instructions per call (scripted proposer, keyword scorer).</summary>
    public static ModelSize Negligible { get; } = new(0, 0);

    /// <summary>Read from the GGUF header only: nothing is loaded.</summary>
    public static ModelSize FromGguf(string path)
    {
        var header = GgufHeader.Read(path);
        return new ModelSize(header.Parameters, header.TensorBytes);
    }

    /// <summary>A transformer of <paramref name="layers"/> blocks of width <paramref name="width"/> and
    /// feed-forward width <paramref name="feedForward"/>: four width² projections and two feed-forward
    /// matrices a block (embeddings and attention scores left out), four bytes a weight (float32 ONNX).</summary>
    public static ModelSize Transformer(int layers, int width, int feedForward)
    {
        var parameters = (long)layers * (4L * width * width + 2L * width * feedForward);
        return new ModelSize(parameters, 4 * parameters);
    }
}
