using System.Text.Json.Nodes;
using Glov.Core.Journal;
using Glov.Core.Optimization;

namespace Glov.Runs.Tests;

/// <summary>A run that dies anywhere and is resumed ends exactly like an uninterrupted one, and
/// nothing is proposed or scored twice.</summary>
public class ResumeTests
{
    private sealed class Crash : Exception;

    private static readonly RunManifest Manifest = new("{}", "hash", 42, "test", DateTimeOffset.UnixEpoch);

    private static OptimizerSettings Settings_ => Settings.Default(steps: 5, candidates: 4) with { ScoreBatch = 2 };

    private sealed record Outcome(OptimizationResult Result, List<string> Scored, int Proposals, List<string> Export);

    private static async Task<Outcome> Uninterrupted(TempDir dir)
    {
        var path = dir.File("whole.db");
        var fitness = FakeFitness.Hashed();
        var proposer = FakeProposer.Deterministic();
        OptimizationResult result;
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            result = await new Optimizer(proposer, null, fitness, journal, Settings_).RunAsync();
        return new Outcome(result, fitness.Scored, proposer.Requests.Count, Export(path));
    }

    private static List<string> Export(string path)
    {
        using var journal = SqliteRunJournal.Open(path, readOnly: true);
        var writer = new StringWriter();
        journal.ExportJsonLines(writer);
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var row = JsonNode.Parse(line)!.AsObject();
            foreach (var key in row.Select(p => p.Key).Where(k => k.EndsWith("_at", StringComparison.Ordinal)).ToList())
                row.Remove(key);
            return row.ToJsonString();
        }).ToList();
    }

    [Theory]
    [InlineData(1)]   // during step 0, before any of its scores
    [InlineData(2)]   // step 0 half scored
    [InlineData(5)]   // step 1 half scored
    [InlineData(9)]   // late in the run
    public async Task A_run_killed_while_scoring_resumes_to_the_uninterrupted_result(int crashAtBatch)
    {
        using var dir = new TempDir();
        var whole = await Uninterrupted(dir);
        Assert.True(whole.Scored.Count > 12, "the run must be long enough to crash in");

        var path = dir.File("killed.db");
        var first = FakeFitness.Hashed();
        first.BeforeBatch = b => { if (b == crashAtBatch) throw new Crash(); };
        var firstProposer = FakeProposer.Deterministic();
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            await Assert.ThrowsAsync<Crash>(() => new Optimizer(firstProposer, null, first, journal, Settings_).RunAsync());

        var second = FakeFitness.Hashed();
        var secondProposer = FakeProposer.Deterministic();
        OptimizationResult resumed;
        using (var journal = SqliteRunJournal.Open(path))
        {
            Assert.Equal(RunStatus.Failed, journal.Status().Status);
            resumed = await new Optimizer(secondProposer, null, second, journal, Settings_).RunAsync();
        }

        Assert.Equal(whole.Scored, first.Scored.Concat(second.Scored));
        Assert.Equal(whole.Proposals, firstProposer.Requests.Count + secondProposer.Requests.Count);
        Assert.Equal(whole.Result.Final.Ensemble, resumed.Final.Ensemble);
        Assert.Equal(whole.Result.Final.Step, resumed.Final.Step);
        Assert.Equal(whole.Result.Final.TrainFitness.Score, resumed.Final.TrainFitness.Score);
        Assert.Equal(whole.Result.History.Items.Select(s => (s.Template.Text, s.Score, s.Step, s.Index)),
            resumed.History.Items.Select(s => (s.Template.Text, s.Score, s.Step, s.Index)));
        Assert.Equal(whole.Export, Export(path));
    }

    [Fact]
    public async Task A_run_killed_while_proposing_proposes_that_step_again_and_still_ends_the_same()
    {
        using var dir = new TempDir();
        var whole = await Uninterrupted(dir);
        var path = dir.File("killed.db");
        var crashing = new FakeProposer((r, i) => r.Step == 2 ? throw new Crash() : FakeProposer.Deterministic().ProposeAsync(r).Result[i].Text);
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            await Assert.ThrowsAsync<Crash>(() => new Optimizer(crashing, null, FakeFitness.Hashed(), journal, Settings_).RunAsync());

        var proposer = FakeProposer.Deterministic();
        using (var journal = SqliteRunJournal.Open(path))
            await new Optimizer(proposer, null, FakeFitness.Hashed(), journal, Settings_).RunAsync();

        Assert.Equal([2, 3, 4], proposer.Requests.Select(r => r.Step!.Value));
        Assert.Equal(whole.Export, Export(path));
    }

    [Fact]
    public async Task Resuming_a_finished_run_proposes_and_scores_nothing_and_returns_the_recorded_final()
    {
        using var dir = new TempDir();
        var whole = await Uninterrupted(dir);
        var proposer = FakeProposer.Deterministic();
        var fitness = FakeFitness.Hashed();
        OptimizationResult again;
        using (var journal = SqliteRunJournal.Open(dir.File("whole.db")))
            again = await new Optimizer(proposer, null, fitness, journal, Settings_).RunAsync();

        Assert.Empty(proposer.Requests);
        Assert.Empty(fitness.Scored);
        Assert.Equal(whole.Result.Final.Ensemble, again.Final.Ensemble);
        Assert.Equal(whole.Export, Export(dir.File("whole.db")));
    }

    [Fact]
    public async Task Resuming_a_budget_stopped_run_with_a_larger_budget_selects_the_final_again()
    {
        using var dir = new TempDir();
        // Later steps score higher, so the whole run's final comes from a step the stopped run never reached.
        static FakeProposer Proposer() => new((r, i) => $"A step{r.Step} shot{i} of a <category>.");
        static FakeFitness Fitness() => new(text => text.StartsWith("A step", StringComparison.Ordinal) ? 20.0 * (text[6] - '0') + text[12] - '0' : 0);
        OptimizationResult whole;
        using (var journal = SqliteRunJournal.Create(dir.File("whole.db"), Manifest))
            whole = await new Optimizer(Proposer(), null, Fitness(), journal, Settings_).RunAsync();
        var path = dir.File("budget.db");
        OptimizationResult stopped;
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            stopped = await new Optimizer(Proposer(), null, Fitness(), journal, Settings_ with { Budget = new BudgetSettings(MaxCandidates: 4) }).RunAsync();
        Assert.Equal(StopReason.CandidateBudget, stopped.StopReason);

        OptimizationResult resumed;
        using (var journal = SqliteRunJournal.Open(path))
            resumed = await new Optimizer(Proposer(), null, Fitness(), journal, Settings_).RunAsync();

        Assert.Equal((0, 4), (stopped.Final.Step, whole.Final.Step));
        Assert.Equal(whole.Final.Ensemble, resumed.Final.Ensemble);
        Assert.Equal(whole.Final.Step, resumed.Final.Step);
        using (var journal = SqliteRunJournal.Open(path, readOnly: true))
        {
            Assert.Equal(whole.Final.Ensemble, journal.Recorded.Final!.Ensemble);
            Assert.Equal(whole.Final.TrainFitness.Score, journal.Recorded.Final.TrainFitness.Score);
        }
    }
}
