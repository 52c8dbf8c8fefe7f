using Glov.Core.Guidance;
using Glov.Core.Optimization;

namespace Glov.Core.Tests.Guidance;

public class GuidancePolicyTests
{
    [Fact]
    public void Off_while_the_seed_is_best_including_ties_with_it()
    {
        Assert.Null(GuidancePolicy.Select(new History()));
        Assert.Null(GuidancePolicy.Select(Histories.Of(("seed <category>", 50, -1))));
        Assert.Null(GuidancePolicy.Select(Histories.Of(("seed <category>", 50, -1), ("a <category>", 40, 0), ("b <category>", 50, 0))));
    }

    [Fact]
    public void On_at_the_first_improvement_with_the_second_best_distinct_score_as_negative_not_the_worst()
    {
        var pair = GuidancePolicy.Select(Histories.Of(
            ("seed <category>", 50, -1), ("worst <category>", 10, 0), ("mid <category>", 55, 0), ("best <category>", 60, 0)));

        Assert.NotNull(pair);
        Assert.Equal("best <category>", pair.Positive.Template.Text);
        Assert.Equal("mid <category>", pair.Negative.Template.Text);
    }

    [Fact]
    public void Ties_go_to_the_earlier_template_on_both_sides()
    {
        var pair = GuidancePolicy.Select(Histories.Of(
            ("seed <category>", 50, -1), ("n1 <category>", 55, 0), ("p1 <category>", 60, 0), ("n2 <category>", 55, 0), ("p2 <category>", 60, 0)));

        Assert.Equal("p1 <category>", pair!.Positive.Template.Text);
        Assert.Equal("n1 <category>", pair.Negative.Template.Text);
    }

    [Fact]
    public void When_every_new_template_ties_the_best_the_negative_is_the_next_lower_distinct_score()
    {
        var pair = GuidancePolicy.Select(Histories.Of(
            ("seed <category>", 50, -1), ("a <category>", 60, 0), ("b <category>", 60, 0), ("c <category>", 60, 1)));

        Assert.Equal("a <category>", pair!.Positive.Template.Text);
        Assert.Equal("seed <category>", pair.Negative.Template.Text);
    }

    [Fact]
    public void The_pair_changes_only_when_a_new_best_appears()
    {
        var history = Histories.Of(("seed <category>", 50, -1), ("a <category>", 60, 0));
        var before = GuidancePolicy.Select(history);

        Histories.Add(history, "between <category>", 58, 1); // second-best distinct score now, but not a new best
        Histories.Add(history, "tie <category>", 60, 1);      // equal to the best: not a new best either
        Assert.Equal(before, GuidancePolicy.Select(history));

        Histories.Add(history, "new best <category>", 70, 2);
        var after = GuidancePolicy.Select(history)!;
        Assert.Equal("new best <category>", after.Positive.Template.Text);
        Assert.Equal("a <category>", after.Negative.Template.Text);
    }

    [Fact]
    public void Once_on_it_stays_on_and_the_best_score_never_falls()
    {
        // Every step brings something: improvements, ties, regressions, and templates below the seed.
        double[][] steps = [[40, 49], [50, 51], [30, 20], [51, 51], [10], [70, 65, 69], [0], [69.9]];
        var history = Histories.Of(("seed <category>", 50, -1));
        GuidancePair? previous = null;
        var on = false;
        for (var step = 0; step < steps.Length; step++)
        {
            for (var i = 0; i < steps[step].Length; i++)
                Histories.Add(history, $"s{step} c{i} <category>", steps[step][i], step);
            var pair = GuidancePolicy.Select(history);

            if (on)
                Assert.NotNull(pair);
            if (pair is not null)
            {
                on = true;
                Assert.True(pair.Positive.Score > pair.Negative.Score);
                Assert.True(pair.Positive.Step >= 0);
                if (previous is not null)
                    Assert.True(pair.Positive.Score >= previous.Positive.Score);
            }
            previous = pair ?? previous;
        }
        Assert.True(on);
        Assert.Equal("s5 c0 <category>", previous!.Positive.Template.Text);
        // 69 held the second-best score when 70 appeared; the later 69.9 does not move the pair.
        Assert.Equal("s5 c2 <category>", previous.Negative.Template.Text);
    }

    [Fact]
    public void Without_a_seed_it_needs_two_distinct_scores()
    {
        Assert.Null(GuidancePolicy.Select(Histories.Of(("a <category>", 50, 0), ("b <category>", 50, 0))));
        var pair = GuidancePolicy.Select(Histories.Of(("a <category>", 50, 0), ("b <category>", 55, 0)));
        Assert.Equal("b <category>", pair!.Positive.Template.Text);
        Assert.Equal("a <category>", pair.Negative.Template.Text);
    }
}
