using Glov.Core;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// Llama 3's tokenizer (tiktoken ranks plus 256 special tokens) as a <c>gpt2</c>-model GGUF vocabulary.
/// tiktoken merges the adjacent pair whose concatenation has the lowest rank; llama.cpp merges the
/// pair that comes first in its merge list. So every split of a token into two tokens is a merge,
/// listed in the rank order of the token it builds (splits of one token by their parts' ranks).
/// </summary>
public static class Llama3Vocabulary
{
    public const int SpecialCount = 256;
    public const string PreTokenizer = "llama-bpe";

    /// <summary>Special token names at ids <c>ranks.Count + i</c> (Meta's order).</summary>
    public static string SpecialName(int i) => i switch
    {
        0 => "<|begin_of_text|>",
        1 => "<|end_of_text|>",
        >= 2 and <= 5 => $"<|reserved_special_token_{i - 2}|>",
        6 => "<|start_header_id|>",
        7 => "<|end_header_id|>",
        8 => "<|reserved_special_token_4|>",
        9 => "<|eot_id|>",
        _ => $"<|reserved_special_token_{i - 5}|>",
    };

    public static BytePairVocabulary FromRanks(TiktokenRanks ranks)
    {
        var tokens = new List<string>(ranks.Count + SpecialCount);
        var types = new List<TokenType>(ranks.Count + SpecialCount);
        var merges = new List<string>(3 * ranks.Count);
        var splits = new List<(int Left, int Right, string Merge)>();
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            var token = ranks.Tokens[rank];
            tokens.Add(ByteLevelAlphabet.Encode(token));
            types.Add(TokenType.Normal);
            splits.Clear();
            for (var at = 1; at < token.Length; at++)
            {
                if (ranks.Ranks.TryGetValue(token[..at], out var left) && ranks.Ranks.TryGetValue(token[at..], out var right))
                    splits.Add((left, right, ByteLevelAlphabet.Encode(token[..at]) + " " + ByteLevelAlphabet.Encode(token[at..])));
            }
            if (token.Length > 1 && splits.Count == 0)
                throw new GlovUserException($"{ranks.Path}: the token of rank {rank} is not two shorter tokens joined, so no BPE merge builds it");
            merges.AddRange(splits.OrderBy(m => m.Left).ThenBy(m => m.Right).Select(m => m.Merge));
        }
        for (var i = 0; i < SpecialCount; i++)
        {
            tokens.Add(SpecialName(i));
            types.Add(TokenType.Control);
        }
        var first = ranks.Count;
        return new BytePairVocabulary(tokens, types, merges, PreTokenizer, BosId: first, EosId: first + 1, EotId: first + 9);
    }
}
