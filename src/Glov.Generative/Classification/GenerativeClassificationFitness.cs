using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Answering;
using Glov.Generative.Matching;
using Glov.Generative.Scoring;

namespace Glov.Generative.Classification;

/// <summary>
/// Fitness for a generative VLM (method.md §4): the optimised text is a question asked about each
/// few-shot image — as the authors asked it, with a question mark appended when the prompt lacks one;
/// the greedy answer is matched to a class (<see cref="ClassMatcher"/>); the score is top-1 accuracy in percent. An ensemble of questions votes per image: the class most of its
/// questions predict, ties going to the class predicted by the question listed first.
/// </summary>
public sealed class GenerativeClassificationFitness : VisualPromptFitness<ImageAnswer, GenerativeEvaluation>
{
    private readonly ClassMatcher _matcher;
    private readonly IReadOnlyList<FewShotImage> _images;
    private readonly bool _appendQuestionMark;

    /// <param name="appendQuestionMark">Ask "prompt?" when the prompt does not end with a question mark (the authors' code did).</param>
    public GenerativeClassificationFitness(IVisualAnswerer answerer, ClassMatcher matcher, IReadOnlyList<FewShotImage> images, bool ownsAnswerer = false,
        bool appendQuestionMark = true)
        : base(answerer, PromptKind.FreeText, "a generative VLM takes a question, not a class template", ownsAnswerer)
    {
        _appendQuestionMark = appendQuestionMark;
        if (images.Count == 0)
            throw new ArgumentException("the few-shot set is empty", nameof(images));
        foreach (var image in images)
            if (image.Label < 0 || image.Label >= matcher.Classes.Count)
                throw new ArgumentException($"image {image.Path} has label {image.Label}, outside the {matcher.Classes.Count} classes", nameof(images));
        _matcher = matcher;
        _images = images;
    }

    public override string MetricName => "Accuracy";

    protected override IReadOnlyList<VisualQuestion> Questions(Template prompt)
    {
        var asked = AskedAs(prompt.Text, _appendQuestionMark);
        return _images.Select(i => new VisualQuestion(i.Path, asked)).ToArray();
    }

    public static string AskedAs(string prompt, bool appendQuestionMark) =>
        appendQuestionMark && !prompt.EndsWith('?') ? prompt + "?" : prompt;

    /// <summary>All answers are matched in one call, so the sentence encoder embeds them as one batch;
    /// answer a is about image a mod n (every question asks about the images in the same order).</summary>
    protected override Task<IReadOnlyList<ImageAnswer>> ReadAsync(IReadOnlyList<string> answers, CancellationToken cancellationToken)
    {
        var matches = _matcher.MatchAll(answers);
        return Task.FromResult<IReadOnlyList<ImageAnswer>>(answers.Select((answer, a) => new ImageAnswer(_images[a % _images.Count], answer, matches[a])).ToArray());
    }

    protected override GenerativeEvaluation Summarise(IReadOnlyList<Template> prompts, IReadOnlyList<IReadOnlyList<ImageAnswer>> perPrompt)
    {
        var predictions = _images.Select((_, i) => Vote(perPrompt.Select(p => p[i].Match.ClassIndex).ToArray())).ToArray();
        var perClass = _matcher.Classes.Select((c, k) =>
        {
            var members = _images.Select((image, i) => (image, i)).Where(x => x.image.Label == k).ToArray();
            return new ClassHits(c.Name, members.Count(x => predictions[x.i] == k), members.Length);
        }).ToArray();
        var correct = _images.Where((image, i) => predictions[i] == image.Label).Count();
        return new GenerativeEvaluation(prompts, 100.0 * correct / _images.Count, perClass, predictions, perPrompt);
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
}
