using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Selection;
using Glov.Core.Templates;

namespace Glov.Core.Optimization;

/// <param name="Layer">Block whose residual stream is embedded and steered; null = the paper's depth ratio.</param>
/// <param name="Force">Steer as soon as two distinct scores exist, even before anything beat the seed
/// (for tests and demos on stand-in models, whose scores rarely improve; not the paper's rule).</param>
/// <param name="MaxNewTokens">The new-token limit of steered steps; null = the sampling's (the authors' code
/// allowed 75 while guided and 50 otherwise).</param>
public sealed record GuidanceSettings(bool Enabled = true, float Alpha = 1.0f, int? Layer = null, SteeringMode Mode = SteeringMode.Exact,
    bool CompoundAlpha = false, bool Force = false, int? MaxNewTokens = null);

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

    /// <summary>Templates scored with the seed before the first step (seed step candidates 1, 2, ...). Empty in the
    /// paper; stand-in LLMs that never write a placeholder need them for guidance to have a pair at all.</summary>
    public IReadOnlyList<Template> ExtraSeeds { get; init; } = [];
}
