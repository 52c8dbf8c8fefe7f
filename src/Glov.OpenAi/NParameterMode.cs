namespace Glov.OpenAi;

/// <summary>Whether n completions are asked for with the chat API's <c>n</c> parameter (one request)
/// or as n parallel single-choice requests. Some servers (llama.cpp's server, Ollama) reject or ignore <c>n</c>.</summary>
public enum NParameterMode
{
    /// <summary>Send <c>n</c>; if the server refuses it or returns fewer choices, make up the rest with
    /// single requests and stop sending <c>n</c> to that server.</summary>
    Auto,
    Always,
    Never,
}
