namespace Glov.OpenAi;

/// <summary>Settings of a proposer that talks to an OpenAI-compatible chat-completions endpoint
/// (vLLM, llama.cpp's server, Ollama, OpenAI).</summary>
public sealed record OpenAiProposerOptions
{
    /// <summary>Base URL including the API version path, e.g. http://127.0.0.1:8000/v1.</summary>
    public required Uri Endpoint { get; init; }

    public required string Model { get; init; }

    /// <summary>Local servers usually need none; a placeholder is sent then.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most HTTP requests in flight at once, over all calls of this proposer.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Time allowed for one HTTP request; a request that takes longer counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public RetryOptions Retry { get; init; } = new();

    public NParameterMode NParameter { get; init; } = NParameterMode.Auto;

    /// <summary>top_k is an extension (vLLM, llama.cpp, Ollama); OpenAI's own API rejects it.</summary>
    public bool SendTopK { get; init; } = true;

    public void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"endpoint must be an absolute http(s) URL: {Endpoint}", nameof(Endpoint));
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("a model name is required", nameof(Model));
        if (MaxConcurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "at least one request must be allowed");
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "the request timeout must be positive");
        Retry.Validate();
    }
}
