using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Core.Parsing;
using Glov.Core.Proposing;

namespace Glov.Runs.Tests;

public class OptimizerTests
{
    private static readonly RunManifest Manifest = new("{}", "hash", 42, "test", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task The_seed_is_scored_first_then_each_step_proposes_parses_and_scores_its_candidates()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.");
        var fitness = FakeFitness.Hashed();
        var progress = new List<OptimizerProgress>();
        var optimizer = new Optimizer(proposer, null, fitness, journal, Settings.Default(steps: 3, candidates: 2));
        optimizer.Progress += progress.Add;

        var result = await optimizer.RunAsync();

        Assert.Equal(["A photo of a <category>.", "A step0 shot0 of a <category>.", "A step0 shot1 of a <category>.",
            "A step1 shot0 of a <category>.", "A step1 shot1 of a <category>.", "A step2 shot0 of a <category>.", "A step2 shot1 of a <category>."],
            fitness.Scored);
        Assert.Equal([1, 2, 2, 2], fitness.BatchSizes);
        Assert.Equal([0, 1, 2], proposer.Requests.Select(r => r.Step!.Value));
        Assert.Equal([StepSeed.Derive(42, 0), StepSeed.Derive(42, 1), StepSeed.Derive(42, 2)], proposer.Requests.Select(r => r.Sampling.Seed));
        Assert.All(proposer.Requests, r => Assert.Equal(2, r.Count));
        Assert.Equal(7, result.History.Count);
        Assert.Equal(3, result.StepsCompleted);
        Assert.Equal(StopReason.StepsDone, result.StopReason);
        Assert.Equal([-1, 0, 1, 2], progress.Select(p => p.Step));
        Assert.Equal([0, 2, 4, 6], progress.Select(p => p.CandidatesProposed));
        Assert.Equal(result.History.Best, progress[^1].Best);
        // The second step's meta-prompt lists what the first step scored.
        Assert.Contains("A step0 shot1 of a <category>.", proposer.Requests[1].Messages[^1].Content);
    }

    [Fact]
    public async Task Each_step_reports_and_journals_how_much_of_its_prompt_the_proposer_reused()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.", reuse: r => 3 * r.Step);
        var progress = new List<OptimizerProgress>();
        using (var journal = SqliteRunJournal.Create(path, Manifest))
        {
            var optimizer = new Optimizer(proposer, null, FakeFitness.Hashed(), journal, Settings.Default(steps: 3, candidates: 2));
            optimizer.Progress += progress.Add;
            await optimizer.RunAsync();
        }

        PromptReuse?[] expected = [null, new(10, 0), new(10, 3), new(10, 6)];
        Assert.Equal(expected, progress.Select(p => p.PromptReuse));
        Assert.Equal(0.6, progress[^1].PromptReuse!.Fraction, 12);
        using (var reopened = SqliteRunJournal.Open(path, readOnly: true))
            Assert.Equal(expected, new[] { -1, 0, 1, 2 }.Select(s => reopened.Recorded.Step(s)!.PromptReuse));

        // A resumed run reports the recorded steps' reuse from the journal, and a proposer that does not say records none.
        var resumed = new List<OptimizerProgress>();
        using (var journal = SqliteRunJournal.Open(path))
        {
            var optimizer = new Optimizer(new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>."), null, FakeFitness.Hashed(), journal,
                Settings.Default(steps: 4, candidates: 2));
            optimizer.Progress += resumed.Add;
            await optimizer.RunAsync();
        }
        Assert.Equal([.. expected, null], resumed.Select(p => p.PromptReuse));
        Assert.Equal([true, true, true, true, false], resumed.Select(p => p.FromJournal));
        using var last = SqliteRunJournal.Open(path, readOnly: true);
        Assert.Null(last.Recorded.Step(3)!.PromptReuse);
    }

    [Fact]
    public async Task Score_batches_follow_the_setting()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        var fitness = FakeFitness.Hashed();
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.");

        await new Optimizer(proposer, null, fitness, journal, Settings.Default(steps: 2, candidates: 5) with { ScoreBatch = 2 }).RunAsync();

        Assert.Equal([1, 2, 2, 1, 2, 2, 1], fitness.BatchSizes);
    }

    [Fact]
    public async Task Guidance_switches_on_at_the_first_improvement_and_steers_from_best_towards_second_best()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        string[][] script =
        [
            ["A zero sketch of a <category>.", "A plain sketch of a <category>."], // 0 and 25: the seed's 25 is not beaten
            ["A fifty photo of a <category>.", "A zero photo of a <category>."],   // 50: first improvement
            ["A zero painting of a <category>.", "A plain painting of a <category>."],
            ["A seventy painting of a <category>.", "A zero drawing of a <category>."], // 75: a new best
            ["A zero image of a <category>.", "A plain image of a <category>."],
        ];
        var proposer = new FakeProposer((r, i) => script[r.Step!.Value][i], steers: true);
        var fitness = new FakeFitness(t => t.Contains("zero") ? 0 : t.Contains("fifty") ? 50 : t.Contains("seventy") ? 75 : 25);
        var embedder = new FakeEmbedder();
        var settings = Settings.Default(steps: 5, candidates: 2) with { Guidance = new GuidanceSettings(true, 0.5f, null, SteeringMode.Cached, MaxNewTokens: 75) };
        var norms = new List<double?>();
        var optimizer = new Optimizer(proposer, embedder, fitness, journal, settings);
        optimizer.Progress += p => norms.Add(p.SteeringNorm);

        await optimizer.RunAsync();

        Assert.Null(proposer.Requests[0].Steering);
        Assert.Null(proposer.Requests[1].Steering);
        // The authors' guided decoding allowed 75 new tokens, their unguided one the sampling's 50.
        Assert.Equal([50, 50, 75, 75, 75], proposer.Requests.Select(r => r.Sampling.MaxNewTokens));
        var layer = SteeringVector.DefaultLayer(embedder.LayerCount);
        Assert.Equal(4, layer);
        foreach (var step in new[] { 2, 3 })
        {
            var v = proposer.Requests[step].Steering!;
            // p+ = the 50 template; p− = the holder of the second-best distinct score (25), earliest first: the seed.
            Assert.Equal(SteeringVector.Difference(FakeEmbedder.Of("A fifty photo of a <category>.", layer), FakeEmbedder.Of("A photo of a <category>.", layer)), v.Direction);
            Assert.Equal(0.5f, v.Alpha);
            Assert.Equal(layer, v.Layer);
            Assert.Equal(SteeringMode.Cached, v.Mode);
        }
        // After the 75 template, p− is the old best (50).
        Assert.Equal(SteeringVector.Difference(FakeEmbedder.Of("A seventy painting of a <category>.", layer), FakeEmbedder.Of("A fifty photo of a <category>.", layer)),
            proposer.Requests[4].Steering!.Direction);
        // Each text is embedded once however many steps use it.
        Assert.All(embedder.Calls.Values, c => Assert.Equal(1, c));
        Assert.Equal(3, embedder.Calls.Count);

        using var reopened = SqliteRunJournal.Open(dir.File("j.db"), readOnly: true);
        var g2 = reopened.Recorded.Step(2)!.Start!.Guidance!;
        Assert.Equal("A fifty photo of a <category>.", g2.Positive);
        Assert.Equal("A photo of a <category>.", g2.Negative);
        Assert.Equal(proposer.Requests[2].Steering!.Norm, g2.Norm, 12);
        var d = proposer.Requests[2].Steering!.Direction;
        Assert.Equal(0.5 * Math.Sqrt(d.Sum(x => (double)x * x)), g2.Norm, 6);
        Assert.Null(reopened.Recorded.Step(1)!.Start!.Guidance);
        Assert.Equal([null, null, null, g2.Norm, g2.Norm, reopened.Recorded.Step(4)!.Start!.Guidance!.Norm], norms);
    }

    [Fact]
    public void Guidance_on_with_a_proposer_that_cannot_steer_is_a_configuration_error()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        var settings = Settings.Default() with { Guidance = new GuidanceSettings(Enabled: true) };

        var e = Assert.Throws<GlovUserException>(() => new Optimizer(FakeProposer.Deterministic(steers: false), new FakeEmbedder(), FakeFitness.Hashed(), journal, settings));

        Assert.StartsWith("guidance.enabled: proposer 'fake' cannot steer", e.Message);
    }

    [Fact]
    public void More_candidates_than_the_engine_can_generate_in_one_step_is_a_configuration_error()
    {
        var limited = new FakeProposer((_, i) => $"A photo {i} of a <category>.", maxCandidates: 255);

        Optimizer.Validate(limited, null, FakeFitness.Hashed(), Settings.Default(candidates: 255));
        var e = Assert.Throws<GlovUserException>(() => Optimizer.Validate(limited, null, FakeFitness.Hashed(), Settings.Default(candidates: 256)));

        Assert.Equal("optimizer.candidates: 256 is more than proposer 'fake' can generate in one step (255)", e.Message);
    }

    [Fact]
    public async Task Guidance_off_never_sends_steering_even_to_a_proposer_that_can_steer()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        var proposer = FakeProposer.Deterministic(steers: true);

        await new Optimizer(proposer, new FakeEmbedder(), FakeFitness.Hashed(), journal, Settings.Default(steps: 4)).RunAsync();

        Assert.Equal(4, proposer.Requests.Count);
        Assert.All(proposer.Requests, r => Assert.Null(r.Steering));
    }

    [Fact]
    public async Task The_candidate_budget_trims_the_last_step_and_stops_the_run()
    {
        using var dir = new TempDir();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest);
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.");
        var settings = Settings.Default(steps: 10, candidates: 4) with { Budget = new BudgetSettings(MaxCandidates: 10) };

        var result = await new Optimizer(proposer, null, FakeFitness.Hashed(), journal, settings).RunAsync();

        Assert.Equal([4, 4, 2], proposer.Requests.Select(r => r.Count));
        Assert.Equal(StopReason.CandidateBudget, result.StopReason);
        Assert.Equal(3, result.StepsCompleted);
        Assert.Equal(11, result.History.Count);
    }

    [Fact]
    public async Task The_wall_time_budget_is_checked_before_each_step()
    {
        using var dir = new TempDir();
        var time = new ManualTime();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest, time);
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.");
        var fitness = FakeFitness.Hashed();
        fitness.BeforeBatch = _ => time.Advance(TimeSpan.FromMinutes(10));
        var settings = Settings.Default(steps: 10, candidates: 2) with { Budget = new BudgetSettings(MaxWallTime: TimeSpan.FromMinutes(25)) };

        var result = await new Optimizer(proposer, null, fitness, journal, settings, time).RunAsync();

        // Seed at 10 min, step 0 ends at 20 (< 25, so step 1 starts), step 1 ends at 30: stop.
        Assert.Equal(2, proposer.Requests.Count);
        Assert.Equal(StopReason.WallTimeBudget, result.StopReason);
        Assert.Equal(2, result.StepsCompleted);
    }

    [Fact]
    public async Task The_ETA_leaves_out_the_first_steps_warm_up_once_another_step_is_measured()
    {
        using var dir = new TempDir();
        var time = new ManualTime();
        using var journal = SqliteRunJournal.Create(dir.File("j.db"), Manifest, time);
        var proposer = new FakeProposer((r, i) => $"A step{r.Step} shot{i} of a <category>.");
        var fitness = FakeFitness.Hashed();
        // Step 0 takes 10 min (the warm-up), every later step 1 min.
        fitness.BeforeBatch = _ => time.Advance(proposer.Requests.Count <= 1 ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(1));
        var optimizer = new Optimizer(proposer, null, fitness, journal, Settings.Default(steps: 5, candidates: 2), time);
        var etas = new List<TimeSpan?>();
        optimizer.Progress += p => { if (p.Step >= 0) etas.Add(p.Eta); };

        await optimizer.RunAsync();

        // After step 0 only the warm-up is known (4 × 10 min); from step 1 on, 1 min per remaining step.
        Assert.Equal([TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1), TimeSpan.Zero], etas);
    }

    [Fact]
    public async Task Cancellation_stops_mid_step_and_marks_the_journal_cancelled()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var fitness = FakeFitness.Hashed();
        fitness.BeforeBatch = batch => { if (batch == 2) cts.Cancel(); };
        var path = dir.File("j.db");
        using (var journal = SqliteRunJournal.Create(path, Manifest))
        {
            var optimizer = new Optimizer(FakeProposer.Deterministic(), null, fitness, journal, Settings.Default(steps: 5));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => optimizer.RunAsync(cts.Token));
        }

        using var reopened = SqliteRunJournal.Open(path);
        Assert.Equal(RunStatus.Cancelled, reopened.Status().Status);
        Assert.True(reopened.Recorded.Step(0)!.Complete);
        var step1 = reopened.Recorded.Step(1)!;
        Assert.False(step1.Complete);
        Assert.NotNull(step1.Completions);
        Assert.Empty(step1.Scores);
        Assert.Null(reopened.Recorded.Step(2));
        Assert.Null(reopened.Recorded.Final);
    }

    [Fact]
    public async Task Rejected_candidates_are_journaled_with_their_reason_and_never_scored()
    {
        using var dir = new TempDir();
        string[] completions =
        [
            "Sure! Let me know if you need anything else.",
            "A <category> next to a <category>.",
            "A photo of a {category}.",
            "A new photo of a <category>.",
            "A NEW photo of a <category>.",
            "An extremely long and winding description of a <category> that goes on and on.",
        ];
        var fitness = FakeFitness.Hashed();
        var path = dir.File("j.db");
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            await new Optimizer(new FakeProposer((_, i) => completions[i]), null, fitness, journal, Settings.Default(steps: 1, candidates: completions.Length)).RunAsync();

        using var reopened = SqliteRunJournal.Open(path);
        var step = reopened.Recorded.Step(0)!;
        Assert.Equal(completions, step.Completions!.Select(c => c.Text));
        Assert.Equal(
            [RejectionReason.Empty, RejectionReason.MultiplePlaceholders, RejectionReason.Duplicate, null, RejectionReason.Duplicate, RejectionReason.TooLong],
            step.Candidates!.Select(c => c.Reason));
        Assert.Equal([0, 1, 2, 3, 4, 5], step.Candidates!.Select(c => c.CompletionIndex));
        Assert.All(step.Candidates!.Where(c => c.Reason is not null), c => Assert.False(string.IsNullOrEmpty(c.Detail)));
        Assert.Equal("A new photo of a <category>.", step.Candidates![3].Template);
        Assert.Equal([3], step.Scores.Keys);
        Assert.Equal(["A photo of a <category>.", "A new photo of a <category>."], fitness.Scored);
    }
}
