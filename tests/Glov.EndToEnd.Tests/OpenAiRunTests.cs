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

    [Fact]
    public async Task An_error_quoting_the_api_key_back_reaches_neither_the_journal_nor_the_screen()
    {
        var key = $"sk-test-{Guid.NewGuid():N}";
        var variable = $"GLOV_TEST_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, key);
        await using var server = new LoopbackChatServer((request, _) =>
            CannedResponse.Error(401, $"Incorrect API key provided: {request.Authorization?.Replace("Bearer ", "")}. You can find your key at https://example.invalid."));
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", $$"""
            name: leak
            runs_dir: runs
            task: {dataset: CIFAR-10}
            optimizer: {steps: 1, candidates: 2}
            guidance: {enabled: false}
            proposer:
              kind: openai
              endpoint: "{{server.BaseUri}}"
              model: m
              api_key_env: {{variable}}
              n_parameter: never
              retry: {max_attempts: 1}
            fitness: {kind: keyword, classes: [a, b], keywords: [photo]}
            """);

        var result = await ws.Run("optimize", "--config", config);
        var show = await ws.Run("runs", "show", "leak", "--runs-dir", ws.PathOf("runs"));
        var export = await ws.Run("runs", "export", "leak", "--runs-dir", ws.PathOf("runs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Bearer {key}", server.Requests[0].Authorization);
        Assert.Contains("Incorrect API key provided: [redacted]", result.Stderr);
        Assert.Contains("Incorrect API key provided: [redacted]", show.Stdout);
        foreach (var text in new[] { result.Stdout, result.Stderr, show.Stdout, export.Stdout, File.ReadAllText(ws.PathOf("runs/leak/journal.db"), System.Text.Encoding.Latin1) })
            Assert.DoesNotContain(key, text);
    }

    [Fact]
    public async Task Credentials_in_an_endpoint_url_are_refused_before_anything_is_stored()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", """
            name: creds
            runs_dir: runs
            task: {dataset: CIFAR-10}
            guidance: {enabled: false}
            proposer: {kind: openai, endpoint: "https://alice:hunter2-secret@api.example.invalid/v1", model: m}
            fitness: {kind: keyword, classes: [a, b], keywords: [photo]}
            """);

        var result = await ws.Run("optimize", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"glov: {config}: proposer.endpoint: holds credentials (user:password@), which would be stored in the journal and shown in reports; put the key in the environment variable named by api_key_env",
            result.Stderr.TrimEnd());
        Assert.False(Directory.Exists(ws.PathOf("runs")));
    }
}
