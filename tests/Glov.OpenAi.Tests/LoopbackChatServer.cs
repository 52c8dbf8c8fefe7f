using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Glov.OpenAi.Tests;

public sealed record RecordedRequest(string Method, string Path, JsonElement Json, string? Authorization);

public sealed record CannedResponse(int Status, string Body, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static CannedResponse Choices(int promptTokens, int completionTokens, params (string Text, string Finish)[] choices) =>
        new(200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "served-model",
            choices = choices.Select((c, i) => new
            {
                index = i,
                message = new { role = "assistant", content = c.Text },
                finish_reason = c.Finish,
            }),
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        }));

    public static CannedResponse Text(string text) => Choices(10, 5, (text, "stop"));

    public static CannedResponse Error(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(new { error = new { message, type = "test" } }), default, headers);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 serving scripted chat-completion answers. It answers at most
/// <c>maxRequests</c> requests and stops on dispose, so no test can leave it looping.
/// </summary>
public sealed class LoopbackChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, int, CannedResponse> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _loop;
    private readonly int _maxRequests;
    private int _count, _inFlight, _maxInFlight;

    public LoopbackChatServer(Func<RecordedRequest, int, CannedResponse> script, int maxRequests = 50)
    {
        _script = script;
        _maxRequests = maxRequests;
        var port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{port}/v1");
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Answers in order; the last one repeats.</summary>
    public LoopbackChatServer(params CannedResponse[] answers)
        : this((_, i) => answers[Math.Min(i, answers.Length - 1)])
    {
    }

    public Uri BaseUri { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Connections accepted so far, counted before the body is read: a request whose client gave up
    /// while the server was still reading it (a timeout under load) counts here but not in <see cref="Requests"/>.</summary>
    public int Accepted => Volatile.Read(ref _count);

    /// <summary>Waits (bounded) until <paramref name="count"/> connections were accepted; the client may give up
    /// on a request before the server's accept loop has run.</summary>
    public async Task<int> AcceptedAtLeastAsync(int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Accepted < count && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return Accepted;
    }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested && _count < _maxRequests)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            var index = _count++;
            lock (_handlers)
                _handlers.Add(Task.Run(() => Handle(context, index)));
        }
    }

    private async Task Handle(HttpListenerContext context, int index)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var seen = Volatile.Read(ref _maxInFlight); now > seen; seen = Volatile.Read(ref _maxInFlight))
            if (Interlocked.CompareExchange(ref _maxInFlight, now, seen) == seen)
                break;
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                body = await reader.ReadToEndAsync();
            using var doc = JsonDocument.Parse(body.Length == 0 ? "null" : body);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                doc.RootElement.Clone(), context.Request.Headers["Authorization"]);
            _requests.Enqueue(request);
            var answer = _script(request, index);
            if (answer.Delay > TimeSpan.Zero)
                await Task.Delay(answer.Delay, _stop.Token);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
                context.Response.Headers[name] = value;
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            context.Response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            // The client gave up on this request (its timeout); nothing to answer.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        Task[] handlers;
        lock (_handlers)
            handlers = [.. _handlers];
        await Task.WhenAll(handlers);
        _listener.Close();
        _stop.Dispose();
    }
}
