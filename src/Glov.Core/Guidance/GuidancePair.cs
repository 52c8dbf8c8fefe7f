using Glov.Core.Optimization;

namespace Glov.Core.Guidance;

/// <summary>p+ (best so far) and p− (holder of the second-best distinct score).</summary>
public sealed record GuidancePair(ScoredTemplate Positive, ScoredTemplate Negative);
