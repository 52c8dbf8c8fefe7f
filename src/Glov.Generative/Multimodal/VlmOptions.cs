using Glov.Core.Devices;

namespace Glov.Generative.Multimodal;

/// <summary>How a LLaVA-style GGUF pair (language model + mmproj vision projector) is run.</summary>
public sealed record VlmOptions
{
    /// <summary>New tokens per answer; decoding is greedy and stops earlier at an end-of-generation token.</summary>
    public int MaxNewTokens { get; init; } = 50;

    /// <summary>Questions decoded side by side, one KV-cache sequence each.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>KV cache cells shared by the batch. Null: the model's training context, capped at 4096.</summary>
    public int? ContextSize { get; init; }

    /// <summary>CPU threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Memory for projected image embeddings kept between questions (0 turns the cache off);
    /// a LLaVA-1.5 image takes 576 × 4096 floats ≈ 9 MiB.</summary>
    public int ImageCacheMegabytes { get; init; } = 1024;

    /// <summary>A chat template for models that declare none (or to override theirs): Jinja text or a
    /// llama.cpp built-in name such as "chatml" or "vicuna".</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Where the language model and the vision projector run (resolved against the loaded llama.cpp build).</summary>
    public DeviceSetting Device { get; init; } = DeviceSetting.Auto;

    /// <summary>The name of the device setting in messages.</summary>
    public string DeviceKey { get; init; } = "device";

    /// <summary>Pixels an image may have (read from its header) before the vision projector's loader,
    /// which decodes the whole image at full size, is asked to take it (<c>max_image_pixels</c>).</summary>
    public long MaxImagePixels { get; init; } = Glov.Data.ImageDecoding.DefaultMaxPixels;

    /// <summary>Language-model blocks offloaded when on a GPU; null offloads all of them.</summary>
    public int? GpuLayers { get; init; }
}
