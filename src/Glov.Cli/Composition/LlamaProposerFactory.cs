using Glov.Cli.Config;
using Glov.Core.Devices;
using Glov.LlamaCpp.Engine;

namespace Glov.Cli.Composition;

/// <summary><c>proposer: {kind: llama, model: path/to/model.gguf}</c> — an in-process GGUF model on
/// llama.cpp; steerable, and its embedder serves guidance. Keys: model (required), threads (default
/// all cores), context_size (default: what a step needs), chat_template (used when the model declares
/// none, or to override it: a Jinja template or a llama.cpp built-in name such as chatml), device
/// (cpu, cuda, cuda:N, auto: default), gpu_layers (blocks offloaded on a GPU; default all),
/// native_library (a llama.cpp build's libllama.so or its folder, e.g. a CUDA build; default
/// $GLOV_LLAMA_LIBRARY, else LLamaSharp's bundled CPU build).</summary>
public sealed class LlamaProposerFactory : IProposerFactory
{
    public string Kind => "llama";

    public ProposerPlan Configure(ConfigSection section, CompositionContext context)
    {
        var path = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a GGUF chat model");
        // How fast and where the model runs is not what the run computes: a resume may use other threads or another machine.
        section.NotIdentity("threads");
        section.NotIdentity("device");
        section.NotIdentity("gpu_layers");
        section.NotIdentity("native_library");
        var (device, where) = section.GetDevice("device", DeviceSetting.Auto);
        var library = NativeLibrarySetting.Read(section, context);
        var options = new LlamaOptions
        {
            Threads = section.GetOptionalInt("threads", min: 1),
            ContextSize = section.GetOptionalInt("context_size", min: 64),
            ChatTemplate = section.GetString("chat_template", null),
            Device = device,
            DeviceKey = where,
            GpuLayers = section.GetOptionalInt("gpu_layers", min: 0),
        };
        return new((progress, _) => Task.Run(() =>
        {
            library?.Invoke();
            var model = LlamaModel.Load(path, options, progress);
            return new ProposerBinding(new LlamaProposer(model, ownsModel: true), new LlamaEmbedder(model)) { Devices = [model.Device], Inputs = [path] };
        }), () => Budget.ModelSize.FromGguf(path));
    }
}
