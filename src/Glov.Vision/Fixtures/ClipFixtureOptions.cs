namespace Glov.Vision.Fixtures;

/// <summary>What the fixture generator writes. <paramref name="BpeMergesPath"/> is CLIP's original merges
/// file, from which the real 49,408-token vocabulary is built.</summary>
public sealed record ClipFixtureOptions(string BpeMergesPath, FixtureSize Size = FixtureSize.Tiny, ulong Seed = 20241008)
{
    /// <summary>One <c>onnx/model.onnx</c> holding both towers, as CLIPModel exports, instead of two files.</summary>
    public bool Combined { get; init; }

    /// <summary>False fixes the text input at the full context (no dynamic sequence axis), as some exports do.</summary>
    public bool DynamicSequence { get; init; } = true;

    /// <summary>False leaves the text tower without an attention_mask input, as some exports do.</summary>
    public bool AttentionMask { get; init; } = true;

    /// <summary>Writes only the text tower (the vision tower of ViT-B/32 size adds ~350 MB).</summary>
    public bool TextOnly { get; init; }
}
