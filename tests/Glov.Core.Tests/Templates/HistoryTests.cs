using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Tests.Templates;

public class HistoryTests
{
    [Fact]
    public void A_template_with_the_same_key_is_refused_and_the_first_one_kept()
    {
        var history = Histories.Of(("A photo of a <category>.", 50, -1));
        var again = new ScoredTemplate(Template.Create("  a PHOTO of a \"<category>.\""), new FitnessResult(99, []), 0, 0);

        Assert.Throws<InvalidOperationException>(() => history.Add(again));
        Assert.Equal(1, history.Count);
        Assert.True(history.Contains(again.Template));
        Assert.Equal(50, history.Find(again.Template)!.Score);
    }

    [Fact]
    public void Ranking_is_by_score_then_proposal_order()
    {
        var history = Histories.Of(
            ("s <category>", 50, -1),
            ("a <category>", 60, 0),
            ("b <category>", 70, 0),
            ("c <category>", 60, 0),
            ("d <category>", 70, 1),
            ("e <category>", 50, 1));

        Assert.Equal(["b <category>", "d <category>", "a <category>", "c <category>", "s <category>", "e <category>"],
            history.RankedBestFirst().Select(s => s.Template.Text));
        Assert.Equal("b <category>", history.Best!.Template.Text);
    }

    [Fact]
    public void Ranking_does_not_depend_on_insertion_order_only_on_step_and_index()
    {
        // A resumed run may rebuild the history in a different order; (Step, Index) must decide ties.
        var items = new[]
        {
            new ScoredTemplate(Template.Create("x <category>"), new FitnessResult(60, []), 2, 1),
            new ScoredTemplate(Template.Create("y <category>"), new FitnessResult(60, []), 2, 0),
            new ScoredTemplate(Template.Create("z <category>"), new FitnessResult(60, []), 1, 5),
        };
        var forward = new History();
        var backward = new History();
        foreach (var s in items)
            forward.Add(s);
        foreach (var s in items.Reverse())
            backward.Add(s);

        string[] expected = ["z <category>", "y <category>", "x <category>"];
        Assert.Equal(expected, forward.RankedBestFirst().Select(s => s.Template.Text));
        Assert.Equal(expected, backward.RankedBestFirst().Select(s => s.Template.Text));
    }

    [Fact]
    public void Empty_history_has_no_best() => Assert.Null(new History().Best);
}
