using Glov.Core;
using Glov.Core.Proposing;
using LLama.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>
/// H(text) for guidance: the residual stream after block L (llama.cpp's graph tensor <c>l_out-L</c>,
/// read in the eval callback), for the raw text with BOS, mean-pooled over the text's tokens without
/// BOS (whose activation is huge and text-independent), in float32.
/// </summary>
public sealed class LlamaEmbedder(LlamaModel model) : ITextEmbedder, IDisposable
{
    private readonly Lock _gate = new();
    private LlamaContext? _context;

    public int LayerCount => model.LayerCount;

    public int Width => model.Width;

    public Task<float[]> EmbedAsync(string text, int layer, CancellationToken cancellationToken = default) =>
        Task.Run(() => Embed(text, layer), cancellationToken);

    public float[] Embed(string text, int layer)
    {
        if (layer < 0 || layer >= model.LayerCount)
            throw new GlovUserException($"embedding layer: {layer} is outside 0..{model.LayerCount - 1} for {model.Path}");
        var tokens = model.Tokenize(text, addBos: true);
        var skip = tokens.Count > 0 && model.Vocab.BOS is { } bos && tokens[0] == (int)bos ? 1 : 0;
        if (tokens.Count == skip)
            throw new GlovUserException("embedding text: is empty");
        lock (_gate)
        {
            var context = EnsureContext(tokens.Count, layer);
            context.Clear();
            context.TakeCaptured();
            var batch = new LLamaBatch();
            for (var start = 0; start < tokens.Count; start += (int)context.Handle.BatchSize)
            {
                batch.Clear();
                // Every row is an output, so llama.cpp keeps all rows even at the last block.
                for (var t = start; t < Math.Min(tokens.Count, start + (int)context.Handle.BatchSize); t++)
                    batch.Add(tokens[t], t, LLamaSeqId.Zero, true);
                context.Decode(batch);
            }
            var rows = context.TakeCaptured();
            if (rows.Count != tokens.Count)
                throw new InvalidOperationException($"captured {rows.Count} rows of l_out-{layer} for {tokens.Count} tokens");
            var mean = new float[model.Width];
            var sum = new double[model.Width];
            foreach (var row in rows.Skip(skip))
                for (var i = 0; i < sum.Length; i++)
                    sum[i] += row[i];
            for (var i = 0; i < mean.Length; i++)
                mean[i] = (float)(sum[i] / (rows.Count - skip));
            return mean;
        }
    }

    public void Dispose() => _context?.Dispose();

    private LlamaContext EnsureContext(int tokens, int layer)
    {
        if (_context is { } c && c.ContextSize >= tokens && c.CaptureLayer == layer)
            return c;
        _context?.Dispose();
        _context = new LlamaContext(model, 1, Math.Max(512, (tokens + 255) / 256 * 256), layer);
        return _context;
    }
}
