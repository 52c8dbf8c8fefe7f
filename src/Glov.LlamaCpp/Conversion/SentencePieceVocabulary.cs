using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A SentencePiece-style vocabulary as llama.cpp's "llama" tokenizer reads it: pieces spelled with
/// U+2581 for a space, a score per piece (merge priority), a type per piece.
/// </summary>
public sealed record SentencePieceVocabulary(
    IReadOnlyList<string> Pieces,
    IReadOnlyList<float> Scores,
    IReadOnlyList<TokenType> Types,
    int UnknownId,
    int BosId,
    int EosId,
    bool AddBos = true,
    bool AddEos = false,
    bool AddSpacePrefix = true) : IGgufVocabulary
{
    public const char SpaceMark = '\u2581';

    public int Count => Pieces.Count;

    public void WriteTo(GgufWriter gguf)
    {
        if (Scores.Count != Pieces.Count || Types.Count != Pieces.Count)
            throw new ArgumentException("pieces, scores and types must have the same length");
        gguf.Set("tokenizer.ggml.model", GgufValue.Of("llama"))
            .Set("tokenizer.ggml.tokens", GgufValue.Array(Pieces))
            .Set("tokenizer.ggml.scores", GgufValue.Array(Scores))
            .Set("tokenizer.ggml.token_type", GgufValue.Array(Types.Select(t => (int)t).ToArray()))
            .Set("tokenizer.ggml.unknown_token_id", GgufValue.Of((uint)UnknownId))
            .Set("tokenizer.ggml.bos_token_id", GgufValue.Of((uint)BosId))
            .Set("tokenizer.ggml.eos_token_id", GgufValue.Of((uint)EosId))
            .Set("tokenizer.ggml.add_bos_token", GgufValue.Of(AddBos))
            .Set("tokenizer.ggml.add_eos_token", GgufValue.Of(AddEos))
            .Set("tokenizer.ggml.add_space_prefix", GgufValue.Of(AddSpacePrefix));
    }
}
