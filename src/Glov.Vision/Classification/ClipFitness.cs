using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Data;
using Glov.Vision.Features;
using Glov.Vision.Model;

namespace Glov.Vision.Classification;

/// <summary>
/// Fitness of class templates for a CLIP-family dual encoder: top-1 zero-shot accuracy in percent on a
/// labelled (few-shot) split. The split's image features are computed once, on first use.
/// </summary>
public sealed class ClipFitness : IFitness
{
    private readonly ClipModel _model;
    private readonly ImageDataset _dataset;
    private readonly TextFeatureCache _texts;
    private readonly ZeroShotClassifier _classifier;
    private readonly Lazy<EncodedImages> _images;

    public ClipFitness(ClipModel model, ImageDataset dataset, TextFeatureCache texts, ImageFeatureCache images,
        IProgress<EncodingProgress>? progress = null, Action<string>? warn = null)
    {
        _model = model;
        _dataset = dataset;
        _texts = texts;
        _classifier = new ZeroShotClassifier(texts);
        _images = new Lazy<EncodedImages>(() => images.Encode(dataset, progress, warn));
    }

    public string MetricName => "Accuracy";

    public PromptKind Kind => PromptKind.ClassTemplate;

    public EncodedImages Images => _images.Value;

    public string? Admit(Template template)
    {
        if (template.Kind != PromptKind.ClassTemplate)
            return "a dual encoder scores class templates, not free text";
        var tokenizer = _model.Tokenizer;
        foreach (var name in _dataset.ClassNames)
        {
            var text = template.Fill(name);
            var count = tokenizer.CountTokens(text);
            if (count > tokenizer.ContextLength)
                return $"longer than the text encoder's {tokenizer.ContextLength}-token context ({count} tokens with \"{name}\")";
        }
        return null;
    }

    /// <summary>Reports class prompts (templates × classes) as the text tower encodes them: the work a new
    /// template costs once the images are encoded.</summary>
    public Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<WorkProgress>? progress = null) =>
        Task.Run(() =>
        {
            var images = _images.Value;
            // One batched encoder call for all templates × classes, so batches are full; scoring then reads the cache.
            var texts = templates.SelectMany(t => _dataset.ClassNames.Select(t.Fill)).ToList();
            _texts.Get(texts, progress is null ? null : new SynchronousProgress<int>(n => progress.Report(new WorkProgress(WorkStage.Score, n, texts.Count, WorkUnit.Classes))));
            IReadOnlyList<FitnessResult> results = templates.Select(t =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return ToFitness(_classifier.Evaluate([t], images, _dataset.ClassNames));
            }).ToList();
            return results;
        }, cancellationToken);

    public Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        Task.Run(() => ToFitness(_classifier.Evaluate(ensemble, _images.Value, _dataset.ClassNames)), cancellationToken);

    private static FitnessResult ToFitness(ZeroShotResult result) => new(result.Accuracy, result.PerClass);
}
