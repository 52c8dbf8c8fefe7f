namespace Glov.LlamaCpp.Conversion;

/// <summary>Seeded random weights of any llama shape, generated row by row while the GGUF is written
/// (a 0.5B model never sits in memory). Scaled like a trained model's (±0.02 matrices, unit norms)
/// so activations stay finite through all blocks.</summary>
/// <param name="separateOutput">A classifier of its own (as Llama 3 has) instead of the token embedding's.</param>
public sealed class RandomLlamaWeights(LlamaHyperParameters hp, int seed, bool separateOutput = false) : ILlamaWeights
{
    public bool HasOutput => separateOutput;

    public IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer)
    {
        var (rows, columns) = tensor switch
        {
            LlamaTensor.TokenEmbedding or LlamaTensor.Output => (hp.VocabSize, hp.Dim),
            LlamaTensor.AttentionNorm or LlamaTensor.FeedForwardNorm or LlamaTensor.OutputNorm => (1, hp.Dim),
            LlamaTensor.Query or LlamaTensor.AttentionOutput => (hp.Dim, hp.Dim),
            LlamaTensor.Key or LlamaTensor.Value => (hp.KvDim, hp.Dim),
            LlamaTensor.Gate or LlamaTensor.Up => (hp.HiddenDim, hp.Dim),
            LlamaTensor.Down => (hp.Dim, hp.HiddenDim),
            _ => throw new ArgumentOutOfRangeException(nameof(tensor)),
        };
        var norm = tensor is LlamaTensor.AttentionNorm or LlamaTensor.FeedForwardNorm or LlamaTensor.OutputNorm;
        var state = (ulong)(seed * 1_000_003 + (int)tensor * 1009 + layer + 2) * 0x9E3779B97F4A7C15UL;
        const int rowsPerChunk = 64;
        for (var r = 0; r < rows; r += rowsPerChunk)
        {
            var chunk = new float[Math.Min(rowsPerChunk, rows - r) * columns];
            for (var i = 0; i < chunk.Length; i++)
            {
                // xorshift64*: fast, and plenty for benchmark weights.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                var u = (state * 0x2545F4914F6CDD1DUL >> 40) / (float)(1 << 24);
                chunk[i] = norm ? 1f : (u * 2 - 1) * 0.035f;
            }
            yield return chunk;
        }
    }
}
