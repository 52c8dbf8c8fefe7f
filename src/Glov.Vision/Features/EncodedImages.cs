using Glov.Data;

namespace Glov.Vision.Features;

/// <summary>A split's images as L2-normalised features, with the images that could not be read.</summary>
public sealed record EncodedImages(IReadOnlyList<LabelledImage> Items, IReadOnlyList<float[]> Features, IReadOnlyList<SkippedImage> Skipped);

public sealed record SkippedImage(string Id, string Reason);

/// <summary>Images done of all, for progress displays.</summary>
public readonly record struct EncodingProgress(int Done, int Total);
