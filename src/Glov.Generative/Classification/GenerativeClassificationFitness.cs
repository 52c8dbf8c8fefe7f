using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Answering;
using Glov.Generative.Matching;

namespace Glov.Generative.Classification;

/// <summary>
/// Fitness for a generative VLM (method.md §4): the optimised text is a question asked about each
/// few-shot image; the greedy answer is matched to a class (<see cref="ClassMatcher"/>); the score
/// is top-1 accuracy in percent. An ensemble of questions votes per image: the class most of its
/// questions predict, ties going to the class predicted by the question listed first.
/// </summary>
public sealed class GenerativeClassificationFitness : IFitness, IDisposable
{
    private readonly IVisualAnswerer _answerer;
    private readonly ClassMatcher _matcher;
    private readonly IReadOnlyList<FewShotImage> _images;
    private readonly bool _ownsAnswerer;

    public GenerativeClassificationFitness(IVisualAnswerer answerer, ClassMatcher matcher, IReadOnlyList<FewShotImage> images, bool ownsAnswerer = false)
    {
        if (images.Count == 0)
            throw new ArgumentException("the few-shot set is empty", nameof(images));
        foreach (var image in images)
            if (image.Label < 0 || image.Label >= matcher.Classes.Count)
                throw new ArgumentException($"image {image.Path} has label {image.Label}, outside the {matcher.Classes.Count} classes", nameof(images));
        _answerer = answerer;
        _matcher = matcher;
        _images = images;
        _ownsAnswerer = ownsAnswerer;
    }

    public string MetricName => "Accuracy";

    public PromptKind Kind => PromptKind.FreeText;

    public string? Admit(Template template) =>
        template.Kind != PromptKind.FreeText ? "a generative VLM takes a question, not a class template" : _answerer.Admit(template.Text);

    /// <summary>Each template scored alone; all their questions go to the answerer in one request, so it can batch across templates.</summary>
    public async Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default)
    {
        if (templates.Count == 0)
            return [];
        var perQuestion = await AskAsync(templates, cancellationToken).ConfigureAwait(false);
        return templates.Select((t, q) => Summarise([t], [perQuestion[q]]).ToFitness()).ToArray();
    }

    public async Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        (await EvaluateAsync(ensemble, cancellationToken).ConfigureAwait(false)).ToFitness();

    /// <summary>Every question about every image; with several questions, the voted predictions.</summary>
    public async Task<GenerativeEvaluation> EvaluateAsync(IReadOnlyList<Template> questions, CancellationToken cancellationToken = default)
    {
        if (questions.Count == 0)
            throw new ArgumentException("at least one question is needed", nameof(questions));
        return Summarise(questions, await AskAsync(questions, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<ImageAnswer>[]> AskAsync(IReadOnlyList<Template> questions, CancellationToken cancellationToken)
    {
        var asked = questions.SelectMany(q => _images.Select(i => new VisualQuestion(i.Path, q.Text))).ToArray();
        var answers = await _answerer.AnswerAsync(asked, cancellationToken).ConfigureAwait(false);
        var matches = _matcher.MatchAll(answers);
        return questions.Select((_, q) => (IReadOnlyList<ImageAnswer>)_images
            .Select((image, i) => new ImageAnswer(image, answers[q * _images.Count + i], matches[q * _images.Count + i])).ToArray()).ToArray();
    }

    private GenerativeEvaluation Summarise(IReadOnlyList<Template> questions, IReadOnlyList<IReadOnlyList<ImageAnswer>> perQuestion)
    {
        var predictions = _images.Select((_, i) => Vote(perQuestion.Select(p => p[i].Match.ClassIndex).ToArray())).ToArray();
        var perClass = _matcher.Classes.Select((c, k) =>
        {
            var members = _images.Select((image, i) => (image, i)).Where(x => x.image.Label == k).ToArray();
            return new ClassHits(c.Name, members.Count(x => predictions[x.i] == k), members.Length);
        }).ToArray();
        var correct = _images.Where((image, i) => predictions[i] == image.Label).Count();
        return new GenerativeEvaluation(questions, 100.0 * correct / _images.Count, perClass, predictions, perQuestion);
    }

    /// <summary>Most frequent predicted class, ties to the earliest question's; no prediction (-1) never wins a vote.</summary>
    private static int Vote(int[] predictions)
    {
        var counts = predictions.Where(p => p >= 0).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0)
            return -1;
        var most = counts.Values.Max();
        return predictions.First(p => p >= 0 && counts[p] == most);
    }

    /// <summary>Disposes the answerer when it was handed over with <c>ownsAnswerer</c>.</summary>
    public void Dispose()
    {
        if (_ownsAnswerer)
            (_answerer as IDisposable)?.Dispose();
    }
}
