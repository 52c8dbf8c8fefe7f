using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Glov.Core;
using Glov.Core.Optimization;
using Glov.Core.Proposing;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;
using CoreChatMessage = Glov.Core.Proposing.ChatMessage;
using CoreChatRole = Glov.Core.Proposing.ChatRole;

namespace Glov.OpenAi;

/// <summary>
/// Proposes templates with a chat model behind an OpenAI-compatible endpoint, through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over the official OpenAI client. Such an endpoint
/// exposes no hidden states, so it cannot steer: guidance needs the in-process llama.cpp proposer.
/// </summary>
public sealed class OpenAiProposer : IPromptProposer, IDisposable
{
    private readonly OpenAiProposerOptions _options;
    private readonly IChatClient _client;
    private readonly SemaphoreSlim _slots;
    private readonly Backoff _backoff;
    private readonly Action<RetryNotice>? _onRetry;
    private volatile bool _serverRefusesN;
    private long _requests, _promptTokens, _completionTokens, _retries;

    public OpenAiProposer(OpenAiProposerOptions options, Action<RetryNotice>? onRetry = null)
    {
        options.Validate();
        _options = options;
        _onRetry = onRetry;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _backoff = new Backoff(options.Retry);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            // Retries are ours (seeded jitter, Retry-After cap, one error message); the SDK's would double them.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our per-request timeout fires first; this only keeps the SDK's default (100 s) out of the way.
            NetworkTimeout = options.RequestTimeout + TimeSpan.FromSeconds(5),
        };
        // Servers may quote the key back in an error: every message glov stores or prints masks it.
        Glov.Core.Text.Secrets.Register(options.ApiKey);
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "not-needed" : options.ApiKey);
        _client = new ChatClient(options.Model, credential, clientOptions).AsIChatClient();
    }

    public string Name => $"openai:{_options.Model}@{_options.Endpoint}";

    public bool SupportsSteering => false;

    public TokenUsage Usage => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _promptTokens),
        Interlocked.Read(ref _completionTokens),
        Interlocked.Read(ref _retries));

    public async Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Steering is not null)
            throw new NotSupportedException(
                $"{Name} cannot steer: an OpenAI-compatible endpoint exposes no hidden states. Turn guidance off or use the llama.cpp proposer.");
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Count, 1);

        var messages = request.Messages.Select(ToAi).ToList();
        var completions = new List<Completion>(request.Count);
        // Generation is the server's; what can be told is the tokens of each answer as it arrives.
        var most = (long)request.Count * request.Sampling.MaxNewTokens;
        var written = 0L;
        var gate = new Lock();
        void Arrived(IReadOnlyList<Completion> answers)
        {
            lock (gate)
                request.Progress?.Report(new WorkProgress(WorkStage.Generate, written = Math.Min(most, written + answers.Sum(c => (long)c.CompletionTokens)), most, WorkUnit.Tokens));
        }
        request.Progress?.Report(new WorkProgress(WorkStage.Generate, 0, most, WorkUnit.Tokens));
        if (request.Count > 1 && ShouldSendN())
        {
            try
            {
                var answers = await SendAsync(messages, request.Sampling, request.Count, 0, cancellationToken);
                Arrived(answers);
                completions.AddRange(answers);
            }
            catch (GlovUserException e) when (_options.NParameter == NParameterMode.Auto
                                             && e.InnerException is ClientResultException { Status: 400 or 422 })
            {
                _serverRefusesN = true;
            }
            if (completions.Count < request.Count && _options.NParameter == NParameterMode.Auto)
                _serverRefusesN = true;
        }

        var missing = request.Count - completions.Count;
        if (missing > 0)
        {
            // Distinct seeds, otherwise a seeded server would return the same text n times.
            var singles = await Task.WhenAll(Enumerable.Range(completions.Count, missing)
                .Select(async i =>
                {
                    var answer = await SendAsync(messages, request.Sampling, 1, (ulong)i, cancellationToken);
                    Arrived(answer);
                    return answer;
                }));
            completions.AddRange(singles.Select(s => s[0]));
        }
        var proposed = completions.Take(request.Count).ToList();
        var tokens = proposed.Sum(c => (long)c.CompletionTokens);
        request.Progress?.Report(new WorkProgress(WorkStage.Generate, tokens, tokens, WorkUnit.Tokens));
        return proposed;
    }

    private bool ShouldSendN() => _options.NParameter switch
    {
        NParameterMode.Always => true,
        NParameterMode.Never => false,
        _ => !_serverRefusesN,
    };

    private async Task<IReadOnlyList<Completion>> SendAsync(
        List<AiChatMessage> messages, SamplingSettings sampling, int n, ulong seedOffset, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            string cause;
            TimeSpan? retryAfter = null;
            await _slots.WaitAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.RequestTimeout);
                var response = await _client.GetResponseAsync(messages, ChatOptionsFor(sampling, n, seedOffset), timeout.Token);
                return Read(response);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                cause = $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s";
            }
            catch (ClientResultException e) when (e.Status is 429 or 408 or >= 500 or 0)
            {
                cause = e.Status == 0 ? $"connection failed ({e.Message})" : $"HTTP {e.Status}";
                retryAfter = RetryAfter(e.GetRawResponse());
            }
            catch (ClientResultException e)
            {
                throw new GlovUserException($"{Name}: the server refused the request with HTTP {e.Status}: {Glov.Core.Text.Secrets.Redact(Excerpt(e.GetRawResponse()))}", e);
            }
            catch (HttpRequestException e)
            {
                cause = $"connection failed ({e.Message})";
            }
            catch (JsonException e)
            {
                throw new GlovUserException($"{Name}: the answer is not chat-completion JSON ({e.Message})", e);
            }
            catch (ArgumentOutOfRangeException e)
            {
                // The SDK indexes the first choice while converting; only a choice-less answer gets here.
                throw new GlovUserException($"{Name}: the answer holds no choices", e);
            }
            finally
            {
                _slots.Release();
            }

            if (attempt >= _options.Retry.MaxAttempts)
                throw new GlovUserException($"{Name}: gave up after {attempt} attempt(s); last failure: {cause}");
            if (retryAfter > _options.Retry.MaxDelay)
                throw new GlovUserException(
                    $"{Name}: {cause}, and the server asks to wait {retryAfter.Value.TotalSeconds:0} s, longer than the retry maximum of {_options.Retry.MaxDelay.TotalSeconds:0} s");
            var delay = retryAfter ?? _backoff.Delay(attempt);
            Interlocked.Increment(ref _retries);
            _onRetry?.Invoke(new RetryNotice(attempt, cause, delay, retryAfter is not null));
            await Task.Delay(delay, cancellationToken);
        }
    }

    private ChatOptions ChatOptionsFor(SamplingSettings sampling, int n, ulong seedOffset)
    {
        // Patched fields: the SDK would send max_completion_tokens, which older servers do not know,
        // and it has no n or top_k at all.
#pragma warning disable SCME0001
        var raw = new ChatCompletionOptions();
        raw.Patch.Set("$.max_tokens"u8, sampling.MaxNewTokens);
        if (n > 1)
            raw.Patch.Set("$.n"u8, n);
        if (_options.SendTopK)
            raw.Patch.Set("$.top_k"u8, sampling.TopK);
#pragma warning restore SCME0001
        return new ChatOptions
        {
            Temperature = (float)sampling.Temperature,
            TopP = (float)sampling.TopP,
            Seed = unchecked((long)(sampling.Seed + seedOffset)),
            RawRepresentationFactory = _ => raw,
        };
    }

    /// <summary>The SDK's <see cref="ChatCompletion"/> surfaces only the first choice; its wire form keeps them all.</summary>
    private List<Completion> Read(ChatResponse response)
    {
        if (response.RawRepresentation is not ChatCompletion completion)
            throw new InvalidOperationException($"{Name}: the chat client returned {response.RawRepresentation?.GetType().Name ?? "nothing"}");
        using var json = JsonDocument.Parse(ModelReaderWriter.Write(completion, ModelReaderWriterOptions.Json));
        var root = json.RootElement;
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            throw new GlovUserException($"{Name}: the answer holds no choices");

        long promptTokens = 0, completionTokens = 0;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            promptTokens = usage.TryGetProperty("prompt_tokens", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : 0;
            completionTokens = usage.TryGetProperty("completion_tokens", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0;
        }
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _completionTokens, completionTokens);

        var shares = Split(completionTokens, choices.GetArrayLength());
        return choices.EnumerateArray().Select((choice, i) => new Completion(
            ContentOf(choice),
            (int)promptTokens,
            (int)shares[i],
            choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == "length"
                ? FinishReason.Length
                : FinishReason.Stop)).ToList();
    }

    private static string ContentOf(JsonElement choice) =>
        choice.TryGetProperty("message", out var message)
        && message.TryGetProperty("content", out var content)
        && content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : "";

    /// <summary>With n choices the server reports one completion-token total; each choice gets an even share
    /// (the remainder to the first ones) so that the per-completion counts add up to the reported total.</summary>
    private static long[] Split(long total, int parts)
    {
        var shares = new long[parts];
        for (var i = 0; i < parts; i++)
            shares[i] = total / parts + (i < total % parts ? 1 : 0);
        return shares;
    }

    private static TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
            return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>The server's own reason: OpenAI-style <c>{"error": {"message": ...}}</c> when present, else the body.</summary>
    private static string Excerpt(PipelineResponse? response)
    {
        var text = response?.Content?.ToString() ?? "";
        try
        {
            using var json = JsonDocument.Parse(text);
            text = ErrorMessage(json.RootElement) ?? text;
        }
        catch (JsonException)
        {
        }
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? "(empty body)" : text.Length <= 300 ? text : text[..300] + "…";
    }

    private static string? ErrorMessage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
            return null;
        if (error.ValueKind == JsonValueKind.String)
            return error.GetString();
        return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : null;
    }

    private static AiChatMessage ToAi(CoreChatMessage message) => new(
        message.Role switch
        {
            CoreChatRole.System => AiChatRole.System,
            CoreChatRole.User => AiChatRole.User,
            _ => AiChatRole.Assistant,
        },
        message.Content);

    public void Dispose()
    {
        _client.Dispose();
        _slots.Dispose();
    }
}
