using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.OpenAi;

namespace Glov.Cli.Engines;

/// <summary>
/// <c>proposer: {kind: openai, endpoint: http://127.0.0.1:8000/v1, model: NAME}</c> — a chat model behind an
/// OpenAI-compatible server (vLLM, llama.cpp's server, Ollama). It cannot steer, so runs with it need
/// <c>guidance.enabled: false</c>. The API key is read from the environment variable named by
/// <c>api_key_env</c>, never from the config, because the resolved config is stored in the journal.
/// </summary>
public sealed class OpenAiProposerFactory : IProposerFactory
{
    public string Kind => "openai";

    public ProposerPlan Configure(ConfigSection section, CompositionContext context)
    {
        var endpointText = section.RequireString("endpoint");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw section.Error("endpoint", $"'{Glov.Core.Text.Secrets.Redact(endpointText)}' is not an http(s) URL such as http://127.0.0.1:8000/v1");
        // The resolved config is stored in the journal and shown in reports.
        if (endpoint.UserInfo.Length > 0)
            throw section.Error("endpoint", "holds credentials (user:password@), which would be stored in the journal and shown in reports; put the key in the environment variable named by api_key_env");
        var model = section.RequireString("model");
        var keyVariable = section.GetString("api_key_env", "OPENAI_API_KEY")!;
        var retry = section.Section("retry");
        var defaults = new RetryOptions();
        var options = new OpenAiProposerOptions
        {
            Endpoint = endpoint,
            Model = model,
            MaxConcurrency = section.GetInt("max_concurrency", 4, min: 1),
            RequestTimeout = section.GetDuration("request_timeout") ?? TimeSpan.FromSeconds(120),
            NParameter = section.GetEnum("n_parameter", NParameterMode.Auto),
            SendTopK = section.GetBool("send_top_k", true),
            Retry = new RetryOptions
            {
                MaxAttempts = retry.GetInt("max_attempts", defaults.MaxAttempts, min: 1),
                InitialDelay = retry.GetDuration("initial_delay") ?? defaults.InitialDelay,
                MaxDelay = retry.GetDuration("max_delay") ?? defaults.MaxDelay,
                JitterFraction = retry.GetDouble("jitter", defaults.JitterFraction, min: 0, max: 0.99),
                JitterSeed = unchecked((int)context.Seed),
            },
        };
        if (options.Retry.MaxDelay < options.Retry.InitialDelay)
            throw retry.Error("max_delay", "must be at least retry.initial_delay");
        if (options.RequestTimeout <= TimeSpan.Zero)
            throw section.Error("request_timeout", "must be positive");
        // The server's model and hardware are unknown here, so its time is not estimated.
        return new((_, _) => Task.FromResult(new ProposerBinding(new OpenAiProposer(options with { ApiKey = Environment.GetEnvironmentVariable(keyVariable) }))), () => null);
    }
}
