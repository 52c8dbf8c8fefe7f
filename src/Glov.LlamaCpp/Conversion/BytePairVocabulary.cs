using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A byte-level BPE vocabulary as llama.cpp's <c>gpt2</c> tokenizer reads it: tokens spelled in
/// <see cref="ByteLevelAlphabet"/>, merges "left right" in priority order, and the pre-tokenizer
/// named by <paramref name="PreTokenizer"/> (e.g. <c>llama-bpe</c>, which also makes llama.cpp emit a
/// pre-token whole when it is a token, as tiktoken does).
/// </summary>
public sealed record BytePairVocabulary(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<TokenType> Types,
    IReadOnlyList<string> Merges,
    string PreTokenizer,
    int BosId,
    int EosId,
    int? EotId = null,
    bool AddBos = true) : IGgufVocabulary
{
    public int Count => Tokens.Count;

    public void WriteTo(GgufWriter gguf)
    {
        if (Types.Count != Tokens.Count)
            throw new ArgumentException("tokens and types must have the same length");
        gguf.Set("tokenizer.ggml.model", GgufValue.Of("gpt2"))
            .Set("tokenizer.ggml.pre", GgufValue.Of(PreTokenizer))
            .Set("tokenizer.ggml.tokens", GgufValue.Array(Tokens))
            .Set("tokenizer.ggml.token_type", GgufValue.Array(Types.Select(t => (int)t).ToArray()))
            .Set("tokenizer.ggml.merges", GgufValue.Array(Merges))
            .Set("tokenizer.ggml.bos_token_id", GgufValue.Of((uint)BosId))
            .Set("tokenizer.ggml.eos_token_id", GgufValue.Of((uint)EosId))
            .Set("tokenizer.ggml.add_bos_token", GgufValue.Of(AddBos));
        if (EotId is { } eot)
            gguf.Set("tokenizer.ggml.eot_token_id", GgufValue.Of((uint)eot));
    }
}
