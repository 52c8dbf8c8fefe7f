using Glov.Core.Devices;

namespace Glov.LlamaCpp.Engine;

/// <summary>How a GGUF model is run.</summary>
public sealed record LlamaOptions
{
    /// <summary>CPU threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>KV cache cells shared by all sequences of one step: the prompt once plus every
    /// candidate's new tokens. Null: the model's training context, capped at 8192.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Null lets llama.cpp decide (it turns flash attention on for the CPU).</summary>
    public bool? FlashAttention { get; init; }

    /// <summary>A float32 KV cache instead of float16: slower, but logits match a float32 reference.</summary>
    public bool Float32Cache { get; init; }

    /// <summary>Chat template used when the model declares none (or to override it): a Jinja template
    /// or a llama.cpp built-in name such as "chatml". Without one, a model lacking
    /// <c>tokenizer.chat_template</c> is rejected for chat use.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Where the model runs (<see cref="LlamaDevices"/>): auto takes the first GPU the loaded
    /// llama.cpp build can offload to, else the CPU.</summary>
    public DeviceSetting Device { get; init; } = DeviceSetting.Auto;

    /// <summary>The name of the device setting in messages (a config key, a command-line option).</summary>
    public string DeviceKey { get; init; } = "device";

    /// <summary>Blocks offloaded to the GPU when on one; null offloads all of them (and the output layer).</summary>
    public int? GpuLayers { get; init; }

    /// <summary>Tight numerics for comparison against a float32 reference implementation.</summary>
    public static LlamaOptions Exact { get; } = new() { FlashAttention = false, Float32Cache = true };

    public int ResolvedThreads => Threads ?? Environment.ProcessorCount;
}
