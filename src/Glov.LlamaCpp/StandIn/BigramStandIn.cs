using Glov.Core.Templates;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.StandIn;

/// <summary>
/// A stand-in optimizer LLM for demos and tests where no instruct model can be had: a llama-architecture
/// GGUF whose next-token distribution is a word bigram table counted from a corpus of prompt templates, so
/// llama.cpp samples new templates from it ("a bad photo of the small &lt;category&gt;.") like any GGUF.
/// <para>How the table becomes a decoder: each word piece owns one residual dimension (every other token —
/// bytes, merge-path pieces, BOS — shares one "start" dimension), the token embedding is that one-hot row,
/// every block's attention and MLP output projections are zero so the residual stream passes through
/// unchanged, the final norm's weight undoes RMS normalisation of a one-hot row, and the classifier row of
/// token j holds log P(j | context word) + <see cref="LogitFloor"/>. The model therefore looks only at the
/// last token — the prompt reaches it through steering alone: H(p) is p's bag of words, so
/// α·(H(p+) − H(p−)) adds the successor scores of p+'s words and subtracts p−'s, which visibly moves what
/// it writes.</para>
/// </summary>
public sealed class BigramStandIn : ILlamaWeights
{
    /// <summary>Added to every observed log-probability so that unobserved successors (score 0) stay
    /// e^-14 or less below any observed one, however a steering offset mixes rows.</summary>
    public const float LogitFloor = 20f;

    private const int Layers = 2;
    private const int HeadSize = 64;
    private const int FeedForward = 64;

    private BigramStandIn(SentencePieceVocabulary vocabulary, int[] dimensionOf, float[,] scores, LlamaHyperParameters hp)
    {
        Vocabulary = vocabulary;
        _dimensionOf = dimensionOf;
        _scores = scores;
        HyperParameters = hp;
    }

    private readonly int[] _dimensionOf;

    // [context dimension, next token]
    private readonly float[,] _scores;

    public SentencePieceVocabulary Vocabulary { get; }

    public LlamaHyperParameters HyperParameters { get; }

    public bool HasOutput => true;

    /// <summary>The residual dimension token <paramref name="token"/> owns (0: the shared start dimension).</summary>
    public int DimensionOf(int token) => _dimensionOf[token];

    /// <summary>Counts the word bigrams of <paramref name="templates"/>: the start of a template follows any
    /// non-word token (the chat prompt ends in one), and the end of a template is EOS.</summary>
    public static BigramStandIn FromTemplates(IEnumerable<Template> templates)
    {
        var lines = templates.Select(t => WordPieces.Split(t.Text)).Where(p => p.Count > 0).ToList();
        if (lines.Count == 0)
            throw new ArgumentException("the corpus holds no template", nameof(templates));
        var words = lines.SelectMany(l => l).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var pieces = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<TokenType> { TokenType.Unknown, TokenType.Control, TokenType.Control };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add($"<0x{b:X2}>");
            types.Add(TokenType.Byte);
        }
        var wordIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            wordIds[w] = pieces.Count;
            pieces.Add(w);
            types.Add(TokenType.Normal);
        }
        var known = new HashSet<string>(pieces, StringComparer.Ordinal);
        foreach (var step in words.SelectMany(WordPieces.MergePath).Append(SentencePieceVocabulary.SpaceMark.ToString()))
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

        const int start = 0;
        var dimensionOf = new int[pieces.Count];
        foreach (var (w, id) in wordIds)
            dimensionOf[id] = 1 + words.IndexOf(w);
        var dim = (1 + words.Count + HeadSize - 1) / HeadSize * HeadSize;

        var counts = new double[1 + words.Count, pieces.Count];
        foreach (var line in lines)
        {
            var previous = start;
            foreach (var w in line)
            {
                counts[previous, wordIds[w]]++;
                previous = dimensionOf[wordIds[w]];
            }
            counts[previous, vocabulary.EosId]++;
        }
        var table = new float[dim, pieces.Count];
        for (var c = 0; c < counts.GetLength(0); c++)
        {
            var total = 0.0;
            for (var j = 0; j < pieces.Count; j++)
                total += counts[c, j];
            for (var j = 0; j < pieces.Count; j++)
                if (counts[c, j] > 0)
                    table[c, j] = (float)Math.Log(counts[c, j] / total) + LogitFloor;
        }
        var hp = new LlamaHyperParameters(dim, FeedForward, Layers, dim / HeadSize, dim / HeadSize, pieces.Count, ContextLength: 8192, RmsEpsilon: 1e-12f);
        return new BigramStandIn(vocabulary, dimensionOf, table, hp);
    }

    /// <summary>The GGUF, with llama.cpp's built-in "chatml" chat template.</summary>
    public GgufWriter ToGguf(string name) =>
        LlamaGguf.Build(name, HyperParameters, Vocabulary, this, GgmlType.F32, chatTemplate: "chatml");

    public IEnumerable<float[]> Tensor(LlamaTensor tensor, int layer)
    {
        int dim = HyperParameters.Dim, vocab = HyperParameters.VocabSize;
        switch (tensor)
        {
            case LlamaTensor.TokenEmbedding:
                for (var t = 0; t < vocab; t++)
                {
                    var row = new float[dim];
                    row[_dimensionOf[t]] = 1f;
                    yield return row;
                }
                break;
            case LlamaTensor.OutputNorm:
                // RMS normalisation scales a one-hot row by √dim; this undoes it (the ε is set negligible).
                yield return Enumerable.Repeat(1f / MathF.Sqrt(dim), dim).ToArray();
                break;
            case LlamaTensor.Output:
                for (var j = 0; j < vocab; j++)
                {
                    var row = new float[dim];
                    for (var c = 0; c < dim; c++)
                        row[c] = _scores[c, j];
                    yield return row;
                }
                break;
            case LlamaTensor.AttentionNorm or LlamaTensor.FeedForwardNorm:
                yield return Enumerable.Repeat(1f, dim).ToArray();
                break;
            case LlamaTensor.Query or LlamaTensor.Key or LlamaTensor.Value or LlamaTensor.AttentionOutput:
                yield return new float[dim * dim];
                break;
            case LlamaTensor.Gate or LlamaTensor.Up or LlamaTensor.Down:
                yield return new float[dim * FeedForward];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tensor));
        }
    }
}
