using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Cli.Engines;

/// <summary>A fitness that also owns the model it scores with, so that disposing the run's components frees it.</summary>
public sealed class OwningFitness(IFitness inner, IDisposable owned) : IFitness, IDisposable
{
    public string MetricName => inner.MetricName;

    public PromptKind Kind => inner.Kind;

    public string? Admit(Template template) => inner.Admit(template);

    public Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<WorkProgress>? progress = null) =>
        inner.ScoreAsync(templates, cancellationToken, progress);

    public Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        inner.ScoreEnsembleAsync(ensemble, cancellationToken);

    public void Dispose() => owned.Dispose();
}
