using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Selection;
using Glov.Core.Templates;

namespace Glov.Core.Optimization;

/// <param name="Layer">Block whose residual stream is embedded and steered; null = the paper's depth ratio.</param>
public sealed record GuidanceSettings(bool Enabled = true, float Alpha = 1.0f, int? Layer = null, SteeringMode Mode = SteeringMode.Exact, bool CompoundAlpha = false);

/// <summary>Caps beside the step count. Null means no cap. The wall-time cap is checked before each
/// step of the current session (a step in progress always finishes).</summary>
public sealed record BudgetSettings(int? MaxCandidates = null, TimeSpan? MaxWallTime = null);

/// <summary>Every setting of method.md §1–§4 the loop needs; defaults are the paper's.</summary>
public sealed record OptimizerSettings(TaskDescription Task, Template SeedTemplate)
{
    public int Steps { get; init; } = 100;

    /// <summary>Completions requested per step (n).</summary>
    public int Candidates { get; init; } = 10;

    public MetaPromptOptions MetaPrompt { get; init; } = new();

    /// <summary>Sampling per step; its seed is replaced by <see cref="StepSeed.Derive"/> of <see cref="Seed"/>.</summary>
    public SamplingSettings Sampling { get; init; } = new();

    public GuidanceSettings Guidance { get; init; } = new();

    public SelectionMode Selection { get; init; } = SelectionMode.PerStepEnsemble;

    public int EnsembleSize { get; init; } = 3;

    public BudgetSettings Budget { get; init; } = new();

    /// <summary>Templates per fitness call; each batch is journaled as soon as it is scored. 0 = the whole step.</summary>
    public int ScoreBatch { get; init; }

    public ulong Seed { get; init; }
}
