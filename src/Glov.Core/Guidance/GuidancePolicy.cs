using Glov.Core.Optimization;

namespace Glov.Core.Guidance;

/// <summary>method.md §3: guidance switches on at the first improvement over the seed and stays on;
/// the pair changes only when a new best appears.</summary>
public static class GuidancePolicy
{
    /// <summary>
    /// p+ is the best template (ties: earliest). p− holds the second-best distinct score among the templates
    /// scored up to and including p+'s step, so later templates landing between the two do not move the
    /// steering direction; only a new best does. Null while the seed (step -1) is still the best — ties with
    /// the seed do not count as an improvement — and while no lower score exists to steer away from.
    /// Once a non-seed template leads, a later best must score strictly higher, so it is never the seed again:
    /// guidance stays on.
    /// </summary>
    /// <param name="requireImprovement">False forces guidance (<c>guidance.force</c>): the pair is simply the
    /// best template and the best one scoring lower, the seed included, from the first step on.</param>
    public static GuidancePair? Select(History history, bool requireImprovement = true)
    {
        ArgumentNullException.ThrowIfNull(history);
        var ranked = history.RankedBestFirst();
        if (ranked.Count == 0 || (requireImprovement && ranked[0].Step < 0))
            return null;
        var best = ranked[0];
        var negative = ranked.FirstOrDefault(s => (!requireImprovement || s.Step <= best.Step) && s.Score < best.Score);
        return negative is null ? null : new GuidancePair(best, negative);
    }
}
