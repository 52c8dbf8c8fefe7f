using SkiaSharp;

namespace Glov.Data;

/// <summary>One image of a dataset with its class index. <see cref="Id"/> is stable across runs
/// (a path relative to the dataset root, or an index into an IDX file) and keys the feature cache.</summary>
public abstract record LabelledImage(string Id, int Label)
{
    /// <summary>The pixels as unpremultiplied RGBA, or null with the reason when they cannot be read.</summary>
    public abstract DecodedImage Decode();
}

public sealed record DecodedImage(SKBitmap? Bitmap, string? Error);

public sealed record ImageFile(string Id, int Label, string Path) : LabelledImage(Id, Label)
{
    public override DecodedImage Decode() => ImageDecoding.Decode(Path);
}

/// <summary>An 8-bit grayscale image held in memory (MNIST-family IDX files).</summary>
public sealed record GrayPixels(string Id, int Label, int Width, int Height, ReadOnlyMemory<byte> Pixels) : LabelledImage(Id, Label)
{
    public override DecodedImage Decode()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        Pixels.Span.CopyTo(bitmap.GetPixelSpan());
        return new DecodedImage(bitmap, null);
    }
}
