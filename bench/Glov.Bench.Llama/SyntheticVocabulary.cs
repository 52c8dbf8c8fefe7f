using Glov.LlamaCpp.Conversion;

namespace Glov.Bench.Llama;

/// <summary>A SentencePiece vocabulary of any size: unknown/BOS/EOS, the 256 byte tokens, the
/// printable ASCII characters with and without the space mark, then filler pieces.</summary>
internal static class SyntheticVocabulary
{
    public static SentencePieceVocabulary Create(int size)
    {
        var pieces = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<TokenType> { TokenType.Unknown, TokenType.Control, TokenType.Control };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add($"<0x{b:X2}>");
            types.Add(TokenType.Byte);
        }
        for (var c = 33; c < 127; c++)
        {
            pieces.Add(((char)c).ToString());
            pieces.Add(SentencePieceVocabulary.SpaceMark + ((char)c).ToString());
            types.Add(TokenType.Normal);
            types.Add(TokenType.Normal);
        }
        for (var n = 0; pieces.Count < size; n++)
        {
            pieces.Add($"{SentencePieceVocabulary.SpaceMark}~{n}");
            types.Add(TokenType.Normal);
        }
        var scores = pieces.Select((_, i) => -(float)i).ToArray();
        return new SentencePieceVocabulary(pieces, scores, types, UnknownId: 0, BosId: 1, EosId: 2);
    }
}
