using System.Text;
using System.Runtime.InteropServices;
using Glov.Core;
using Glov.Core.Devices;
using Glov.Core.Optimization;
using Glov.LlamaCpp.Native;
using LLama.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>A GGUF model loaded by llama.cpp on the device its options resolve to, with its vocabulary
/// and chat template.</summary>
public sealed class LlamaModel : IDisposable
{
    /// <summary>llama.cpp's NULL-terminated device list with no device: nothing is offloaded, not even
    /// the large matrix products a GPU build would otherwise send to the GPU during prefill.</summary>
    private static readonly IntPtr NoDevices = Marshal.AllocHGlobal(IntPtr.Size * 2);

    private LlamaModel(string path, SafeLlamaModelHandle handle, LlamaOptions options, string? chatTemplate, DeviceChoice device)
    {
        Path = path;
        Handle = handle;
        Options = options;
        ChatTemplate = chatTemplate;
        Device = device;
    }

    static LlamaModel() => Marshal.WriteIntPtr(NoDevices, IntPtr.Zero);

    public string Path { get; }

    /// <summary>Where the model runs, and why.</summary>
    public DeviceChoice Device { get; }

    public LlamaOptions Options { get; }

    /// <summary>The template applied to chats: the override from the options, else the model's own.</summary>
    public string? ChatTemplate { get; }

    public int LayerCount => Handle.LayerCount;

    public int Width => Handle.EmbeddingSize;

    public int TrainingContext => Handle.ContextSize;

    internal SafeLlamaModelHandle Handle { get; }

    internal SafeLlamaModelHandle.Vocabulary Vocab => Handle.Vocab;

    /// <param name="progress">Told how many of the file's bytes llama.cpp has loaded, as it goes.</param>
    public static LlamaModel Load(string path, LlamaOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new LlamaOptions();
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: model file not found");
        CheckMagic(path);
        if (options.Threads is <= 0)
            throw new GlovUserException($"threads: must be positive, got {options.Threads}");
        if (options.GpuLayers is < 0)
            throw new GlovUserException($"gpu_layers: must not be negative, got {options.GpuLayers}");
        LlamaNative.EnsureInitialised();
        var device = LlamaDevices.Resolve("llm", options.DeviceKey, options.Device);
        var p = LLamaModelParams.Default();
        Place(ref p, device, options.GpuLayers);
        var size = new FileInfo(path).Length;
        var loaded = 0L;
        void Loaded(long bytes) =>
            progress?.Report(new WorkProgress(WorkStage.Load, loaded = bytes, size, WorkUnit.Bytes) { Subject = System.IO.Path.GetFileName(path) });
        LlamaProgressCallback? callback = progress is null ? null : (fraction, _) =>
        {
            Loaded((long)(Math.Clamp(fraction, 0f, 1f) * (double)size));
            return true;
        };
        p.progress_callback = callback;
        SafeLlamaModelHandle handle;
        try
        {
            Loaded(0);
            handle = SafeLlamaModelHandle.LoadFromFile(path, p);
            GC.KeepAlive(callback);
            // llama.cpp's last call can fall short of 1 by float rounding; the stage ends with the whole file.
            if (loaded < size)
                Loaded(size);
        }
        catch (Exception e) when (e is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            var why = LlamaNative.TakeRecentErrors();
            if (device.OnGpu && GpuMemory.IsExhausted(why))
                throw new GlovUserException($"{path}: does not fit in {device.Device}'s memory with {(options.GpuLayers is { } n ? $"{n} blocks" : "every block")} offloaded ({why}); set gpu_layers lower", e);
            throw new GlovUserException($"{path}: llama.cpp cannot load this GGUF (truncated, corrupt or unsupported){(why.Length > 0 ? ": " + why : "")}", e);
        }
        var template = options.ChatTemplate ?? handle.GetTemplate(null, strict: false);
        return new LlamaModel(path, handle, options, string.IsNullOrEmpty(template) ? null : template, device);
    }

    /// <summary>Model parameters for a device: every block (or <paramref name="gpuLayers"/>) on the chosen
    /// GPU alone, or no device at all on the CPU.</summary>
    internal static unsafe void Place(ref LLamaModelParams p, DeviceChoice device, int? gpuLayers)
    {
        if (device.CudaIndex is { } gpu)
        {
            p.n_gpu_layers = gpuLayers ?? -1;
            p.split_mode = GPUSplitMode.None;
            p.main_gpu = gpu;
        }
        else
        {
            p.n_gpu_layers = 0;
            p.devices = (IntPtr*)NoDevices;
        }
    }

    public IReadOnlyList<int> Tokenize(string text, bool addBos, bool parseSpecial = false) =>
        Handle.Tokenize(text, addBos, parseSpecial, Encoding.UTF8).Select(t => (int)t).ToArray();

    /// <summary>A rendered chat prompt as tokens: special-token text becomes those tokens, and BOS is
    /// added where the model asks for it, once, even when the template already wrote it.</summary>
    public IReadOnlyList<int> TokenizeChat(string rendered)
    {
        var tokens = Tokenize(rendered, addBos: true, parseSpecial: true);
        return tokens.Count >= 2 && Vocab.BOS is { } bos && tokens[0] == (int)bos && tokens[1] == (int)bos ? tokens.Skip(1).ToArray() : tokens;
    }

    /// <summary>Tokens as the model sees them, special tokens spelled out (what a chat prompt really is).</summary>
    public string Render(IEnumerable<int> tokens) => Encoding.UTF8.GetString(tokens.SelectMany(t => PieceBytes(t, special: true)).ToArray());

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(Vocab);

    /// <summary>The text of a token sequence; bytes are joined before decoding, so characters split
    /// across byte tokens come out whole.</summary>
    public string Detokenize(IEnumerable<int> tokens) => Encoding.UTF8.GetString(tokens.SelectMany(t => PieceBytes(t)).ToArray());

    internal byte[] PieceBytes(int token, bool special = false)
    {
        Span<byte> buffer = stackalloc byte[256];
        var n = (int)Handle.TokenToSpan(token, buffer, 0, special);
        if (n > buffer.Length)
        {
            var big = new byte[n];
            Handle.TokenToSpan(token, big, 0, special);
            return big;
        }
        return buffer[..n].ToArray();
    }

    public void Dispose() => Handle.Dispose();

    private static void CheckMagic(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var f = File.OpenRead(path);
            if (f.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual("GGUF"u8))
                throw new GlovUserException($"{path}: not a GGUF file (it does not start with the GGUF magic)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read model ({e.Message})", e);
        }
    }
}
