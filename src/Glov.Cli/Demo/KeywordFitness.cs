using System.Text.RegularExpressions;
using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Cli.Demo;

/// <summary>
/// Test/demo fitness, no VLM. With K keywords, let m be how many of them occur in the prompt as whole
/// words (case-insensitive; for an ensemble, in any member). Class j (0-based, in the given order)
/// counts as correctly classified, all its <c>shots</c> images at once, iff j mod K &lt; m.
/// The score is the percentage of correct images. Deterministic, and more keywords score higher.
/// With <paramref name="stallAfter"/> set, a call that would score more templates than that in all waits
/// until it is cancelled: process tests stop a run at an exact point, whatever the machine's load.
/// </summary>
public sealed class KeywordFitness(IReadOnlyList<string> classNames, IReadOnlyList<string> keywords, int shots,
    int maxLength, int? stallAfter, PromptKind kind) : IFitness
{
    private int _scored;

    public string MetricName => "Accuracy";

    public PromptKind Kind => kind;

    public string? Admit(Template template) =>
        template.Text.Length > maxLength ? $"longer than {maxLength} characters ({template.Text.Length})" : null;

    /// <summary>Reports images as a VLM would see them: every class's shots, once per template.</summary>
    public async Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<WorkProgress>? progress = null)
    {
        var images = classNames.Count * shots;
        progress?.Report(new WorkProgress(WorkStage.Score, 0, templates.Count * images, WorkUnit.Images));
        if (Interlocked.Add(ref _scored, templates.Count) > stallAfter)
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        var results = new List<FitnessResult>(templates.Count);
        foreach (var t in templates)
        {
            results.Add(Score([t]));
            progress?.Report(new WorkProgress(WorkStage.Score, results.Count * images, templates.Count * images, WorkUnit.Images));
        }
        return results;
    }

    public Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        Task.FromResult(Score(ensemble));

    private FitnessResult Score(IReadOnlyList<Template> templates)
    {
        var m = keywords.Count(k => templates.Any(t => Regex.IsMatch(t.Text, $@"\b{Regex.Escape(k)}\b", RegexOptions.IgnoreCase)));
        var hits = classNames.Select((name, j) => new ClassHits(name, j % keywords.Count < m ? shots : 0, shots)).ToList();
        return new FitnessResult(100.0 * hits.Sum(h => h.Correct) / hits.Sum(h => h.Total), hits);
    }
}
