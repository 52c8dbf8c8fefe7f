using Glov.Core.Guidance;

namespace Glov.Core.Tests.Guidance;

/// <summary><c>guidance.force</c>: steering without waiting for an improvement over the seed.</summary>
public sealed class ForcedGuidanceTests
{
    [Fact]
    public void Seed_templates_alone_give_a_pair_when_forced_and_none_under_the_paper_rule()
    {
        var history = Histories.Of(("A photo of a <category>.", 20, -1), ("art of the <category>.", 30, -1), ("a blurry photo of a <category>.", 10, -1));

        Assert.Null(GuidancePolicy.Select(history));
        var pair = GuidancePolicy.Select(history, requireImprovement: false)!;

        Assert.Equal("art of the <category>.", pair.Positive.Template.Text);
        Assert.Equal("A photo of a <category>.", pair.Negative.Template.Text);
    }

    [Fact]
    public void Forced_guidance_still_needs_two_distinct_scores()
    {
        var history = Histories.Of(("A photo of a <category>.", 20, -1), ("art of the <category>.", 20, -1));

        Assert.Null(GuidancePolicy.Select(history, requireImprovement: false));
    }

    [Fact]
    public void Forced_guidance_may_steer_away_from_a_later_template_below_an_unbeaten_seed()
    {
        var history = Histories.Of(("A photo of a <category>.", 40, -1), ("a <category>", 10, 0), ("b <category>", 25, 0));

        var pair = GuidancePolicy.Select(history, requireImprovement: false)!;

        Assert.Equal(-1, pair.Positive.Step);
        Assert.Equal("b <category>", pair.Negative.Template.Text);
    }
}
