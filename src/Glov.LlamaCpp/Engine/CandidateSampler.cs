using Glov.Core;
using Glov.Core.Proposing;
using LLama.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>One candidate's llama.cpp sampler chain (top-k → top-p → temperature → seeded draw, or
/// greedy at temperature 0), seeded from the step seed and the candidate index so that a candidate's
/// text depends on neither the batch nor the other candidates.</summary>
internal sealed class CandidateSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private LLamaTokenData[] _candidates = [];

    public CandidateSampler(SamplingSettings s, int candidate)
    {
        Validate(s);
        _chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (s.Temperature == 0)
        {
            _chain.AddGreedySampler();
            return;
        }
        if (s.TopK > 0)
            _chain.AddTopK(s.TopK);
        if (s.TopP < 1)
            _chain.AddTopP((float)s.TopP, 1);
        _chain.AddTemperature((float)s.Temperature);
        _chain.AddDistributionSampler(CandidateSeed(s.Seed, candidate));
    }

    public int Sample(float[] logits)
    {
        if (_candidates.Length != logits.Length)
            _candidates = new LLamaTokenData[logits.Length];
        var array = LLamaTokenDataArray.Create(logits, _candidates);
        using (LLamaTokenDataArrayNative.Create(array, out var native))
        {
            _chain.Apply(ref native);
            var token = native.Data[(int)native.Selected].ID;
            _chain.Accept(token);
            return (int)token;
        }
    }

    public void Dispose() => _chain.Dispose();

    public static void Validate(SamplingSettings s)
    {
        if (!(s.Temperature >= 0) || double.IsInfinity(s.Temperature))
            throw new GlovUserException($"temperature: must be a finite number ≥ 0, got {s.Temperature}");
        if (!(s.TopP > 0 && s.TopP <= 1))
            throw new GlovUserException($"top-p: must be in (0, 1], got {s.TopP}");
        if (s.TopK < 0)
            throw new GlovUserException($"top-k: must be ≥ 0 (0 = off), got {s.TopK}");
        if (s.MaxNewTokens < 1)
            throw new GlovUserException($"max tokens: must be ≥ 1, got {s.MaxNewTokens}");
    }

    // SplitMix64 finaliser: well-spread 32-bit seeds from (step seed, candidate).
    private static uint CandidateSeed(ulong seed, int candidate)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(candidate + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)(z ^ (z >> 31));
    }
}
