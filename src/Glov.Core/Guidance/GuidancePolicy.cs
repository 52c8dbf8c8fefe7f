using Glov.Core.Optimization;

namespace Glov.Core.Guidance;

/// <summary>method.md §3: guidance switches on at the first improvement over the seed and stays on;
/// the pair changes only when a new best appears.</summary>
public static class GuidancePolicy
{
    public static GuidancePair? Select(History history) =>
        throw new NotImplementedException("issue 2: guidance policy");
}
