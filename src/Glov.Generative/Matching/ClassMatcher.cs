using Glov.Core.Templates;

namespace Glov.Generative.Matching;

/// <summary>
/// Turns a VLM's free-text answer into a predicted class. <see cref="MatchRule.Embedding"/> (as
/// published, the authors matched with all-mpnet-base-v2): step 2 alone. <see cref="MatchRule.MentionFirst"/>:
/// 1. Exact: the classes whose cleaned name or a synonym occurs in the answer as whole words
///    (case-insensitive, punctuation ignored, a plural "s"/"es" on the last word allowed). If several
///    do, the longest mention wins ("pickup truck" over "truck"); still several, the one whose names
///    embed nearest to the answer.
/// 2. Otherwise: the class whose name (or synonym) embedding has the highest cosine with the answer's.
/// Exactly equal similarities go to the class listed first. An empty answer predicts nothing.
/// </summary>
public sealed class ClassMatcher
{
    private readonly IReadOnlyList<ClassLabel> _classes;
    private readonly ISentenceEncoder _encoder;
    private readonly string[][][] _formWords;
    private readonly float[][][] _formVectors;
    private readonly Dictionary<string, float[]> _answerVectors = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly MatchRule _rule;

    public ClassMatcher(IReadOnlyList<ClassLabel> classes, ISentenceEncoder encoder, MatchRule rule = MatchRule.Embedding)
    {
        _rule = rule;
        if (classes.Count == 0)
            throw new ArgumentException("at least one class is needed", nameof(classes));
        _classes = classes;
        _encoder = encoder;
        var forms = classes.Select(c => c.Forms.Select(Template.CleanClassName).Where(f => Words.Split(f).Length > 0).Distinct().ToArray()).ToArray();
        for (var i = 0; i < forms.Length; i++)
            if (forms[i].Length == 0)
                throw new ArgumentException($"class {i} (\"{classes[i].Name}\") has no name made of letters or digits", nameof(classes));
        _formWords = forms.Select(f => f.Select(Words.Split).ToArray()).ToArray();
        var flat = encoder.Encode(forms.SelectMany(f => f).ToArray());
        var next = 0;
        _formVectors = forms.Select(f => f.Select(_ => flat[next++]).ToArray()).ToArray();
    }

    public IReadOnlyList<ClassLabel> Classes => _classes;

    public string EncoderName => _encoder.Name;

    public AnswerMatch Match(string answer) => MatchAll([answer])[0];

    /// <summary>Matches many answers, embedding the ones that need it in one batch.</summary>
    public IReadOnlyList<AnswerMatch> MatchAll(IReadOnlyList<string> answers)
    {
        var words = answers.Select(a => Words.Split(a ?? "")).ToArray();
        var mentioned = words.Select(w => _rule == MatchRule.MentionFirst ? MentionedClasses(w) : new List<int>()).ToArray();
        var needVector = answers.Where((_, i) => words[i].Length > 0 && mentioned[i].Count != 1).Distinct(StringComparer.Ordinal).ToArray();
        EnsureVectors(needVector);

        var matches = new AnswerMatch[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            if (words[i].Length == 0)
                matches[i] = AnswerMatch.NoAnswer;
            else if (mentioned[i].Count == 1)
                matches[i] = new AnswerMatch(mentioned[i][0], MatchMethod.Exact, double.NaN);
            else
            {
                var candidates = mentioned[i].Count > 1 ? mentioned[i] : Enumerable.Range(0, _classes.Count).ToList();
                var (best, similarity) = Nearest(VectorOf(answers[i]), candidates);
                matches[i] = new AnswerMatch(best, mentioned[i].Count > 1 ? MatchMethod.Exact : MatchMethod.Embedding, similarity);
            }
        }
        return matches;
    }

    /// <summary>The classes named in the answer, narrowed to those with the longest mention.</summary>
    private List<int> MentionedClasses(string[] answer)
    {
        var best = new List<int>();
        var bestLength = 0;
        for (var c = 0; c < _classes.Count; c++)
        {
            var length = _formWords[c].Where(form => Words.Contains(answer, form)).Select(MentionLength).DefaultIfEmpty(0).Max();
            if (length == 0 || length < bestLength)
                continue;
            if (length > bestLength)
                best.Clear();
            bestLength = length;
            best.Add(c);
        }
        return best;
    }

    private static int MentionLength(string[] form) => form.Sum(w => w.Length) + form.Length - 1;

    private (int Class, double Similarity) Nearest(float[] answer, IReadOnlyList<int> candidates)
    {
        var best = -1;
        var bestSimilarity = double.NegativeInfinity;
        foreach (var c in candidates)
        {
            var similarity = _formVectors[c].Max(v => Dot(answer, v));
            if (similarity > bestSimilarity)
            {
                best = c;
                bestSimilarity = similarity;
            }
        }
        return (best, bestSimilarity);
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
            s += (double)a[i] * b[i];
        return s;
    }

    private void EnsureVectors(string[] answers)
    {
        string[] missing;
        lock (_gate)
            missing = answers.Where(a => !_answerVectors.ContainsKey(a)).ToArray();
        if (missing.Length == 0)
            return;
        var vectors = _encoder.Encode(missing);
        lock (_gate)
            for (var i = 0; i < missing.Length; i++)
                _answerVectors[missing[i]] = vectors[i];
    }

    private float[] VectorOf(string answer)
    {
        lock (_gate)
            return _answerVectors[answer];
    }
}
