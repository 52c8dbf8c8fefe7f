using Glov.LlamaCpp.Engine;
using LLama.Native;

namespace Glov.Bench.Llama;

/// <summary>The least llama.cpp must do for one step: prefill once, share it across the candidate
/// sequences, decode them together with greedy picks. No sampler chain, no bookkeeping.</summary>
internal static class Floor
{
    public static int Run(LlamaModel model, int[] prompt, int candidates, int tokens)
    {
        using var context = new LlamaContext(model, candidates + 1, prompt.Length + candidates * (tokens + 1) + 256);
        var batch = new LLamaBatch();
        for (var start = 0; start < prompt.Length - 1; start += (int)context.Handle.BatchSize)
        {
            batch.Clear();
            for (var t = start; t < Math.Min(prompt.Length - 1, start + (int)context.Handle.BatchSize); t++)
                batch.Add(prompt[t], t, (LLamaSeqId)0, false);
            context.Decode(batch);
        }
        batch.Clear();
        batch.Add(prompt[^1], prompt.Length - 1, (LLamaSeqId)0, true);
        context.Decode(batch);
        var first = ArgMax(context.Logits(0));
        var last = new int[candidates];
        for (var i = 0; i < candidates; i++)
        {
            context.Copy(0, i + 1, prompt.Length);
            last[i] = first;
        }
        var generated = candidates;
        for (var k = 1; k < tokens; k++)
        {
            batch.Clear();
            for (var i = 0; i < candidates; i++)
                batch.Add(last[i], prompt.Length + k - 1, (LLamaSeqId)(i + 1), true);
            context.Decode(batch);
            for (var i = 0; i < candidates; i++)
                last[i] = ArgMax(context.Logits(i));
            generated += candidates;
        }
        return generated;
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best])
                best = i;
        return best;
    }
}
