using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Core.Proposing;

namespace Glov.Runs.Tests;

public class ReplayProposerTests
{
    private static readonly RunManifest Manifest = new("{}", "hash", 42, "test", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Replaying_a_run_with_the_same_fitness_reproduces_its_completions_and_result()
    {
        using var dir = new TempDir();
        OptimizationResult original;
        using (var journal = SqliteRunJournal.Create(dir.File("a.db"), Manifest))
            original = await new Optimizer(FakeProposer.Deterministic(), null, FakeFitness.Hashed(), journal, Settings.Default(steps: 4)).RunAsync();

        OptimizationResult replayed;
        using (var journal = SqliteRunJournal.Create(dir.File("b.db"), Manifest))
            replayed = await new Optimizer(new ReplayProposer(dir.File("a.db")), null, FakeFitness.Hashed(), journal, Settings.Default(steps: 4)).RunAsync();

        using var a = SqliteRunJournal.Open(dir.File("a.db"));
        using var b = SqliteRunJournal.Open(dir.File("b.db"));
        for (var step = 0; step < 4; step++)
            Assert.Equal(a.Recorded.Step(step)!.Completions, b.Recorded.Step(step)!.Completions);
        Assert.Equal(original.Final.Ensemble, replayed.Final.Ensemble);
        Assert.Equal(original.History.Items.Select(s => s.Template), replayed.History.Items.Select(s => s.Template));
    }

    [Fact]
    public async Task Asking_beyond_the_recorded_run_is_a_user_error()
    {
        using var dir = new TempDir();
        using (var journal = SqliteRunJournal.Create(dir.File("a.db"), Manifest))
            await new Optimizer(FakeProposer.Deterministic(), null, FakeFitness.Hashed(), journal, Settings.Default(steps: 2, candidates: 3)).RunAsync();
        var replay = new ReplayProposer(dir.File("a.db"));
        var messages = new[] { new ChatMessage(ChatRole.User, "x") };

        var missing = await Assert.ThrowsAsync<GlovUserException>(() => replay.ProposeAsync(new ProposalRequest(messages, 3, new SamplingSettings()) { Step = 2 }));
        var tooMany = await Assert.ThrowsAsync<GlovUserException>(() => replay.ProposeAsync(new ProposalRequest(messages, 4, new SamplingSettings()) { Step = 1 }));
        var fewer = await replay.ProposeAsync(new ProposalRequest(messages, 2, new SamplingSettings()) { Step = 1 });

        Assert.Equal($"proposer.journal: {dir.File("a.db")} has no completions for step 2", missing.Message);
        Assert.Equal($"proposer.journal: {dir.File("a.db")} has 3 completions for step 1, 4 requested", tooMany.Message);
        Assert.Equal(2, fewer.Count);
        Assert.False(replay.SupportsSteering);
    }
}
