using System.Text.RegularExpressions;
using Glov.LlamaCpp.Conversion;

namespace Glov.LlamaCpp.StandIn;

/// <summary>
/// Splits text into word-level SentencePiece pieces the way llama.cpp's "llama" tokenizer reads it with a
/// space prefix: "a photo of a &lt;category&gt;." → ▁a ▁photo ▁of ▁a ▁&lt;category&gt; "." — a word keeps the
/// space mark before it; punctuation stands alone.
/// </summary>
public static partial class WordPieces
{
    public static IReadOnlyList<string> Split(string text) =>
        Piece().Matches(SentencePieceVocabulary.SpaceMark + text.Trim().Replace(' ', SentencePieceVocabulary.SpaceMark))
            .Select(m => m.Value)
            .ToList();

    /// <summary>The pieces llama.cpp's merge loop passes through on its way from single characters to
    /// <paramref name="piece"/> (it only merges into pieces the vocabulary holds), shortest first.</summary>
    public static IEnumerable<string> MergePath(string piece)
    {
        var runes = piece.EnumerateRunes().Select(r => r.ToString()).ToList();
        for (var length = 2; length < runes.Count; length++)
            yield return string.Concat(runes.Take(length));
    }

    [GeneratedRegex(@"▁?[^▁.,;:!?]+|[.,;:!?]")]
    private static partial Regex Piece();
}
