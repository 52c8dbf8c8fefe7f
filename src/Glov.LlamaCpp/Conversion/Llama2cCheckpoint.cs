using Glov.Core;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A llama2.c checkpoint (version-0 layout): seven int32 hyper-parameters, then float32 weights with
/// every matrix stored output-by-input, row-major — the order GGUF expects, so tensors are sliced
/// out unchanged (and, unlike Hugging Face checkpoints, without a Q/K permutation: llama2.c rotates
/// adjacent pairs exactly as llama.cpp's normal rope does). A negative vocabulary size in the header
/// marks a separate classifier at the end.
/// </summary>
public sealed class Llama2cCheckpoint : ILlamaWeights
{
    private readonly float[] _weights;
    private readonly Dictionary<LlamaTensor, (long Offset, long PerLayer)> _layout;

    private Llama2cCheckpoint(LlamaHyperParameters hp, bool sharedClassifier, float[] weights)
    {
        HyperParameters = hp;
        HasOutput = !sharedClassifier;
        _weights = weights;
        _layout = Layout(hp);
    }

    public LlamaHyperParameters HyperParameters { get; }

    public bool HasOutput { get; }

    public static Llama2cCheckpoint Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read llama2.c checkpoint ({e.Message})", e);
        }
        if (bytes.Length < 28)
            throw new GlovUserException($"{path}: not a llama2.c checkpoint (only {bytes.Length} bytes, the header alone is 28)");
        var h = new int[7];
        Buffer.BlockCopy(bytes, 0, h, 0, 28);
        var (dim, hidden, layers, heads, kvHeads, vocab, seqLen) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
        var shared = vocab > 0;
        vocab = Math.Abs(vocab);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0
            || dim % heads != 0 || heads % kvHeads != 0 || dim > 1 << 16 || layers > 1024 || vocab > 1 << 24)
            throw new GlovUserException($"{path}: not a llama2.c checkpoint (implausible header {string.Join(", ", h)})");
        var hp = new LlamaHyperParameters(dim, hidden, layers, heads, kvHeads, vocab, seqLen);
        var expected = 28 + 4 * (FloatCount(hp) + (shared ? 0 : (long)vocab * dim));
        if (bytes.Length != expected)
            throw new GlovUserException($"{path}: truncated or not a llama2.c checkpoint ({bytes.Length} bytes, header implies {expected})");
        var weights = new float[(bytes.Length - 28) / 4];
        Buffer.BlockCopy(bytes, 28, weights, 0, bytes.Length - 28);
        return new Llama2cCheckpoint(hp, shared, weights);
    }

    public IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer)
    {
        if (tensor == LlamaTensor.Output && !HasOutput)
            throw new InvalidOperationException("the classifier is shared with the token embedding");
        var (offset, perLayer) = _layout[tensor];
        var start = offset + Math.Max(layer, 0) * perLayer;
        yield return _weights.AsSpan((int)start, (int)perLayer).ToArray();
    }

    private static long FloatCount(LlamaHyperParameters hp)
    {
        var l = Layout(hp);
        return l[LlamaTensor.Output].Offset;
    }

    // Order of the arrays in the file; the rope tables llama2.c stores after the final norm are skipped.
    private static Dictionary<LlamaTensor, (long Offset, long PerLayer)> Layout(LlamaHyperParameters hp)
    {
        long d = hp.Dim, f = hp.HiddenDim, kv = hp.KvDim, n = hp.Layers;
        var layout = new Dictionary<LlamaTensor, (long Offset, long PerLayer)>();
        long at = 0;
        void Next(LlamaTensor t, long perLayer, long count)
        {
            layout[t] = (at, perLayer);
            at += perLayer * count;
        }
        Next(LlamaTensor.TokenEmbedding, hp.VocabSize * d, 1);
        Next(LlamaTensor.AttentionNorm, d, n);
        Next(LlamaTensor.Query, d * d, n);
        Next(LlamaTensor.Key, kv * d, n);
        Next(LlamaTensor.Value, kv * d, n);
        Next(LlamaTensor.AttentionOutput, d * d, n);
        Next(LlamaTensor.FeedForwardNorm, d, n);
        Next(LlamaTensor.Gate, f * d, n);
        Next(LlamaTensor.Down, d * f, n);
        Next(LlamaTensor.Up, f * d, n);
        Next(LlamaTensor.OutputNorm, d, 1);
        at += (long)hp.ContextLength * hp.HeadSize; // freq_cis_real and freq_cis_imag, half a head each
        Next(LlamaTensor.Output, hp.VocabSize * d, 1);
        return layout;
    }
}
