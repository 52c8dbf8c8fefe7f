namespace Glov.Reports.Model;

/// <summary>Step 0 holds the seed template(s). Train scores of one optimisation step's scored candidates: the best, the mean, and the
/// ensemble of the step's top 3 (the quantity final selection compares). Null where the step scored
/// nothing. <see cref="SteeringNorm"/> is ‖α·(H(p+) − H(p−))‖ when the step was steered.</summary>
public sealed record StepSummary(int Step, double? Best, double? Mean, double? Top3Ensemble, double? SteeringNorm)
{
    /// <summary>The better and worse templates whose difference steered the step (LLM-written: always escaped).</summary>
    public (string Positive, string Negative)? GuidancePair { get; init; }

    /// <summary>Tokens the LLM generated in the step, over all its answers.</summary>
    public int? GeneratedTokens { get; init; }

    /// <summary>Length of the step's prompt in tokens (its answers share one prompt).</summary>
    public int? PromptTokens { get; init; }

    /// <summary>How many of the prompt's tokens the optimizer LLM took from its KV cache of the step before
    /// (what the meta-prompt's order is for); null where the proposer did not say.</summary>
    public int? ReusedPromptTokens { get; init; }

    /// <summary>Wall-clock seconds from the step's start (proposing) to its end (last score) in the journal;
    /// null for the seed step and for a step that has not ended.</summary>
    public double? Seconds { get; init; }

    /// <summary>The meta-prompt the step sent, its messages joined (LLM-visible text: always escaped).</summary>
    public string? MetaPrompt { get; init; }
}
