namespace Glov.Vision.Fixtures;

/// <summary>How big the generated dual encoder is.</summary>
public enum FixtureSize
{
    /// <summary>A few thousand weights per layer: fast enough for unit tests.</summary>
    Tiny,

    /// <summary>CLIP ViT-B/32's shapes (text: width 512, 12 layers, 8 heads; vision: width 768, 12 layers,
    /// 12 heads, 32-pixel patches of 224×224 images): realistic cost for benchmarks.</summary>
    VitB32,
}

/// <summary>One encoder's shape.</summary>
public sealed record TowerShape(int Width, int Layers, int Heads);

/// <summary>The dual encoder's shapes; <see cref="Of"/> gives the preset for a size.</summary>
public sealed record FixtureShape(TowerShape Text, TowerShape Vision, int ProjectionDim, int ContextLength, int ImageSize, int PatchSize)
{
    public static FixtureShape Of(FixtureSize size) => size switch
    {
        FixtureSize.Tiny => new(new TowerShape(32, 2, 4), new TowerShape(32, 2, 4), 16, 77, 32, 8),
        FixtureSize.VitB32 => new(new TowerShape(512, 12, 8), new TowerShape(768, 12, 12), 512, 77, 224, 32),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };
}
