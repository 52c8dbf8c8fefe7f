using Glov.Cli.Demo;
using Glov.Core.Optimization;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Cli.Tests;

public class DemoComponentTests
{
    private static readonly KeywordFitness Fitness = new(["c0", "c1", "c2", "c3", "c4", "c5"], ["photo", "detailed", "centered"], shots: 2,
        maxLength: 40, stallAfter: null, PromptKind.ClassTemplate);

    private static Template T(string text) => Template.Create(text);

    [Fact]
    public async Task Keyword_fitness_follows_its_documented_rule()
    {
        var results = await Fitness.ScoreAsync([T("A photo of a <category>."), T("A detailed centered photo of a <category>."), T("Photos of a <category>."), T("A DETAILED view, centered: <category>")]);

        // m = 1: classes j with j mod 3 < 1 are 0 and 3, 2 shots each: 4 of 12.
        Assert.Equal(100.0 * 4 / 12, results[0].Score, 12);
        Assert.Equal([2, 0, 0, 2, 0, 0], results[0].PerClass.Select(h => h.Correct));
        Assert.All(results[0].PerClass, h => Assert.Equal(2, h.Total));
        Assert.Equal(100, results[1].Score);
        Assert.Equal(0, results[2].Score); // "Photos" is not the whole word "photo"
        Assert.Equal([2, 2, 0, 2, 2, 0], results[3].PerClass.Select(h => h.Correct)); // case-insensitive, m = 2
    }

    [Fact]
    public async Task Keyword_fitness_scores_an_ensemble_by_the_keywords_of_all_members_and_admits_by_length()
    {
        var ensemble = await Fitness.ScoreEnsembleAsync([T("A photo of a <category>."), T("A detailed <category>.")]);

        Assert.Equal(100.0 * 8 / 12, ensemble.Score, 12);
        Assert.Null(Fitness.Admit(T("A photo of a <category>.")));
        Assert.Equal("longer than 40 characters (44)", Fitness.Admit(T("A very very long photo of a <category> here.")));
    }

    [Fact]
    public async Task Keyword_fitness_stalls_past_stall_after_templates_until_cancelled()
    {
        var fitness = new KeywordFitness(["c0"], ["photo"], shots: 1, maxLength: 40, stallAfter: 2, PromptKind.ClassTemplate);

        Assert.Equal(100, (await fitness.ScoreAsync([T("A photo of a <category>.")])).Single().Score);
        Assert.Equal(0, (await fitness.ScoreAsync([T("A <category>.")])).Single().Score);
        using var cancel = new CancellationTokenSource();
        var third = fitness.ScoreAsync([T("A photo of a <category>.")], cancel.Token);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
    }

    [Fact]
    public async Task Scripted_completions_are_a_function_of_the_seed_and_look_like_chat_answers()
    {
        var proposer = new ScriptedProposer();
        ProposalRequest Request(ulong seed) => new([new ChatMessage(ChatRole.User, "go")], 30, new SamplingSettings { Seed = seed });

        var a = await proposer.ProposeAsync(Request(1));
        var again = await proposer.ProposeAsync(Request(1));
        var b = await proposer.ProposeAsync(Request(2));

        Assert.Equal(a, again);
        Assert.NotEqual(a.Select(c => c.Text), b.Select(c => c.Text));
        Assert.Equal(30, a.Count);
        var parser = new CandidateParser(PromptKind.ClassTemplate);
        var parsed = a.SelectMany(c => parser.Parse(c.Text, new History(), new HashSet<string>())).ToList();
        Assert.Contains(parsed, p => p.Accepted);
        Assert.Contains(parsed, p => p.Reason == RejectionReason.NoPlaceholder);
        Assert.Contains(a, c => c.Text.StartsWith("Here is a new prompt template:", StringComparison.Ordinal));
        await Assert.ThrowsAsync<InvalidOperationException>(() => proposer.ProposeAsync(Request(1) with { Steering = new SteeringVector([1f], 1f, 1, SteeringMode.Exact) }));
    }
}
