using Glov.Core;
using Glov.LlamaCpp.Gguf;
using LLama;
using LLama.Native;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A Llama-3-Instruct-format GGUF with random weights: the real tokenizer (from Meta's rank file), its
/// special tokens and the Instruct chat template, at a chosen shape. Every path a user's
/// Meta-Llama-3-8B-Instruct GGUF takes (tokenisation, template, stop tokens, block count) runs on it;
/// its text means nothing.
/// </summary>
public static class Llama3Gguf
{
    /// <summary>Meta-Llama-3-8B-Instruct's <c>tokenizer.chat_template</c>, verbatim.</summary>
    public const string ChatTemplate =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

    private const int Vocab = 128_000 + Llama3Vocabulary.SpecialCount;

    /// <summary>Meta's published 8B shape (params.json: ffn 14,336 from multiple_of 1024 × 1.3).</summary>
    public static LlamaHyperParameters Shape8B { get; } = new(4096, 14_336, 32, 32, 8, Vocab, 8192, 1e-5f, 500_000f);

    /// <summary>Qwen2.5-0.5B's widths with Llama 3's vocabulary: the benchmark's small shape.</summary>
    public static LlamaHyperParameters ShapeHalfB { get; } = new(896, 4864, 24, 14, 2, Vocab, 8192, 1e-5f, 500_000f);

    /// <summary>32 blocks like the 8B (so the paper's block 17 exists) but 64 wide: fast in tests.</summary>
    public static LlamaHyperParameters ShapeTiny { get; } = new(64, 128, 32, 4, 2, Vocab, 8192, 1e-5f, 500_000f);

    public static LlamaHyperParameters NamedShape(string name) => name switch
    {
        "tiny" => ShapeTiny,
        "0.5b" => ShapeHalfB,
        "8b" => Shape8B,
        _ => throw new GlovUserException($"--shape: '{name}' is not tiny, 0.5b or 8b"),
    };

    /// <summary>The shape's problems for a user, or null: widths that do not divide.</summary>
    public static string? ShapeError(LlamaHyperParameters hp)
    {
        if (hp.Dim < 1 || hp.HiddenDim < 1 || hp.Layers < 1 || hp.Heads < 1 || hp.KvHeads < 1)
            return "every size must be positive";
        if (hp.Dim % hp.Heads != 0)
            return $"width {hp.Dim} is not divisible by {hp.Heads} heads";
        if (hp.Heads % hp.KvHeads != 0)
            return $"{hp.Heads} heads are not divisible by {hp.KvHeads} KV heads";
        if (hp.HeadSize % 2 != 0)
            return $"head size {hp.HeadSize} is odd (rope rotates pairs)";
        if (hp.Dim % 32 != 0 || hp.HiddenDim % 32 != 0)
            return $"width {hp.Dim} and feed-forward width {hp.HiddenDim} must be multiples of 32 (the quantizers' block)";
        return null;
    }

    /// <param name="tokenizerPath">Meta's <c>tokenizer.model</c> (tiktoken ranks).</param>
    /// <param name="type">F32, F16 or Q8_0 for the matrices; quantize the result for K-quants.</param>
    public static GgufWriter Build(string tokenizerPath, LlamaHyperParameters hp, int seed, GgmlType type)
    {
        var ranks = TiktokenRanks.Read(tokenizerPath);
        if (ranks.Count + Llama3Vocabulary.SpecialCount != hp.VocabSize)
            throw new GlovUserException($"{tokenizerPath}: has {ranks.Count} ranks; a Llama 3 vocabulary has {hp.VocabSize - Llama3Vocabulary.SpecialCount} (plus {Llama3Vocabulary.SpecialCount} special tokens)");
        if (ShapeError(hp) is { } error)
            throw new GlovUserException($"shape: {error}");
        var vocabulary = Llama3Vocabulary.FromRanks(ranks);
        return LlamaGguf.Build("Llama-3-Instruct format, random weights", hp, vocabulary, new RandomLlamaWeights(hp, seed, separateOutput: true), type, ChatTemplate);
    }

    /// <summary>llama.cpp's own quantizer (<c>llama_model_quantize</c>, as <c>llama-quantize</c> runs it,
    /// output tensor included). Tensors whose rows a K-quant cannot split fall back to a type that can.</summary>
    public static void Quantize(string source, string destination, LLamaFtype type, int threads)
    {
        Native.LlamaNative.EnsureInitialised();
        if (!LLamaQuantizer.Quantize(source, destination, type, threads, allowRequantize: true, quantizeOutputTensor: true))
            throw new GlovUserException($"{source}: llama.cpp could not quantize it to {type} ({Native.LlamaNative.TakeRecentErrors()})");
    }
}
