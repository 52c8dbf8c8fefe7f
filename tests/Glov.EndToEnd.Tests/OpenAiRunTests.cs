using Glov.OpenAi.Tests;
using Glov.Runs;

namespace Glov.EndToEnd.Tests;

/// <summary><c>proposer.kind: openai</c> through <c>glov optimize</c>, against a loopback chat server.</summary>
public sealed class OpenAiRunTests
{
    [Fact]
    public async Task Optimize_with_an_endpoint_proposer_sends_the_configured_requests_retries_and_journals_token_counts()
    {
        string[] answers = ["A detailed photo of a <category>.", "A centered photo of a {}.", "Here is one: a photo of the <category>"];
        var rateLimited = 0;
        await using var server = new LoopbackChatServer((request, index) =>
            Interlocked.Increment(ref rateLimited) == 1
                ? CannedResponse.Error(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "0" })
                : CannedResponse.Choices(30, 7, (answers[index % answers.Length], "stop")));
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", $$"""
            name: api
            runs_dir: runs
            task: {dataset: CIFAR-10}
            optimizer: {steps: 2, candidates: 3}
            guidance: {enabled: false}
            proposer:
              kind: openai
              endpoint: "{{server.BaseUri}}"
              model: served-model
              n_parameter: never
              max_concurrency: 2
              retry: {max_attempts: 3, initial_delay: 0.01}
            fitness: {kind: keyword, classes: [a, b, c, d], keywords: [photo, detailed, centered]}
            """);

        var result = await ws.Run("optimize", "--config", config);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var requests = server.Requests;
        Assert.Equal(1 + 2 * 3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("served-model", r.Json.GetProperty("model").GetString());
            Assert.Equal(50, r.Json.GetProperty("max_tokens").GetInt32());
            Assert.Equal(50, r.Json.GetProperty("top_k").GetInt32());
            Assert.False(r.Json.TryGetProperty("n", out _));
        });
        using var journal = SqliteRunJournal.Open(ws.PathOf("runs/api/journal.db"), readOnly: true);
        var completions = journal.Recorded.Steps.Values.Where(s => s.Step >= 0).SelectMany(s => s.Completions!).ToList();
        Assert.Equal(6, completions.Count);
        Assert.All(completions, c => Assert.Equal((30, 7), (c.PromptTokens, c.CompletionTokens)));
        Assert.Contains(journal.Recorded.Steps[0].Candidates!, c => c.Template == "A detailed photo of a <category>.");
    }
}
