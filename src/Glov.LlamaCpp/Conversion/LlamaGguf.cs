using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary>Lays out a llama-architecture GGUF: hyper-parameters, vocabulary, tensors.</summary>
public static class LlamaGguf
{
    /// <param name="matrixType">Encoding of the 2-D weight matrices; norms always stay F32.</param>
    /// <param name="chatTemplate">Stored as <c>tokenizer.chat_template</c> when given: a Jinja template
    /// or one of llama.cpp's built-in template names (e.g. "chatml").</param>
    public static GgufWriter Build(
        string name,
        LlamaHyperParameters hp,
        IGgufVocabulary vocabulary,
        ILlamaWeights weights,
        GgmlType matrixType = GgmlType.F32,
        string? chatTemplate = null)
    {
        if (vocabulary.Count != hp.VocabSize)
            throw new ArgumentException($"vocabulary has {vocabulary.Count} pieces, the model {hp.VocabSize}");
        var gguf = new GgufWriter()
            .Set("general.architecture", GgufValue.Of("llama"))
            .Set("general.name", GgufValue.Of(name))
            .Set("general.file_type", GgufValue.Of((uint)FileType(matrixType)))
            .Set("llama.context_length", GgufValue.Of((uint)hp.ContextLength))
            .Set("llama.embedding_length", GgufValue.Of((uint)hp.Dim))
            .Set("llama.block_count", GgufValue.Of((uint)hp.Layers))
            .Set("llama.feed_forward_length", GgufValue.Of((uint)hp.HiddenDim))
            .Set("llama.rope.dimension_count", GgufValue.Of((uint)hp.HeadSize))
            .Set("llama.rope.freq_base", GgufValue.Of(hp.RopeBase))
            .Set("llama.attention.head_count", GgufValue.Of((uint)hp.Heads))
            .Set("llama.attention.head_count_kv", GgufValue.Of((uint)hp.KvHeads))
            .Set("llama.attention.layer_norm_rms_epsilon", GgufValue.Of(hp.RmsEpsilon))
            .Set("llama.vocab_size", GgufValue.Of((uint)hp.VocabSize));
        vocabulary.WriteTo(gguf);
        if (chatTemplate is not null)
            gguf.Set("tokenizer.chat_template", GgufValue.Of(chatTemplate));

        GgufTensor T(string tensorName, LlamaTensor kind, int layer, GgmlType type, params long[] shape) =>
            new(tensorName, shape, type, weights.Tensor(kind, layer));

        gguf.Add(T("token_embd.weight", LlamaTensor.TokenEmbedding, -1, matrixType, hp.Dim, hp.VocabSize));
        gguf.Add(T("output_norm.weight", LlamaTensor.OutputNorm, -1, GgmlType.F32, hp.Dim));
        if (weights.HasOutput)
            gguf.Add(T("output.weight", LlamaTensor.Output, -1, matrixType, hp.Dim, hp.VocabSize));
        for (var l = 0; l < hp.Layers; l++)
        {
            var p = $"blk.{l}.";
            gguf.Add(T(p + "attn_norm.weight", LlamaTensor.AttentionNorm, l, GgmlType.F32, hp.Dim));
            gguf.Add(T(p + "attn_q.weight", LlamaTensor.Query, l, matrixType, hp.Dim, hp.Dim));
            gguf.Add(T(p + "attn_k.weight", LlamaTensor.Key, l, matrixType, hp.Dim, hp.KvDim));
            gguf.Add(T(p + "attn_v.weight", LlamaTensor.Value, l, matrixType, hp.Dim, hp.KvDim));
            gguf.Add(T(p + "attn_output.weight", LlamaTensor.AttentionOutput, l, matrixType, hp.Dim, hp.Dim));
            gguf.Add(T(p + "ffn_norm.weight", LlamaTensor.FeedForwardNorm, l, GgmlType.F32, hp.Dim));
            gguf.Add(T(p + "ffn_gate.weight", LlamaTensor.Gate, l, matrixType, hp.Dim, hp.HiddenDim));
            gguf.Add(T(p + "ffn_down.weight", LlamaTensor.Down, l, matrixType, hp.HiddenDim, hp.Dim));
            gguf.Add(T(p + "ffn_up.weight", LlamaTensor.Up, l, matrixType, hp.Dim, hp.HiddenDim));
        }
        return gguf;
    }

    // llama.cpp's llama_ftype: the file's dominant encoding.
    private static int FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q8_0 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
