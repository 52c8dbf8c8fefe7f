using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Glov.Core;
using Glov.Core.Devices;
using Glov.Generative.Answering;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.Native;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Glov.Generative.Multimodal;

/// <summary>
/// A LLaVA-style VLM on llama.cpp's multimodal library (mtmd) through LLamaSharp: a GGUF language
/// model plus its mmproj vision projector. Each question is put into the model's chat template as a
/// user turn holding the image marker and the question (after an optional system turn); the answer
/// is decoded greedily. Up to <see cref="VlmOptions.BatchSize"/> questions share one decode call per
/// generated token, each in its own KV-cache sequence. Image embeddings are computed once per image
/// content and reused for every further question about it.
/// </summary>
public sealed class MtmdAnswerer : IVisualAnswerer, IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly MtmdWeights _projector;
    private readonly SafeLLamaContextHandle _context;
    private readonly VlmOptions _options;
    private readonly string _template;
    private readonly string _marker;
    private readonly Lock _gate = new();
    private readonly ImageEmbeddingCache _embeddings;
    private readonly ImageFingerprints _images = new();

    public string ModelPath { get; }

    /// <summary>Where the language model and the projector run, and why.</summary>
    public DeviceChoice Device { get; }

    public string ProjectorPath { get; }

    public string Fingerprint { get; }

    public int Width => _weights.EmbeddingSize;

    public int ContextSize => (int)_context.ContextSize;

    /// <summary>Images whose embeddings were reused / computed (the vision tower ran).</summary>
    public (long Reused, long Encoded) ImageEncodings
    {
        get
        {
            lock (_gate)
                return (_embeddings.Hits, _embeddings.Misses);
        }
    }

    private MtmdAnswerer(string modelPath, string projectorPath, LLamaWeights weights, MtmdWeights projector,
        SafeLLamaContextHandle context, VlmOptions options, string template, string marker, DeviceChoice device)
    {
        Device = device;
        ModelPath = modelPath;
        ProjectorPath = projectorPath;
        _weights = weights;
        _projector = projector;
        _context = context;
        _options = options;
        _template = template;
        _marker = marker;
        _embeddings = new ImageEmbeddingCache((long)options.ImageCacheMegabytes << 20);
        Fingerprint = ComputeFingerprint(modelPath, projectorPath, template, options.MaxNewTokens);
    }

    public static MtmdAnswerer Load(string modelPath, string projectorPath, VlmOptions? options = null)
    {
        options ??= new VlmOptions();
        if (options.MaxNewTokens < 1)
            throw new GlovUserException($"max_new_tokens: must be at least 1, got {options.MaxNewTokens}");
        if (options.BatchSize < 1)
            throw new GlovUserException($"batch_size: must be at least 1, got {options.BatchSize}");
        if (options.ImageCacheMegabytes < 0)
            throw new GlovUserException($"image_cache_mb: must not be negative, got {options.ImageCacheMegabytes}");
        if (options.Threads is <= 0)
            throw new GlovUserException($"threads: must be positive, got {options.Threads}");
        if (options.MaxImagePixels < 1)
            throw new GlovUserException($"max_image_pixels: must be positive, got {options.MaxImagePixels}");
        if (options.GpuLayers is < 0)
            throw new GlovUserException($"gpu_layers: must not be negative, got {options.GpuLayers}");
        RequireGguf(modelPath, "language model");
        RequireGguf(projectorPath, "vision projector");
        LlamaNative.EnsureInitialised();
        var device = LlamaDevices.Resolve("vlm", options.DeviceKey, options.Device);

        var threads = options.Threads ?? Environment.ProcessorCount;
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(new ModelParams(modelPath)
            {
                GpuLayerCount = device.OnGpu ? options.GpuLayers ?? -1 : 0,
                MainGpu = device.CudaIndex ?? 0,
                SplitMode = GPUSplitMode.None,
            });
        }
        catch (Exception e) when (e is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            var why = Why();
            throw new GlovUserException(device.OnGpu && GpuMemory.IsExhausted(why)
                ? $"{modelPath}: does not fit in {device.Device}'s memory ({why}); set gpu_layers lower"
                : $"{modelPath}: llama.cpp cannot load this language model ({why})", e);
        }

        try
        {
            var template = options.ChatTemplate ?? weights.NativeHandle.GetTemplate(null, strict: false)
                ?? throw new GlovUserException($"{modelPath}: the model has no chat template (tokenizer.chat_template); set fitness.chat_template (e.g. \"vicuna\" for LLaVA-1.5)");
            var parameters = MtmdContextParams.Default();
            MtmdNative.CaptureLog();
            var projector = LoadProjector(projectorPath, weights, parameters, threads, device.OnGpu);
            var context = CreateContext(weights, options, threads, modelPath);
            var marker = parameters.MediaMarker ?? parameters.ImageMarker ?? throw new InvalidOperationException("mtmd declares no media marker");
            return new MtmdAnswerer(modelPath, projectorPath, weights, projector, context, options, template, marker, device);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static MtmdWeights LoadProjector(string projectorPath, LLamaWeights weights, MtmdContextParams parameters, int threads, bool onGpu)
    {
        parameters.UseGpu = onGpu;
        parameters.PrintTimings = false;
        parameters.Warmup = false;
        parameters.NThreads = threads;
        MtmdWeights projector;
        try
        {
            projector = MtmdWeights.LoadFromFile(projectorPath, weights, parameters);
        }
        catch (Exception e) when (e is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            throw new GlovUserException($"{projectorPath}: llama.cpp cannot use this vision projector with the language model ({Why()})", e);
        }
        if (!projector.SupportsVision)
        {
            projector.Dispose();
            throw new GlovUserException($"{projectorPath}: the projector has no vision encoder");
        }
        return projector;
    }

    private static SafeLLamaContextHandle CreateContext(LLamaWeights weights, VlmOptions options, int threads, string modelPath)
    {
        var cells = options.ContextSize ?? Math.Min(weights.ContextSize, 4096);
        var p = LLamaContextParams.Default();
        p.n_ctx = (uint)cells;
        p.n_batch = p.n_ubatch = (uint)Math.Min(cells, 2048);
        p.n_seq_max = (uint)options.BatchSize;
        p.kv_unified = true;
        p.n_threads = p.n_threads_batch = threads;
        try
        {
            return SafeLLamaContextHandle.Create(weights.NativeHandle, p);
        }
        catch (LLama.Exceptions.RuntimeError e)
        {
            throw new GlovUserException($"{modelPath}: cannot create a llama.cpp context of {cells} cells ({Why()})", e);
        }
    }

    public string? Admit(string text)
    {
        var tokens = _weights.NativeHandle.Tokenize(text, false, false, Encoding.UTF8).Length;
        return tokens + _options.MaxNewTokens >= ContextSize
            ? $"{tokens} tokens plus {_options.MaxNewTokens} new ones do not fit the {ContextSize}-cell context"
            : null;
    }

    public Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<VisualQuestion> questions, CancellationToken cancellationToken = default,
        IProgress<int>? answered = null) =>
        Task.Run<IReadOnlyList<string>>(() =>
        {
            lock (_gate)
            {
                var answers = new List<string>(questions.Count);
                var pending = new Queue<VisualQuestion>(questions);
                answered?.Report(0);
                while (pending.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    answers.AddRange(AnswerGroup(TakeGroup(pending)));
                    answered?.Report(answers.Count);
                }
                return answers;
            }
        }, cancellationToken);

    /// <summary>The prompt text for one question: chat template with the image marker first in the user turn.</summary>
    public string Prompt(VisualQuestion question)
    {
        var chat = new LLamaTemplate(_template) { AddAssistant = true };
        if (question.SystemPrompt is { } system)
            chat.Add("system", system);
        chat.Add("user", $"{_marker}\n{question.Question}");
        try
        {
            return Encoding.UTF8.GetString(chat.Apply());
        }
        catch (Exception e) when (e is not GlovUserException)
        {
            throw new GlovUserException($"{ModelPath}: llama.cpp does not support its chat template", e);
        }
    }

    /// <summary>The projected image embeddings the language model receives for <paramref name="imagePath"/>:
    /// one row of <see cref="Width"/> floats per image token.</summary>
    public float[] ImageEmbeddings(string imagePath)
    {
        lock (_gate)
        {
            using var chunks = Tokenize(new VisualQuestion(imagePath, "?"));
            return Encode(chunks.Enumerate().First(c => c.Type == SafeMtmdInputChunk.SafeMtmdInputChunkType.Image), imagePath);
        }
    }

    private float[] Encode(SafeMtmdInputChunk image, string imagePath)
    {
        var context = _projector.NativeHandle.DangerousGetHandle();
        if (MtmdNative.EncodeChunk(context, image.NativePtr) != 0)
            throw new GlovUserException($"image {imagePath}: the vision projector failed to encode it ({Why()})");
        var values = new float[checked((int)image.NTokens * Width)];
        Marshal.Copy(MtmdNative.OutputEmbeddings(context), values, 0, values.Length);
        return values;
    }

    /// <summary>Evaluates one question's chunks into a sequence: text chunks directly, the image chunk
    /// from cached embeddings; logits for the last token only.</summary>
    private unsafe int Prefill(SafeMtmdInputChunks chunks, string imagePath, int sequence)
    {
        var past = 0;
        var nBatch = (int)_context.BatchSize;
        var all = chunks.Enumerate().ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var chunk = all[i];
            int rc;
            if (chunk.Type == SafeMtmdInputChunk.SafeMtmdInputChunkType.Image)
            {
                var embeddings = _embeddings.GetOrAdd(_images.Of(imagePath), () => Encode(chunk, imagePath));
                fixed (float* e = embeddings)
                    rc = _projector.NativeHandle.DecodeImageChunk(chunk.NativePtr, _context, (IntPtr)e, ref past, sequence, nBatch);
            }
            else
            {
                rc = _projector.NativeHandle.EvaluateChunk(chunk.NativePtr, _context, ref past, sequence, nBatch, i == all.Count - 1);
            }
            if (rc != 0)
                throw new InvalidOperationException($"mtmd failed ({rc}) on a {chunk.Type} chunk for image {imagePath}; {Why()}");
        }
        return past;
    }

    /// <summary>As many questions as fit the context together (each needs its prompt plus the new tokens).</summary>
    private List<(VisualQuestion Question, SafeMtmdInputChunks Chunks)> TakeGroup(Queue<VisualQuestion> pending)
    {
        var group = new List<(VisualQuestion Question, SafeMtmdInputChunks Chunks)>();
        try
        {
            var used = 0L;
            while (pending.Count > 0 && group.Count < _options.BatchSize)
            {
                var chunks = Tokenize(pending.Peek());
                var need = chunks.CountPositions() + _options.MaxNewTokens;
                if (need > ContextSize)
                {
                    chunks.Dispose();
                    throw new GlovUserException($"image {pending.Peek().ImagePath}: image and question take {need - _options.MaxNewTokens} positions; with {_options.MaxNewTokens} new tokens they exceed the {ContextSize}-cell context (raise fitness.context_size)");
                }
                if (used + need > ContextSize && group.Count > 0)
                {
                    chunks.Dispose();
                    break;
                }
                used += need;
                group.Add((pending.Dequeue(), chunks));
            }
            return group;
        }
        catch
        {
            group.ForEach(g => g.Chunks.Dispose());
            throw;
        }
    }

    private SafeMtmdInputChunks Tokenize(VisualQuestion question)
    {
        if (!File.Exists(question.ImagePath))
            throw new GlovUserException($"image {question.ImagePath} does not exist");
        if (Glov.Data.ImageDecoding.HeaderSize(question.ImagePath) is var (width, height) && (long)width * height > _options.MaxImagePixels)
            throw new GlovUserException($"image {question.ImagePath}: {width}×{height} pixels is more than the cap of {_options.MaxImagePixels} (max_image_pixels)");
        try
        {
            _projector.LoadMedia(question.ImagePath);
        }
        catch (LLama.Exceptions.RuntimeError e)
        {
            _projector.ClearMedia();
            throw new GlovUserException($"image {question.ImagePath}: the vision projector cannot take it (not a decodable image)", e);
        }
        var rc = _projector.Tokenize(Prompt(question), true, true, out var chunks);
        if (rc != 0 || chunks is null)
            throw new GlovUserException($"image {question.ImagePath}: the vision projector cannot take it (mtmd_tokenize returned {rc}{(rc == 2 ? ": image preprocessing failed" : "")})");
        return chunks;
    }

    private string[] AnswerGroup(List<(VisualQuestion Question, SafeMtmdInputChunks Chunks)> group)
    {
        try
        {
            _context.MemoryClear(true);
            var n = group.Count;
            var positions = new int[n];
            var next = new int[n];
            var decoders = group.Select(_ => new StreamingTokenDecoder(Encoding.UTF8, _weights)).ToArray();
            var produced = new int[n];
            var done = new bool[n];

            for (var s = 0; s < n; s++)
            {
                positions[s] = Prefill(group[s].Chunks, group[s].Question.ImagePath, s);
                next[s] = Greedy(_context.GetLogitsIth(-1));
            }

            var batch = new LLamaBatch();
            while (true)
            {
                batch.Clear();
                var rows = new int[n];
                for (var s = 0; s < n; s++)
                {
                    if (done[s])
                        continue;
                    if (((LLamaToken)next[s]).IsEndOfGeneration(_weights.Vocab) || produced[s] == _options.MaxNewTokens)
                    {
                        done[s] = true;
                        continue;
                    }
                    decoders[s].Add(next[s]);
                    produced[s]++;
                    if (produced[s] == _options.MaxNewTokens)
                    {
                        done[s] = true;
                        continue;
                    }
                    rows[s] = batch.Add(next[s], positions[s]++, (LLamaSeqId)s, true);
                }
                if (batch.TokenCount == 0)
                    break;
                var result = _context.Decode(batch);
                if (result != DecodeResult.Ok)
                    throw new InvalidOperationException($"llama_decode failed ({result}) for {batch.TokenCount} sequences");
                for (var s = 0; s < n; s++)
                    if (!done[s])
                        next[s] = Greedy(_context.GetLogitsIth(rows[s]));
            }
            return decoders.Select(d => d.Read().Trim()).ToArray();
        }
        finally
        {
            foreach (var (_, chunks) in group)
                chunks.Dispose();
        }
    }

    /// <summary>Arg-max; equal logits go to the lower token id, as llama.cpp's greedy sampler does.</summary>
    private static int Greedy(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best])
                best = i;
        return best;
    }

    private static void RequireGguf(string path, string what)
    {
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: {what} file not found");
        Span<byte> magic = stackalloc byte[4];
        using var f = File.OpenRead(path);
        if (f.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual("GGUF"u8))
            throw new GlovUserException($"{path}: {what} is not a GGUF file");
    }

    /// <summary>Content-based without hashing gigabytes: the GGUF headers (metadata and tensor layout
    /// live at the start), the file sizes, and every setting that changes an answer.</summary>
    private static string ComputeFingerprint(string modelPath, string projectorPath, string template, int maxNewTokens)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { modelPath, projectorPath })
        {
            using var f = File.OpenRead(path);
            var head = new byte[(int)Math.Min(f.Length, 1 << 20)];
            f.ReadExactly(head);
            sha.AppendData(head);
            sha.AppendData(BitConverter.GetBytes(f.Length));
        }
        sha.AppendData(Encoding.UTF8.GetBytes($"{template}\0{maxNewTokens}"));
        return $"mtmd:{Path.GetFileName(modelPath)}+{Path.GetFileName(projectorPath)}:{Convert.ToHexString(sha.GetHashAndReset())[..16]}";
    }

    private static string Why() =>
        string.Join(" ", new[] { LlamaNative.TakeRecentErrors(), MtmdNative.TakeRecentErrors() }.Where(s => s.Length > 0)) is { Length: > 0 } why
            ? why
            : "no detail logged";

    public void Dispose()
    {
        _context.Dispose();
        _projector.Dispose();
        _weights.Dispose();
    }
}
