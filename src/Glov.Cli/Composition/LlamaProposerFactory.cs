using Glov.Cli.Config;
using Glov.LlamaCpp.Engine;

namespace Glov.Cli.Composition;

/// <summary><c>proposer: {kind: llama, model: path/to/model.gguf}</c> — an in-process GGUF model on
/// llama.cpp; steerable, and its embedder serves guidance. Keys: model (required), threads (default
/// all cores), context_size (default: what a step needs), chat_template (used when the model declares
/// none, or to override it: a Jinja template or a llama.cpp built-in name such as chatml).</summary>
public sealed class LlamaProposerFactory : IProposerFactory
{
    public string Kind => "llama";

    public Func<CancellationToken, Task<ProposerBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var path = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a GGUF chat model");
        // How fast the model runs is not what the run computes: a resume may use other threads.
        section.NotIdentity("threads");
        var options = new LlamaOptions
        {
            Threads = section.GetOptionalInt("threads", min: 1),
            ContextSize = section.GetOptionalInt("context_size", min: 64),
            ChatTemplate = section.GetString("chat_template", null),
        };
        return _ => Task.Run(() =>
        {
            var model = LlamaModel.Load(path, options);
            return new ProposerBinding(new LlamaProposer(model, ownsModel: true), new LlamaEmbedder(model)) { Inputs = [path] };
        });
    }
}
