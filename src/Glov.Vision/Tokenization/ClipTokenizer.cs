using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Glov.Vision.Tokenization;

/// <summary>
/// CLIP's text tokenizer on Microsoft.ML.Tokenizers' byte-pair encoder: CLIP's clean-up and
/// pre-tokenisation regex, byte-level symbols with the <c>&lt;/w&gt;</c> end-of-word suffix, start and end
/// tokens, and truncation to the context that keeps the end token (the text tower pools there).
/// </summary>
public sealed partial class ClipTokenizer
{
    public const int DefaultContextLength = 77;

    private readonly BpeTokenizer _bpe;

    public ClipTokenizer(ClipVocabulary vocabulary, int contextLength = DefaultContextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        Vocabulary = vocabulary;
        ContextLength = contextLength;
        var specials = new Dictionary<string, int>
        {
            [ClipVocabulary.StartToken] = vocabulary.StartId,
            [ClipVocabulary.EndToken] = vocabulary.EndId,
        };
        _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary.Tokens)
        {
            Merges = vocabulary.Merges,
            SpecialTokens = specials,
            Normalizer = ClipTextNormalizer.Instance,
            PreTokenizer = new RegexPreTokenizer(PreTokenisation(), specials),
            EndOfWordSuffix = ClipVocabulary.EndOfWordSuffix,
            ByteLevel = true,
        });
    }

    public ClipVocabulary Vocabulary { get; }

    public int ContextLength { get; }

    public int StartId => Vocabulary.StartId;

    public int EndId => Vocabulary.EndId;

    /// <summary>A merges file, tokenizer.json, vocab.json or a model folder (see <see cref="ClipVocabulary.Load"/>).</summary>
    public static ClipTokenizer Load(string path, int contextLength = DefaultContextLength) => new(ClipVocabulary.Load(path), contextLength);

    /// <summary>Start token, the text's tokens, end token; cut to the context with the end token kept last.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var body = _bpe.EncodeToIds(text);
        var kept = Math.Min(body.Count, ContextLength - 2);
        var ids = new int[kept + 2];
        ids[0] = StartId;
        for (var i = 0; i < kept; i++)
            ids[i + 1] = body[i];
        ids[^1] = EndId;
        return ids;
    }

    /// <summary>Tokens the text needs including start and end, before any truncation.</summary>
    public int CountTokens(string text) => _bpe.CountTokens(text) + 2;

    public bool Fits(string text) => CountTokens(text) <= ContextLength;

    /// <summary>Byte-pair merging is quadratic in a word's length (one 1.28 M-character word took 158 s), so
    /// letter and symbol runs are cut into words of at most this many characters: linear time for any
    /// text, and the same tokens as CLIP's for every run up to this length (no real word is longer).</summary>
    public const int MaxWordLength = 64;

    // CLIP's pattern, matched on lower-cased text: contractions, letter runs, single digits, other symbols
    // (runs capped at MaxWordLength).
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]{1,64}|[\p{N}]|[^\s\p{L}\p{N}]{1,64}", RegexOptions.IgnoreCase)]
    private static partial Regex PreTokenisation();
}
