using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Tests;

/// <summary>Deterministic test fitness: an ensemble scores the mean of its members' single scores plus a
/// bonus per member, so ensembles and singles differ; single scores come from a table or the text length.</summary>
internal sealed class FakeFitness(IReadOnlyDictionary<string, double>? table = null, double ensembleBonusPerMember = 0) : IFitness
{
    public List<IReadOnlyList<string>> EnsemblesScored { get; } = [];

    public string MetricName => "Accuracy";

    public PromptKind Kind => PromptKind.ClassTemplate;

    public string? Admit(Template template) => null;

    public double Single(Template t) => table is not null && table.TryGetValue(t.Text, out var s) ? s : t.Text.Length;

    public Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<Glov.Core.Optimization.WorkProgress>? progress = null) =>
        Task.FromResult<IReadOnlyList<FitnessResult>>(templates.Select(t => new FitnessResult(Single(t), [])).ToList());

    public Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsemblesScored.Add(ensemble.Select(t => t.Text).ToList());
        return Task.FromResult(new FitnessResult(ensemble.Average(Single) + ensembleBonusPerMember * ensemble.Count, []));
    }
}
