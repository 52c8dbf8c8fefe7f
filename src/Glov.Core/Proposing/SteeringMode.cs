namespace Glov.Core.Proposing;

/// <summary>How the steering offset enters generation (method.md §3).</summary>
public enum SteeringMode
{
    /// <summary>Offset at the last position only; the KV cache keeps unsteered states. Same result as Recompute.</summary>
    Exact,
    /// <summary>Offset at the last position; the steered state stays in the KV cache.</summary>
    Cached,
    /// <summary>Offset at every position, the prompt included.</summary>
    All,
    /// <summary>The authors' reference: the whole sequence recomputed without a cache at every token.</summary>
    Recompute,
}
