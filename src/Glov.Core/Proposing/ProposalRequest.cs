namespace Glov.Core.Proposing;

/// <summary>One step's request: n completions from one shared chat, optionally steered.</summary>
public sealed record ProposalRequest(
    IReadOnlyList<ChatMessage> Messages,
    int Count,
    SamplingSettings Sampling,
    SteeringVector? Steering = null)
{
    /// <summary>The optimizer step asking (null outside the loop); lets a replay proposer find the
    /// completions recorded for that step.</summary>
    public int? Step { get; init; }

    /// <summary>Where the proposer reports prefill and generation as they happen (null: nobody listens).</summary>
    public IProgress<Optimization.WorkProgress>? Progress { get; init; }
}
