namespace Glov.LlamaCpp.Conversion;

/// <summary>The shape of a llama-architecture decoder.</summary>
public sealed record LlamaHyperParameters(
    int Dim,
    int HiddenDim,
    int Layers,
    int Heads,
    int KvHeads,
    int VocabSize,
    int ContextLength,
    float RmsEpsilon = 1e-5f,
    float RopeBase = 10000f)
{
    public int HeadSize => Dim / Heads;

    public int KvDim => Dim * KvHeads / Heads;
}
