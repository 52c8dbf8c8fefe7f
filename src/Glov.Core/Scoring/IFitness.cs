using Glov.Core.Templates;

namespace Glov.Core.Scoring;

/// <summary>Scores prompts on the labelled few-shot set.</summary>
public interface IFitness
{
    /// <summary>What the score is called in the meta-prompt and report, e.g. "Accuracy".</summary>
    string MetricName { get; }

    PromptKind Kind { get; }

    /// <summary>Null when the VLM can take the template; otherwise why not (e.g. longer than its context).</summary>
    string? Admit(Template template);

    /// <param name="progress">Where scoring reports images or class prompts done as it goes (<see cref="Optimization.WorkStage.Score"/>).</param>
    Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<Optimization.WorkProgress>? progress = null);

    /// <summary>Scores templates used together (for a dual encoder: averaged, re-normalised text features).</summary>
    Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default);
}
