using Glov.Core.Templates;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.StandIn;

/// <summary>
/// A stand-in optimizer LLM for demos and tests where no instruct model can be had: a llama-architecture
/// GGUF whose next-token distribution is a word bigram table counted from a corpus of prompt templates, so
/// llama.cpp samples new templates from it ("a bad photo of the small &lt;category&gt;.") like any GGUF.
/// <para>How the table becomes a decoder. The residual stream has three parts: a "word" part with one
/// dimension per corpus word and per opening word (every other token — bytes, merge-path pieces, BOS —
/// shares one "start" dimension), a "next" part with one dimension per token, and one filler dimension. The token embedding is
/// the one-hot word row. Blocks 0-2 pass the stream through (zero attention and MLP output projections).
/// Block 3's MLP has one unit per word, silu(G·x)·x, which is G for the word present and nearly nothing
/// for a small fraction of one; it writes that word's row of the table into the "next" part and tops the
/// filler up so the stream's length is the same for every word (the final RMS norm then changes nothing).
/// The classifier reads the "next" part as logits, plus <see cref="WordWeight"/> times the "word" part
/// (taken back out of each row, so unsteered logits are exactly the table).</para>
/// <para>Steering: H(p) at block 2 — the paper's depth, round(17/32 · 4) — is p's bag of words, so
/// α·(H(p+) − H(p−)) raises the logits of p+'s words and lowers p−'s by α·<see cref="WordWeight"/> times
/// their share of the template: the stand-in writes more like the better template, as GLOV intends.</para>
/// </summary>
public sealed class BigramStandIn : ILlamaWeights
{
    /// <summary>Added to every observed log-probability so that unobserved successors (score 0) stay
    /// e^-14 or less below any observed one.</summary>
    public const float LogitFloor = 20f;

    /// <summary>P(next | word) ∝ count^CountExponent: flatter than the counts, so that the corpus's most
    /// common template ("a photo of a {}.") does not crowd out the rest.</summary>
    public const double CountExponent = 0.5;

    /// <summary>Logit per unit of a word's residual dimension (steering's lever).</summary>
    public const float WordWeight = 12f;

    // The MLP unit's gain: silu(G)·1 ≈ G for the current word; a steering share s gives ≈ G·s².
    private const float Gain = 30f;
    private const int Layers = 4;
    private const int TableBlock = 3;
    private const int HeadSize = 64;

    private BigramStandIn(SentencePieceVocabulary vocabulary, int[] stateOf, int[] wordOf, float[][] rows, LlamaHyperParameters hp)
    {
        Vocabulary = vocabulary;
        _stateOf = stateOf;
        _wordOf = wordOf;
        HyperParameters = hp;
        _words = rows.Length;
        _filler = _words + vocabulary.Count;
        // The classifier adds WordWeight for a word token from its word's dimension; that word's row leaves it out.
        _next = rows.Select((row, c) => row.Select((x, j) => wordOf[j] == c ? x - WordWeight : x).ToArray()).ToArray();
        _length = Math.Sqrt(_next.Max(r => r.Sum(x => (double)x * x)) + 2);
    }

    // Per token: its state (residual "word" dimension; 0 = start) and the word dimension steering reads for it (-1: none).
    private readonly int[] _stateOf;
    private readonly int[] _wordOf;

    // Per word dimension: the table's logits over all tokens (observed log P + floor, else 0), less the
    // word's own weight.
    private readonly float[][] _next;
    private readonly int _words;
    private readonly int _filler;
    private readonly double _length;

    public SentencePieceVocabulary Vocabulary { get; }

    public LlamaHyperParameters HyperParameters { get; }

    public bool HasOutput => true;

    /// <summary>Counts the word bigrams of <paramref name="templates"/>. A template's first word is a token of
    /// its own, spelled without the space mark (as a model writes the first word of an answer), whose row is
    /// P(second word | first word opens the template) — so "a" at the start leads on to "photo" or "bad",
    /// while "a" later on mostly leads to the placeholder. The start of a template follows any non-word
    /// token (the chat prompt ends in one); the end of a template is EOS.</summary>
    public static BigramStandIn FromTemplates(IEnumerable<Template> templates)
    {
        var lines = templates.Select(t => WordPieces.Split(t.Text)).Where(p => p.Count > 0).ToList();
        if (lines.Count == 0)
            throw new ArgumentException("the corpus holds no template", nameof(templates));
        var words = lines.SelectMany(l => l).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var openings = lines.Select(l => Opening(l[0])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var pieces = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<TokenType> { TokenType.Unknown, TokenType.Control, TokenType.Control };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add($"<0x{b:X2}>");
            types.Add(TokenType.Byte);
        }
        // States (residual "word" dimensions): 0 = start, then the words, then the openings.
        const int start = 0;
        var stateTokens = new List<int> { -1 };
        var wordState = new Dictionary<string, int>(StringComparer.Ordinal);
        var openingState = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (spelling, states) in words.Select(w => (w, wordState)).Concat(openings.Select(o => (o, openingState))))
        {
            states[spelling] = stateTokens.Count;
            stateTokens.Add(pieces.Count);
            pieces.Add(spelling);
            types.Add(TokenType.Normal);
        }
        var known = new HashSet<string>(pieces, StringComparer.Ordinal);
        foreach (var step in words.Concat(openings).SelectMany(WordPieces.MergePath).Append(SentencePieceVocabulary.SpaceMark.ToString()))
        {
            if (known.Add(step))
            {
                pieces.Add(step);
                types.Add(TokenType.Normal);
            }
        }
        // Longer pieces merge first; among equals the leftmost pair does, as in SentencePiece.
        var scores = pieces.Select(p => (float)p.Length).ToList();
        var vocabulary = new SentencePieceVocabulary(pieces, scores, types, UnknownId: 0, BosId: 1, EosId: 2);

        var stateOf = new int[pieces.Count];
        var wordOf = Enumerable.Repeat(-1, pieces.Count).ToArray();
        for (var state = 1; state < stateTokens.Count; state++)
            stateOf[stateTokens[state]] = state;
        foreach (var (w, state) in wordState)
            wordOf[stateTokens[state]] = state;
        foreach (var (o, state) in openingState)
            wordOf[stateTokens[state]] = wordState.GetValueOrDefault(SentencePieceVocabulary.SpaceMark + o, -1);

        var counts = new double[stateTokens.Count, pieces.Count];
        foreach (var line in lines)
        {
            var state = openingState[Opening(line[0])];
            counts[start, stateTokens[state]]++;
            foreach (var w in line.Skip(1))
            {
                counts[state, stateTokens[wordState[w]]]++;
                state = wordState[w];
            }
            counts[state, vocabulary.EosId]++;
        }
        // A word seen only at the start of templates continues as it does there.
        foreach (var (o, state) in openingState)
            if (wordState.TryGetValue(SentencePieceVocabulary.SpaceMark + o, out var word) && Enumerable.Range(0, pieces.Count).All(j => counts[word, j] == 0))
                for (var j = 0; j < pieces.Count; j++)
                    counts[word, j] = counts[state, j];

        var rows = new float[stateTokens.Count][];
        for (var c = 0; c < rows.Length; c++)
        {
            rows[c] = new float[pieces.Count];
            var total = Enumerable.Range(0, pieces.Count).Sum(j => Math.Pow(counts[c, j], CountExponent));
            for (var j = 0; j < pieces.Count; j++)
                if (counts[c, j] > 0)
                    rows[c][j] = (float)Math.Log(Math.Pow(counts[c, j], CountExponent) / total) + LogitFloor;
        }
        var dim = (rows.Length + pieces.Count + 1 + HeadSize - 1) / HeadSize * HeadSize;
        var hp = new LlamaHyperParameters(dim, rows.Length, Layers, dim / HeadSize, dim / HeadSize, pieces.Count, ContextLength: 8192, RmsEpsilon: 1e-12f);
        return new BigramStandIn(vocabulary, stateOf, wordOf, rows, hp);
    }

    // The first word of an answer, as written: without the space mark.
    private static string Opening(string piece) => piece.TrimStart(SentencePieceVocabulary.SpaceMark);

    /// <summary>The GGUF, with llama.cpp's built-in "chatml" chat template.</summary>
    public GgufWriter ToGguf(string name) =>
        LlamaGguf.Build(name, HyperParameters, Vocabulary, this, GgmlType.F32, chatTemplate: "chatml");

    public IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer)
    {
        int dim = HyperParameters.Dim, vocab = HyperParameters.VocabSize, hidden = HyperParameters.HiddenDim;
        var table = layer == TableBlock;
        switch (tensor)
        {
            case LlamaTensor.TokenEmbedding:
                for (var t = 0; t < vocab; t++)
                    yield return OneHot(dim, _stateOf[t], 1f);
                break;
            case LlamaTensor.OutputNorm:
                // RMS normalisation maps a stream of length L to length √dim; this maps it back to the fixed length.
                yield return Enumerable.Repeat((float)(_length / Math.Sqrt(dim)), dim).ToArray();
                break;
            case LlamaTensor.Output:
                for (var j = 0; j < vocab; j++)
                {
                    var row = OneHot(dim, _words + j, 1f);
                    if (_wordOf[j] > 0)
                        row[_wordOf[j]] = WordWeight;
                    yield return row;
                }
                break;
            case LlamaTensor.AttentionNorm:
                yield return Enumerable.Repeat(1f, dim).ToArray();
                break;
            case LlamaTensor.FeedForwardNorm:
                // The MLP sees the stream at unit length: a lone word is 1 in its dimension.
                yield return Enumerable.Repeat(1f / MathF.Sqrt(dim), dim).ToArray();
                break;
            case LlamaTensor.Query or LlamaTensor.Key or LlamaTensor.Value or LlamaTensor.AttentionOutput:
                yield return new float[dim * dim];
                break;
            case LlamaTensor.Gate or LlamaTensor.Up:
                for (var unit = 0; unit < hidden; unit++)
                    yield return table ? OneHot(dim, unit, tensor == LlamaTensor.Gate ? Gain : 1f) : new float[dim];
                break;
            case LlamaTensor.Down:
                // [output dimension][unit]: unit w writes its row (less the word's own weight) and the filler.
                for (var o = 0; o < dim; o++)
                {
                    var weights = new float[hidden];
                    if (table)
                        for (var w = 0; w < hidden; w++)
                            weights[w] = DownWeight(o, w) / Gain;
                    yield return weights;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tensor));
        }
    }

    private float DownWeight(int output, int word)
    {
        if (output >= _words && output < _filler)
            return _next[word][output - _words];
        return output == _filler ? (float)Math.Sqrt(_length * _length - 1 - _next[word].Sum(x => (double)x * x)) : 0f;
    }

    private static float[] OneHot(int length, int index, float value)
    {
        var row = new float[length];
        row[index] = value;
        return row;
    }
}
