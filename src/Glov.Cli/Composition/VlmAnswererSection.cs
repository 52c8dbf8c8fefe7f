using Glov.Cli.Config;
using Glov.Core.Devices;
using Glov.Core.Templates;
using Glov.Generative.Answering;
using Glov.Generative.Multimodal;

namespace Glov.Cli.Composition;

/// <summary>
/// The VLM keys shared by the generative fitness kinds: model (language model GGUF), projector (its
/// mmproj GGUF), max_new_tokens (50), batch_size (4), context_size (model's, capped at 4096),
/// threads (all cores), chat_template (when the model declares none, e.g. "vicuna" for LLaVA-1.5),
/// image_cache_mb (1024: projected image embeddings kept between questions), cache (folder, default
/// .glov/cache beside the config), persist_answers (true: every answer is appended to
/// cache/answers/&lt;model fingerprint&gt;.jsonl and reused by later runs and resumes), device (cpu, cuda,
/// cuda:N, auto: default), gpu_layers (default all on a GPU) and native_library (as the llama proposer's).
/// </summary>
internal static class VlmAnswererSection
{
    /// <summary>What the section configures: the deferred load (the answerer and where it runs), the VLM's
    /// name for the meta-prompt (the language model's file name), the device setting, which the
    /// fitness's other engines follow, the model files (a run's inputs), and its costs for the budget
    /// (read from the GGUF headers; nothing is loaded).</summary>
    public sealed record Vlm(Func<(CachingAnswerer Answerer, DeviceChoice Device)> Create, string Name, DeviceSetting Device, string DeviceWhere,
        IReadOnlyList<string> Files, Func<Budget.VlmCosts> Costs);

    /// <param name="optimises">The prompt kinds the fitness scores; task.kind must name one of them.</param>
    public static Vlm Read(ConfigSection section, CompositionContext context, string kind,
        params PromptKind[] optimises)
    {
        if (!optimises.Contains(context.Kind))
            throw new Glov.Core.GlovUserException($"{section.Source}: {section.Name("kind")}: '{kind}' optimises a "
                + $"{string.Join(" or a ", optimises.Select(Template.Describe))}; set task.kind: {string.Join(" or ", optimises.Select(k => ConfigSection.Snake(k)))}");
        var model = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): the VLM's language model GGUF");
        var projector = section.GetPath("projector", context.BaseDirectory, mustExist: true) ?? throw section.Error("projector", "missing (required): the VLM's mmproj GGUF");
        section.NotIdentity("device");
        section.NotIdentity("gpu_layers");
        section.NotIdentity("native_library");
        var (device, where) = section.GetDevice("device", DeviceSetting.Auto);
        var library = NativeLibrarySetting.Read(section, context);
        var options = new VlmOptions
        {
            Device = device,
            DeviceKey = where,
            GpuLayers = section.GetOptionalInt("gpu_layers", min: 0),
            MaxNewTokens = section.GetInt("max_new_tokens", 50, min: 1),
            BatchSize = section.GetInt("batch_size", 4, min: 1),
            ContextSize = section.GetOptionalInt("context_size", min: 64),
            Threads = section.GetOptionalInt("threads", min: 1),
            ChatTemplate = section.GetString("chat_template", null),
            ImageCacheMegabytes = section.GetInt("image_cache_mb", 1024, min: 0),
        };
        var cache = section.GetFolder("cache", context.BaseDirectory) ?? Path.GetFullPath(Path.Combine(".glov", "cache"), context.BaseDirectory);
        var persist = section.GetBool("persist_answers", true);
        return new Vlm(() =>
        {
            library?.Invoke();
            var vlm = MtmdAnswerer.Load(model, projector, options);
            var store = persist ? Path.Combine(cache, "answers", string.Concat(vlm.Fingerprint.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')) + ".jsonl") : null;
            return (new CachingAnswerer(vlm, store), vlm.Device);
        }, Path.GetFileNameWithoutExtension(model), device, where, [model, projector],
            () => Budget.VlmCosts.Read(model, projector, options.MaxNewTokens, options.BatchSize, Budget.NominalRates.Cpu));
    }
}
