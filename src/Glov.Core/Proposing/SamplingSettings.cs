namespace Glov.Core.Proposing;

/// <summary>The paper's best sampling settings are the defaults (method.md §1).</summary>
public sealed record SamplingSettings
{
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 0.9;
    public int TopK { get; init; } = 50;
    public int MaxNewTokens { get; init; } = 50;
    public ulong Seed { get; init; }
}
