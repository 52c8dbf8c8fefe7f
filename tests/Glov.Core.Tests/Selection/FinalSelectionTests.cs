using Glov.Core.Optimization;
using Glov.Core.Selection;

namespace Glov.Core.Tests.Selection;

public class FinalSelectionTests
{
    private static History Run() => Histories.Of(
        ("seed <category>", 50, -1),
        ("s0 a <category>", 60, 0), ("s0 b <category>", 40, 0), ("s0 c <category>", 58, 0), ("s0 d <category>", 59, 0),
        ("s1 a <category>", 70, 1), ("s1 b <category>", 30, 1), ("s1 c <category>", 35, 1), ("s1 d <category>", 20, 1),
        ("s2 a <category>", 55, 2), ("s2 b <category>", 57, 2), ("s2 c <category>", 56, 2));

    private static FakeFitness FitnessFor(History history) =>
        new(history.Items.ToDictionary(s => s.Template.Text, s => s.Score));

    [Fact]
    public async Task Per_step_ensembles_of_each_steps_top_three_are_scored_and_the_best_wins()
    {
        var history = Run();
        var fitness = FitnessFor(history);

        var result = await FinalSelection.SelectAsync(history, fitness, SelectionMode.PerStepEnsemble);

        // Means: step 0 (60+59+58)/3 = 59, step 1 (70+35+30)/3 = 45, step 2 (57+56+55)/3 = 56.
        Assert.Equal(
            [["s0 a <category>", "s0 d <category>", "s0 c <category>"],
             ["s1 a <category>", "s1 c <category>", "s1 b <category>"],
             ["s2 b <category>", "s2 c <category>", "s2 a <category>"]],
            fitness.EnsemblesScored);
        Assert.Equal(0, result.Step);
        Assert.Equal(["s0 a <category>", "s0 d <category>", "s0 c <category>"], result.Ensemble.Select(t => t.Text));
        Assert.Equal(59, result.TrainFitness.Score, 9);
        Assert.Equal(SelectionMode.PerStepEnsemble, result.Mode);
    }

    [Fact]
    public async Task Equal_ensemble_scores_go_to_the_earlier_step()
    {
        var history = Histories.Of(("seed <category>", 50, -1), ("a <category>", 60, 0), ("b <category>", 60, 3), ("c <category>", 60, 1));

        var result = await FinalSelection.SelectAsync(history, FitnessFor(history), SelectionMode.PerStepEnsemble, size: 3);

        Assert.Equal(0, result.Step);
        Assert.Equal(["a <category>"], result.Ensemble.Select(t => t.Text));
    }

    [Fact]
    public async Task Global_top_takes_the_best_templates_of_the_whole_run()
    {
        var history = Run();
        var fitness = new FakeFitness(history.Items.ToDictionary(s => s.Template.Text, s => s.Score), ensembleBonusPerMember: 1);

        var result = await FinalSelection.SelectAsync(history, fitness, SelectionMode.GlobalTop, size: 2);

        Assert.Null(result.Step);
        Assert.Equal(["s1 a <category>", "s0 a <category>"], result.Ensemble.Select(t => t.Text));
        Assert.Equal(67, result.TrainFitness.Score, 9);
        Assert.Single(fitness.EnsemblesScored);
    }

    [Fact]
    public async Task The_seed_is_used_only_when_no_step_produced_a_template()
    {
        var seedOnly = Histories.Of(("seed <category>", 50, -1));
        var result = await FinalSelection.SelectAsync(seedOnly, FitnessFor(seedOnly), SelectionMode.PerStepEnsemble);
        Assert.Equal(-1, result.Step);
        Assert.Equal(["seed <category>"], result.Ensemble.Select(t => t.Text));

        // The seed scores best here, but a step exists, so the step wins.
        var worse = Histories.Of(("seed <category>", 90, -1), ("a <category>", 10, 0));
        Assert.Equal(0, (await FinalSelection.SelectAsync(worse, FitnessFor(worse), SelectionMode.PerStepEnsemble)).Step);
    }

    [Fact]
    public async Task Bad_arguments_and_cancellation_are_refused()
    {
        var history = Run();
        await Assert.ThrowsAsync<ArgumentException>(() => FinalSelection.SelectAsync(new History(), FitnessFor(history), SelectionMode.GlobalTop));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FinalSelection.SelectAsync(history, FitnessFor(history), SelectionMode.GlobalTop, 0));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            FinalSelection.SelectAsync(history, FitnessFor(history), SelectionMode.PerStepEnsemble, cancellationToken: cts.Token));
    }
}
