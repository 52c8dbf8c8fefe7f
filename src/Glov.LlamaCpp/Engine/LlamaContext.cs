using System.Runtime.InteropServices;
using Glov.Core;
using Glov.LlamaCpp.Native;
using LLama.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>
/// A live llama.cpp context on a <see cref="LlamaModel"/>: a unified KV cache shared by several
/// sequences (so copying the prompt to n sequences shares its cells instead of duplicating them),
/// the control vector used for steering, optional capture of one block's residual stream, and
/// optional steering of chosen batch rows only (both through the graph's eval callback).
/// </summary>
internal sealed unsafe class LlamaContext : IDisposable
{
    private readonly Ggml.EvalCallback? _callback;
    private readonly byte[]? _capturedName;
    private readonly List<float[]> _captured = [];
    private float[]? _cvec;
    private int _cvecLayer;
    private RowOffset? _rowOffset;

    /// <summary>An offset for some rows of one block's output during one decode; <see cref="Seen"/>
    /// counts rows across the micro-batches llama.cpp may split a batch into.</summary>
    private sealed class RowOffset(float[] offset, byte[] tensorName, HashSet<int> rows)
    {
        public float[] Offset { get; } = offset;
        public byte[] TensorName { get; } = tensorName;
        public HashSet<int> Rows { get; } = rows;
        public int Seen { get; set; }
        public int Applied { get; set; }
    }

    /// <param name="rowSteering">Install the eval callback that <see cref="SteerRows"/> needs.</param>
    public LlamaContext(LlamaModel model, int sequences, int contextSize, int? captureLayer = null, bool rowSteering = false)
    {
        Model = model;
        var p = LLamaContextParams.Default();
        p.n_ctx = (uint)contextSize;
        p.n_batch = (uint)Math.Min(contextSize, 2048);
        p.n_ubatch = Math.Min(p.n_batch, 512);
        p.n_seq_max = (uint)sequences;
        p.kv_unified = true;
        p.n_threads = p.n_threads_batch = model.Options.ResolvedThreads;
        p.llama_flash_attn_type = model.Options.FlashAttention switch
        {
            null => LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_AUTO,
            true => LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_ENABLED,
            false => LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_DISABLED,
        };
        if (model.Options.Float32Cache)
            p.type_k = p.type_v = GGMLType.GGML_TYPE_F32;
        CaptureLayer = captureLayer;
        RowSteering = rowSteering;
        if (captureLayer is { } layer)
            _capturedName = BlockOutputName(layer);
        if (captureLayer is not null || rowSteering)
        {
            _callback = OnEval;
            p.cb_eval = Marshal.GetFunctionPointerForDelegate(_callback);
        }
        try
        {
            Handle = SafeLLamaContextHandle.Create(model.Handle, p);
        }
        catch (Exception e) when (e is LLama.Exceptions.RuntimeError)
        {
            var why = LlamaNative.TakeRecentErrors();
            var hint = model.Device.OnGpu && GpuMemory.IsExhausted(why) ? $"; {model.Device.Device} is out of memory: set gpu_layers or context_size lower" : "";
            throw new GlovUserException($"{model.Path}: cannot create a llama.cpp context of {contextSize} cells ({why}){hint}", e);
        }
    }

    public LlamaModel Model { get; }

    public int? CaptureLayer { get; }

    public bool RowSteering { get; }

    public SafeLLamaContextHandle Handle { get; }

    public int ContextSize => (int)Handle.ContextSize;

    /// <summary>Rows of the captured residual from every decode since the last <see cref="TakeCaptured"/>.</summary>
    public List<float[]> TakeCaptured()
    {
        var rows = new List<float[]>(_captured);
        _captured.Clear();
        return rows;
    }

    /// <summary>Decodes a batch; returns how many rows a pending <see cref="SteerRows"/> offset reached
    /// (0 when none was pending), and clears it.</summary>
    public int Decode(LLamaBatch batch)
    {
        try
        {
            var r = Handle.Decode(batch);
            if (r != DecodeResult.Ok)
                throw new InvalidOperationException($"llama_decode failed ({r}) for a batch of {batch.TokenCount} tokens; context of {ContextSize} cells");
            return _rowOffset?.Applied ?? 0;
        }
        finally
        {
            _rowOffset = null;
        }
    }

    /// <summary>During the next decode only, adds <paramref name="offset"/> to the rows
    /// <paramref name="rows"/> (batch indices) of block <paramref name="layer"/>'s output, before the
    /// next block reads it: the control vector's effect, on chosen rows of a batch instead of all.</summary>
    public void SteerRows(float[] offset, int layer, IEnumerable<int> rows)
    {
        if (!RowSteering)
            throw new InvalidOperationException("the context was created without row steering");
        _rowOffset = new RowOffset(offset, BlockOutputName(layer), [.. rows]);
    }

    public ReadOnlySpan<float> Logits(int batchIndex) => Handle.GetLogitsIth(batchIndex);

    public void Clear() => Handle.MemoryClear(true);

    public void RemoveFrom(int sequence, int position) =>
        Handle.MemorySequenceRemove((LLamaSeqId)sequence, position, -1);

    public void Copy(int from, int to, int endPosition) =>
        Handle.MemorySequenceCopy((LLamaSeqId)from, (LLamaSeqId)to, 0, endPosition);

    public int MaxPosition(int sequence) => Handle.MemorySequenceMaxPosition((LLamaSeqId)sequence).Value;

    /// <summary>Adds <paramref name="offset"/> after block <paramref name="layer"/> at every position of
    /// every following batch; null clears it. Setting the same vector again is free (llama.cpp
    /// re-plans its compute graph after every change).</summary>
    public void SetControlVector(float[]? offset, int layer)
    {
        if (offset is null ? _cvec is null : _cvec is not null && _cvecLayer == layer && offset.AsSpan().SequenceEqual(_cvec))
            return;
        int rc;
        if (offset is null)
        {
            rc = NativeApi.llama_set_adapter_cvec(Handle, null, 0, Model.Width, -1, -1);
        }
        else
        {
            // llama.cpp's control vector holds one row per layer starting at layer 1.
            var data = new float[Model.Width * (Model.LayerCount - 1)];
            offset.CopyTo(data, (layer - 1) * Model.Width);
            fixed (float* d = data)
                rc = NativeApi.llama_set_adapter_cvec(Handle, d, (nuint)data.Length, Model.Width, layer, layer);
        }
        if (rc != 0)
            throw new InvalidOperationException($"llama_set_adapter_cvec failed ({rc})");
        _cvec = offset is null ? null : [.. offset];
        _cvecLayer = layer;
    }

    public void Dispose()
    {
        Handle.Dispose();
        GC.KeepAlive(_callback);
    }

    // llama.cpp names block il's output residual (after the control vector) "l_out-il".
    private static byte[] BlockOutputName(int layer) => System.Text.Encoding.ASCII.GetBytes($"l_out-{layer}");

    private bool OnEval(IntPtr tensor, bool ask, IntPtr userData)
    {
        var steer = _rowOffset is { } o && Ggml.NameIs(tensor, o.TensorName);
        var capture = _capturedName is not null && Ggml.NameIs(tensor, _capturedName);
        if (ask || !(steer || capture))
            return steer || capture;
        if (steer)
            AddRowOffset(tensor, _rowOffset!);
        if (capture)
            Capture(tensor);
        return true;
    }

    private void AddRowOffset(IntPtr tensor, RowOffset o)
    {
        var width = Model.Width;
        var rows = (int)(Ggml.ElementCount(tensor) / width);
        var row = new float[width];
        var bytes = (nuint)(width * sizeof(float));
        fixed (float* r = row)
        {
            for (var i = 0; i < rows; i++)
            {
                if (!o.Rows.Contains(o.Seen + i))
                    continue;
                var at = (nuint)i * bytes;
                Ggml.TensorGet(tensor, r, at, bytes);
                for (var j = 0; j < width; j++)
                    row[j] += o.Offset[j];
                Ggml.TensorSet(tensor, r, at, bytes);
                o.Applied++;
            }
        }
        o.Seen += rows;
    }

    private void Capture(IntPtr tensor)
    {
        var n = Ggml.ElementCount(tensor);
        var values = new float[n];
        fixed (float* v = values)
            Ggml.TensorGet(tensor, v, 0, (nuint)(n * sizeof(float)));
        for (var row = 0; row < n / Model.Width; row++)
            _captured.Add(values.AsSpan(row * Model.Width, Model.Width).ToArray());
    }
}
