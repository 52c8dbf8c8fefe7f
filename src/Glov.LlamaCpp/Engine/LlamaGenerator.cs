using Glov.Core;
using Glov.Core.Optimization;
using Glov.Core.Proposing;
using LLama.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>
/// Samples n completions from one prompt on a live context. The prompt is prefilled once into
/// sequence 0 and shared (KV sequence copy) by candidate sequences 1..n, which decode together, one
/// token each per batch. Sequence 0 outlives the step, so the next prompt only prefills what follows
/// the longest common token prefix. Steering follows method.md §3 (see <see cref="SteeringMode"/>):
/// llama.cpp's control vector applies to every row of a batch, so the offset reaches "the last
/// position only" by decoding batches of exactly one (the newest) token per sequence while it is set.
/// Exact steering decodes each new token once: beside each candidate's unsteered row, whose states
/// the cache keeps, the batch holds a steered copy in a mirror sequence that shares the candidate's
/// cells for that one call; only the copy's rows of block L's output get the offset (in the graph's
/// eval callback), and only the copy's logits are read. Where that is not possible it decodes twice
/// (steered for the logits, then unsteered for the cache) and says so in <see cref="Notice"/>.
/// </summary>
public sealed class LlamaGenerator(LlamaModel model) : IDisposable
{
    /// <summary>llama.cpp's LLAMA_MAX_SEQ: sequences one context can hold (more crashes it).</summary>
    private const int MaxSequences = 256;

    /// <summary>The most candidates one step can have: every sequence but the prompt's. One-decode
    /// exact steering needs a mirror sequence per candidate, so beyond half of this it decodes twice.</summary>
    public const int MaxCandidates = MaxSequences - 1;

    private const int PromptSequence = 0;
    private LlamaContext? _context;
    private int[] _cachedPrompt = [];
    private float[]? _cachedPromptOffset;
    private long _decodedTokens;
    private CancellationToken _cancellation;
    private IProgress<WorkProgress>? _progress;
    private long _generated;
    private long _mostTokens;
    private int _decodeCalls;
    private int _count;
    private string? _exactFallback;
    private string? _mirrorsFailed;
    private string? _noticed;

    public LlamaModel Model { get; } = model;

    /// <summary>Keep the KV cache of the previous prompt's leading part (off only to measure its worth).</summary>
    public bool ReusePromptCache { get; init; } = true;

    /// <summary>Exact steering in one decode per token where possible (off only to measure its worth).</summary>
    public bool OneDecodeExact { get; init; } = true;

    /// <summary>Says how exact steering is computed, the first time and whenever that changes.</summary>
    public event Action<string>? Notice;

    public GenerationStats? LastStats { get; private set; }

    /// <summary>Sees the logits each token is sampled from: (candidate, token index, logits).</summary>
    internal Action<int, int, float[]>? LogitsObserver { get; set; }

    /// <param name="progress">Told of the prefill (prompt tokens in the cache) and the generation (tokens written) as they happen.</param>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<int> prompt, int count, SamplingSettings sampling, SteeringVector? steering = null,
        CancellationToken cancellationToken = default, IProgress<WorkProgress>? progress = null)
    {
        if (prompt.Count == 0)
            throw new GlovUserException("prompt: is empty after tokenisation");
        if (count < 1)
            throw new GlovUserException($"candidates: must be ≥ 1, got {count}");
        if (count > MaxCandidates)
            throw new GlovUserException($"candidates: {count} exceeds llama.cpp's limit of {MaxCandidates} per step (256 sequences, one holds the prompt)");
        CandidateSampler.Validate(sampling);
        if (steering is not null)
            Steering.Validate(Model, steering);
        _count = count;
        _exactFallback = steering?.Mode == SteeringMode.Exact ? OneDecodeUnavailable(steering.Layer, count) : null;
        var mirrors = steering?.Mode == SteeringMode.Exact && _exactFallback is null;
        var context = EnsureContext(prompt.Count + count * (sampling.MaxNewTokens + 1) + (mirrors ? count + 1 : 0), mirrors ? 2 * count + 2 : count + 1);
        _decodedTokens = 0;
        _decodeCalls = 0;
        _cancellation = cancellationToken;
        _progress = progress;
        _generated = 0;
        _mostTokens = (long)count * sampling.MaxNewTokens;
        var samplers = Enumerable.Range(0, count).Select(i => new CandidateSampler(sampling, i)).ToArray();
        try
        {
            var reused = 0;
            var outputs = steering switch
            {
                { Mode: SteeringMode.Recompute } => Recompute(context, prompt, samplers, sampling.MaxNewTokens, steering),
                { CompoundAlpha: true } => OneAfterAnother(context, prompt, samplers, sampling.MaxNewTokens, steering, out reused),
                _ => Batched(context, prompt, samplers, 0, sampling.MaxNewTokens, steering, 0, out reused),
            };
            var exact = steering?.Mode == SteeringMode.Exact ? ExactDescription(steering.Layer) : null;
            LastStats = new GenerationStats(prompt.Count, reused, _decodedTokens, _decodeCalls, outputs.Sum(o => o.Tokens.Count), exact);
            progress?.Report(new WorkProgress(WorkStage.Generate, _generated, _generated, WorkUnit.Tokens));
            if (exact is not null && exact != _noticed)
                Notice?.Invoke(_noticed = exact);
            return outputs.Select(o => new Completion(Model.Detokenize(o.Tokens), prompt.Count, o.Tokens.Count, o.Finish, reused)).ToArray();
        }
        finally
        {
            _progress = null;
            context.SetControlVector(null, 0);
            foreach (var s in samplers)
                s.Dispose();
        }
    }

    public void Dispose() => _context?.Dispose();

    private sealed record Output(List<int> Tokens)
    {
        public FinishReason Finish { get; set; } = FinishReason.Length;
        public bool Done { get; set; }
    }

    /// <summary>The reproduce profile's α compounding counts forward calls over the whole step, all
    /// candidates in order, as the authors' loop generated them one after another; so each candidate
    /// decodes alone and starts where the previous one's calls ended.</summary>
    private Output[] OneAfterAnother(LlamaContext context, IReadOnlyList<int> prompt, CandidateSampler[] samplers, int maxTokens, SteeringVector steering, out int reused)
    {
        var outputs = new Output[samplers.Length];
        var calls = 0;
        reused = 0;
        for (var i = 0; i < samplers.Length; i++)
        {
            outputs[i] = Batched(context, prompt, [samplers[i]], i, maxTokens, steering, calls, out var r)[0];
            reused = i == 0 ? r : reused;
            calls += ForwardCalls(outputs[i]);
        }
        return outputs;
    }

    /// <summary>One forward call per new token, and one more for the end-of-generation token that is not kept.</summary>
    private static int ForwardCalls(Output output) => output.Tokens.Count + (output.Finish == FinishReason.Stop ? 1 : 0);

    /// <param name="firstCandidate">the index of <paramref name="samplers"/>[0] in the step.</param>
    /// <param name="callsBefore">forward calls made earlier in the step (α compounding counts on from them).</param>
    private Output[] Batched(LlamaContext context, IReadOnlyList<int> prompt, CandidateSampler[] samplers, int firstCandidate, int maxTokens,
        SteeringVector? steering, int callsBefore, out int reused)
    {
        var mode = steering?.Mode;
        var layer = steering?.Layer ?? 0;
        float[]? Offset(int call) => steering is null ? null : Steering.OffsetAt(steering, callsBefore + call);
        var p = prompt.Count;

        // The prompt's states are steered only in mode All; a cache built otherwise cannot serve it.
        var promptOffset = mode == SteeringMode.All ? Offset(1) : null;
        reused = ReusePromptCache && SameVector(promptOffset, _cachedPromptOffset)
            ? Math.Min(CommonPrefix(_cachedPrompt, prompt), p - 1)
            : 0;
        RemoveCandidates(context);
        context.RemoveFrom(PromptSequence, reused);
        _cachedPrompt = [];
        _cachedPromptOffset = promptOffset;
        context.SetControlVector(promptOffset, layer);
        // Later candidates of a compounding step find the whole prompt cached: the step's prefill is the first one's.
        var reporting = firstCandidate == 0 ? _progress : null;
        reporting?.Report(new WorkProgress(WorkStage.Prefill, reused, p, WorkUnit.Tokens));
        Prefill(context, prompt, reused, p - 1, PromptSequence, reporting);

        // The last prompt token's forward call yields the first new token: it is a "last position".
        var first = DecodeSteered(context, [(prompt[p - 1], p - 1, PromptSequence)], mode, Offset(1), layer)[0];
        _cachedPrompt = [.. prompt];
        reporting?.Report(new WorkProgress(WorkStage.Prefill, p, p, WorkUnit.Tokens));
        reporting?.Report(new WorkProgress(WorkStage.Generate, 0, _mostTokens, WorkUnit.Tokens));

        var outputs = samplers.Select(_ => new Output([])).ToArray();
        for (var i = 0; i < samplers.Length; i++)
        {
            context.Copy(PromptSequence, i + 1, p);
            Accept(outputs[i], firstCandidate + i, 0, samplers[i].Sample(first), first, maxTokens);
        }

        for (var k = 1; k < maxTokens; k++)
        {
            var active = Enumerable.Range(0, outputs.Length).Where(i => !outputs[i].Done).ToArray();
            if (active.Length == 0)
                break;
            var rows = active.Select(i => (outputs[i].Tokens[^1], p + k - 1, i + 1)).ToArray();
            var logits = DecodeSteered(context, rows, mode, Offset(k + 1), layer);
            for (var j = 0; j < active.Length; j++)
            {
                var i = active[j];
                Accept(outputs[i], firstCandidate + i, k, samplers[i].Sample(logits[j]), logits[j], maxTokens);
            }
        }
        RemoveCandidates(context);
        return outputs;
    }

    /// <summary>Decodes a batch of one newest token per sequence and returns each row's logits. With
    /// Exact, the cache must keep unsteered states as if the offset had only ever touched the position
    /// being predicted from: see <see cref="DecodeMirrored"/>, else the steered rows are removed after
    /// the call and decoded again unsteered.</summary>
    private float[][] DecodeSteered(LlamaContext context, (int Token, int Position, int Sequence)[] rows, SteeringMode? mode, float[]? offset, int layer)
    {
        if (mode == SteeringMode.Exact && _exactFallback is null && DecodeMirrored(context, rows, offset!, layer) is { } mirrored)
            return mirrored;
        var steered = mode is SteeringMode.Exact or SteeringMode.Cached or SteeringMode.All;
        context.SetControlVector(steered ? offset : null, layer);
        Decode(context, Batch(rows, logits: true));
        var logits = Enumerable.Range(0, rows.Length).Select(r => context.Logits(r).ToArray()).ToArray();
        if (mode == SteeringMode.Exact)
        {
            foreach (var r in rows)
                context.RemoveFrom(r.Sequence, r.Position);
            context.SetControlVector(null, layer);
            Decode(context, Batch(rows, logits: false));
        }
        return logits;
    }

    /// <summary>One decode for exact steering: each row twice, unsteered in its own sequence (kept, no
    /// logits) and steered in a mirror sequence that shares the row's earlier cells (logits read, its
    /// cell dropped after the call). Null, with the cache as before, if llama.cpp's graph did not
    /// expose block <paramref name="layer"/>'s output to the callback.</summary>
    private float[][]? DecodeMirrored(LlamaContext context, (int Token, int Position, int Sequence)[] rows, float[] offset, int layer)
    {
        context.SetControlVector(null, layer);
        var batch = new LLamaBatch();
        foreach (var (token, position, sequence) in rows)
        {
            context.Copy(sequence, Mirror(sequence), position);
            batch.Add(token, position, (LLamaSeqId)sequence, false);
            batch.Add(token, position, (LLamaSeqId)Mirror(sequence), true);
        }
        context.SteerRows(offset, layer, Enumerable.Range(0, rows.Length).Select(j => 2 * j + 1));
        var applied = Decode(context, batch);
        var logits = Enumerable.Range(0, rows.Length).Select(j => context.Logits(2 * j + 1).ToArray()).ToArray();
        foreach (var r in rows)
            context.RemoveFrom(Mirror(r.Sequence), 0);
        if (applied == rows.Length)
            return logits;
        foreach (var r in rows)
            context.RemoveFrom(r.Sequence, r.Position);
        _exactFallback = _mirrorsFailed = $"llama.cpp's graph did not show block {layer}'s output (l_out-{layer}) to the eval callback";
        return null;
    }

    private int Mirror(int sequence) => _count + 1 + sequence;

    /// <summary>Why exact steering cannot run in one decode, or null.</summary>
    private string? OneDecodeUnavailable(int layer, int count)
    {
        if (!OneDecodeExact)
            return "turned off (OneDecodeExact)";
        if (_mirrorsFailed is not null)
            return _mirrorsFailed;
        if (layer >= Model.LayerCount - 1)
            return $"block {layer} is the model's last, whose output llama.cpp trims to the rows that need logits";
        if (2 * count + 2 > MaxSequences)
            return $"{count} candidates and their mirrors need {2 * count + 2} llama.cpp sequences, more than its {MaxSequences}";
        return null;
    }

    private string ExactDescription(int layer) => _exactFallback is null
        ? $"exact steering: one decode per token (a steered mirror row per candidate at block {layer})"
        : $"exact steering: two decodes per token (fallback: {_exactFallback})";

    /// <summary>Every sequence but the prompt's, mirrors included (a cancelled step may leave some).</summary>
    private static void RemoveCandidates(LlamaContext context)
    {
        for (var s = 1; s < (int)context.Handle.MaxSeq; s++)
            context.RemoveFrom(s, 0);
    }

    private static LLamaBatch Batch((int Token, int Position, int Sequence)[] rows, bool logits)
    {
        var batch = new LLamaBatch();
        foreach (var r in rows)
            batch.Add(r.Token, r.Position, (LLamaSeqId)r.Sequence, logits);
        return batch;
    }

    /// <summary>The authors' reference: every new token recomputes the candidate's whole sequence from
    /// an empty cache, the offset at its last position only.</summary>
    private Output[] Recompute(LlamaContext context, IReadOnlyList<int> prompt, CandidateSampler[] samplers, int maxTokens, SteeringVector steering)
    {
        var outputs = samplers.Select(_ => new Output([])).ToArray();
        var batch = new LLamaBatch();
        var sequence = samplers.Length; // sequence 0 keeps the cached prompt for later steps
        var calls = 0;
        _progress?.Report(new WorkProgress(WorkStage.Generate, 0, _mostTokens, WorkUnit.Tokens));
        for (var i = 0; i < samplers.Length; calls += ForwardCalls(outputs[i]), i++)
        {
            for (var k = 0; k < maxTokens && !outputs[i].Done; k++)
            {
                var tokens = prompt.Concat(outputs[i].Tokens).ToArray();
                context.RemoveFrom(sequence, 0);
                context.SetControlVector(null, steering.Layer);
                Prefill(context, tokens, 0, tokens.Length - 1, sequence);
                context.SetControlVector(Steering.OffsetAt(steering, calls + k + 1), steering.Layer);
                batch.Clear();
                batch.Add(tokens[^1], tokens.Length - 1, (LLamaSeqId)sequence, true);
                Decode(context, batch);
                var logits = context.Logits(0).ToArray();
                Accept(outputs[i], i, k, samplers[i].Sample(logits), logits, maxTokens);
            }
            context.RemoveFrom(sequence, 0);
        }
        return outputs;
    }

    private void Accept(Output output, int candidate, int index, int token, float[] logits, int maxTokens)
    {
        LogitsObserver?.Invoke(candidate, index, logits);
        if (Model.IsEndOfGeneration(token))
        {
            output.Finish = FinishReason.Stop;
            output.Done = true;
            return;
        }
        output.Tokens.Add(token);
        output.Done = output.Tokens.Count >= maxTokens;
        _generated++;
        _progress?.Report(new WorkProgress(WorkStage.Generate, _generated, _mostTokens, WorkUnit.Tokens));
    }

    private void Prefill(LlamaContext context, IReadOnlyList<int> tokens, int from, int to, int sequence, IProgress<WorkProgress>? progress = null)
    {
        var batch = new LLamaBatch();
        var chunk = (int)context.Handle.BatchSize;
        for (var start = from; start < to; start += chunk)
        {
            batch.Clear();
            var end = Math.Min(to, start + chunk);
            for (var t = start; t < end; t++)
                batch.Add(tokens[t], t, (LLamaSeqId)sequence, false);
            Decode(context, batch);
            progress?.Report(new WorkProgress(WorkStage.Prefill, end, tokens.Count, WorkUnit.Tokens));
        }
    }

    private int Decode(LlamaContext context, LLamaBatch batch)
    {
        _cancellation.ThrowIfCancellationRequested();
        var steered = context.Decode(batch);
        _decodedTokens += batch.TokenCount;
        _decodeCalls++;
        return steered;
    }

    private LlamaContext EnsureContext(int cells, int sequences)
    {
        var wanted = Math.Max(Model.Options.ContextSize ?? 0, cells);
        if (_context is { } c && c.ContextSize >= wanted && c.Handle.MaxSeq >= sequences)
            return c;
        _context?.Dispose();
        _cachedPrompt = [];
        _context = new LlamaContext(Model, Math.Max(sequences, 16), (wanted + 255) / 256 * 256, rowSteering: true);
        return _context;
    }

    private static int CommonPrefix(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var n = 0;
        while (n < a.Count && n < b.Count && a[n] == b[n])
            n++;
        return n;
    }

    private static bool SameVector(float[]? a, float[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
