using System.Text.Json;
using Glov.Core;
using Glov.Core.Optimization;
using Glov.Core.Proposing;

namespace Glov.OpenAi.Tests;

public sealed class OpenAiProposerTests
{
    private static readonly ChatMessage[] Chat =
    [
        new(ChatRole.System, "You help find prompt templates."),
        new(ChatRole.User, "Dataset: CIFAR-10. Write one template with <category>."),
    ];

    private static OpenAiProposerOptions Options(LoopbackChatServer server, NParameterMode n = NParameterMode.Auto) => new()
    {
        Endpoint = server.BaseUri,
        Model = "test-model",
        ApiKey = "secret-key",
        NParameter = n,
        RequestTimeout = TimeSpan.FromSeconds(10),
        Retry = new RetryOptions { MaxAttempts = 4, InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromSeconds(2), JitterSeed = 7 },
    };

    private static ProposalRequest Request(int count, SamplingSettings? sampling = null) =>
        new(Chat, count, sampling ?? new SamplingSettings { Seed = 5 });

    [Fact]
    public async Task Sends_the_chat_and_sampling_settings_in_OpenAI_wire_format_and_reads_every_choice()
    {
        await using var server = new LoopbackChatServer(
            CannedResponse.Choices(21, 10, ("a photo of a <category>.", "stop"), ("a blurry <category>", "length"), ("art of <category>", "stop")));
        using var proposer = new OpenAiProposer(Options(server));
        var sampling = new SamplingSettings { Temperature = 0.75, TopP = 0.5, TopK = 40, MaxNewTokens = 33, Seed = 11 };

        var completions = await proposer.ProposeAsync(Request(3, sampling));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer secret-key", request.Authorization);
        var json = request.Json;
        Assert.Equal("test-model", json.GetProperty("model").GetString());
        var messages = json.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(Chat.Select(m => m.Content), messages.Select(m => m.GetProperty("content").GetString()));
        Assert.Equal(0.75, json.GetProperty("temperature").GetDouble(), 6);
        Assert.Equal(0.5, json.GetProperty("top_p").GetDouble(), 6);
        Assert.Equal(33, json.GetProperty("max_tokens").GetInt32());
        Assert.False(json.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal(3, json.GetProperty("n").GetInt32());
        Assert.Equal(40, json.GetProperty("top_k").GetInt32());
        Assert.Equal(11, json.GetProperty("seed").GetInt64());

        Assert.Equal(["a photo of a <category>.", "a blurry <category>", "art of <category>"], completions.Select(c => c.Text));
        Assert.Equal([FinishReason.Stop, FinishReason.Length, FinishReason.Stop], completions.Select(c => c.Finish));
        Assert.All(completions, c => Assert.Equal(21, c.PromptTokens));
        Assert.Equal([4, 3, 3], completions.Select(c => c.CompletionTokens));
        Assert.Equal(new TokenUsage(1, 21, 10, 0), proposer.Usage);
    }

    [Fact]
    public async Task A_server_that_ignores_n_gets_the_missing_completions_as_single_requests_with_distinct_seeds()
    {
        await using var server = new LoopbackChatServer((r, i) => CannedResponse.Text($"t{i} <category>"));
        using var proposer = new OpenAiProposer(Options(server));

        var first = await proposer.ProposeAsync(Request(3));
        var second = await proposer.ProposeAsync(Request(2));

        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        var requests = server.Requests;
        Assert.Equal(1 + 2 + 2, requests.Count);
        Assert.Equal(3, requests[0].Json.GetProperty("n").GetInt32());
        Assert.All(requests.Skip(1), r => Assert.False(r.Json.TryGetProperty("n", out _)));
        var fillSeeds = requests.Skip(1).Take(2).Select(r => r.Json.GetProperty("seed").GetInt64()).Order();
        Assert.Equal([6L, 7L], fillSeeds);
        Assert.Equal(new TokenUsage(5, 50, 25, 0), proposer.Usage);
    }

    [Fact]
    public async Task Generation_progress_counts_each_answer_s_tokens_as_it_arrives()
    {
        await using var server = new LoopbackChatServer((r, i) => CannedResponse.Text($"t{i} <category>"));
        using var proposer = new OpenAiProposer(Options(server));
        var reports = new List<WorkProgress>();

        var completions = await proposer.ProposeAsync(Request(3) with { Progress = new SynchronousProgress<WorkProgress>(reports.Add) });

        // The request with n = 3 brings one answer, the two single requests one each; then the step's total.
        var each = completions[0].CompletionTokens;
        Assert.Equal([0L, each, 2L * each, 3L * each, 3L * each], reports.Select(r => r.Done));
        Assert.Equal([150L, 150, 150, 150, 3L * each], reports.Select(r => r.Total));
        Assert.All(reports, r => Assert.Equal((WorkStage.Generate, WorkUnit.Tokens), (r.Stage, r.Unit)));
    }

    [Fact]
    public async Task A_server_that_rejects_n_is_asked_again_without_it()
    {
        await using var server = new LoopbackChatServer((r, i) => r.Json.TryGetProperty("n", out _)
            ? CannedResponse.Error(400, "Only one completion choice is allowed")
            : CannedResponse.Text("a <category>"));
        using var proposer = new OpenAiProposer(Options(server));

        var completions = await proposer.ProposeAsync(Request(2));

        Assert.Equal(["a <category>", "a <category>"], completions.Select(c => c.Text));
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(0, proposer.Usage.Retries);
    }

    [Fact]
    public async Task Never_mode_sends_parallel_requests_within_the_concurrency_limit()
    {
        await using var server = new LoopbackChatServer((_, i) => CannedResponse.Text($"t{i} <category>") with { Delay = TimeSpan.FromMilliseconds(150) });
        using var proposer = new OpenAiProposer(Options(server, NParameterMode.Never) with { MaxConcurrency = 2 });

        var completions = await proposer.ProposeAsync(Request(6));

        Assert.Equal(6, completions.Count);
        Assert.Equal(6, completions.Select(c => c.Text).Distinct().Count());
        Assert.Equal(6, server.Requests.Count);
        Assert.InRange(server.MaxInFlight, 1, 2);
    }

    [Fact]
    public async Task Http_429_is_retried_after_the_wait_the_server_names_in_Retry_After()
    {
        await using var server = new LoopbackChatServer(
            CannedResponse.Error(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            CannedResponse.Text("a photo of a <category>."));
        var notices = new List<RetryNotice>();
        using var proposer = new OpenAiProposer(Options(server), notices.Add);

        var completions = await proposer.ProposeAsync(Request(1));

        Assert.Equal("a photo of a <category>.", Assert.Single(completions).Text);
        Assert.Equal(2, server.Requests.Count);
        var notice = Assert.Single(notices);
        Assert.Equal(new RetryNotice(1, "HTTP 429", TimeSpan.FromSeconds(1), true), notice);
        Assert.Equal(new TokenUsage(1, 10, 5, 1), proposer.Usage);
    }

    [Fact]
    public async Task Http_500_is_retried_with_exponential_backoff_and_seeded_jitter()
    {
        await using var server = new LoopbackChatServer(
            CannedResponse.Error(500, "boom"), CannedResponse.Error(503, "busy"), CannedResponse.Text("x <category>"));
        var notices = new List<RetryNotice>();
        var options = Options(server);
        using var proposer = new OpenAiProposer(options, notices.Add);

        await proposer.ProposeAsync(Request(1));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(["HTTP 500", "HTTP 503"], notices.Select(n => n.Cause));
        Assert.All(notices, n => Assert.False(n.FromRetryAfter));
        var expected = new Backoff(options.Retry);
        Assert.Equal([expected.Delay(1), expected.Delay(2)], notices.Select(n => n.Delay));
    }

    [Fact]
    public async Task A_server_error_that_persists_ends_in_one_clear_error_after_the_configured_attempts()
    {
        await using var server = new LoopbackChatServer(CannedResponse.Error(502, "bad gateway"));
        using var proposer = new OpenAiProposer(Options(server) with { Retry = new RetryOptions { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) } });

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("gave up after 3 attempt(s)", error.Message);
        Assert.Contains("HTTP 502", error.Message);
        Assert.Contains(server.BaseUri.ToString(), error.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_request_that_exceeds_the_timeout_is_retried_and_then_reported()
    {
        await using var server = new LoopbackChatServer(CannedResponse.Text("late <category>") with { Delay = TimeSpan.FromSeconds(20) });
        using var proposer = new OpenAiProposer(Options(server) with
        {
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            Retry = new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(10) },
        });

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("gave up after 2 attempt(s)", error.Message);
        Assert.Contains("no answer within 0.3 s", error.Message);
        Assert.Equal(2, await server.AcceptedAtLeastAsync(2, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_timed_out_request_succeeds_on_retry()
    {
        await using var server = new LoopbackChatServer(
            CannedResponse.Text("late <category>") with { Delay = TimeSpan.FromSeconds(20) },
            CannedResponse.Text("on time <category>"));
        var notices = new List<RetryNotice>();
        using var proposer = new OpenAiProposer(Options(server) with { RequestTimeout = TimeSpan.FromMilliseconds(300) }, notices.Add);

        var completions = await proposer.ProposeAsync(Request(1));

        Assert.Equal("on time <category>", Assert.Single(completions).Text);
        Assert.Equal("no answer within 0.3 s", Assert.Single(notices).Cause);
    }

    [Theory]
    [InlineData("{\"choices\": [ {\"message\": ")]
    [InlineData("<html>502 proxy error</html>")]
    public async Task Malformed_JSON_is_a_clear_error_and_not_retried(string body)
    {
        await using var server = new LoopbackChatServer(new CannedResponse(200, body));
        using var proposer = new OpenAiProposer(Options(server));

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("not chat-completion JSON", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_answer_without_choices_is_a_clear_error()
    {
        await using var server = new LoopbackChatServer(new CannedResponse(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"));
        using var proposer = new OpenAiProposer(Options(server));

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("holds no choices", error.Message);
    }

    [Fact]
    public async Task A_refused_request_is_reported_with_the_servers_reason_without_retrying()
    {
        await using var server = new LoopbackChatServer(CannedResponse.Error(404, "model 'test-model' not found"));
        using var proposer = new OpenAiProposer(Options(server));

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.True(error.Message.Contains("HTTP 404"), error.Message);
        Assert.True(error.Message.Contains("model 'test-model' not found"), error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_retry_maximum_fails_at_once()
    {
        await using var server = new LoopbackChatServer(
            CannedResponse.Error(429, "quota", new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        using var proposer = new OpenAiProposer(Options(server));

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("wait 3600 s", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_steering_request_is_refused_before_anything_is_sent()
    {
        await using var server = new LoopbackChatServer(CannedResponse.Text("x <category>"));
        using var proposer = new OpenAiProposer(Options(server));
        var steering = new SteeringVector([1f, 2f], 0.5f, 1, SteeringMode.Exact);

        Assert.False(proposer.SupportsSteering);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => proposer.ProposeAsync(Request(1) with { Steering = steering }));

        Assert.Contains("cannot steer", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Cancelling_the_caller_stops_without_retrying()
    {
        await using var server = new LoopbackChatServer(CannedResponse.Text("late <category>") with { Delay = TimeSpan.FromSeconds(20) });
        using var proposer = new OpenAiProposer(Options(server));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proposer.ProposeAsync(Request(1), cancel.Token));

        // Under load the client may give up before the server has accepted the request; what matters is that it is
        // not sent again (a retry would come within the 20 ms backoff, well inside the wait).
        Assert.InRange(await server.AcceptedAtLeastAsync(2, TimeSpan.FromSeconds(1)), 0, 1);
        Assert.Equal(0, proposer.Usage.Retries);
    }

    [Fact]
    public async Task An_endpoint_where_nothing_listens_is_retried_then_reported_as_a_connection_failure()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var notices = new List<RetryNotice>();
        using var proposer = new OpenAiProposer(new OpenAiProposerOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1"),
            Model = "m",
            Retry = new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(10) },
        }, notices.Add);

        var error = await Assert.ThrowsAsync<GlovUserException>(() => proposer.ProposeAsync(Request(1)));

        Assert.Contains("gave up after 2 attempt(s); last failure: connection failed", error.Message);
        Assert.StartsWith("connection failed", Assert.Single(notices).Cause);
    }
}
