using System.Buffers.Binary;
using System.IO.Hashing;
using Glov.Core;
using Glov.Core.Files;
using SkiaSharp;

namespace Glov.Data;

/// <summary>One image of a dataset with its class index. <see cref="Id"/> is stable across runs
/// (a path relative to the dataset root, or an index into an IDX file) and names it in picks files and
/// messages; <see cref="ContentKey"/> identifies its pixels and keys the feature cache.</summary>
public abstract record LabelledImage(string Id, int Label)
{
    /// <summary>The pixels as unpremultiplied RGBA, or null with the reason when they cannot be read;
    /// images over <paramref name="maxPixels"/> are decoded downscaled where the codec allows, else refused.</summary>
    public abstract DecodedImage Decode(long maxPixels = ImageDecoding.DefaultMaxPixels);

    /// <summary>A fingerprint of the encoded image, so a replaced file is never taken for the old one;
    /// null when it cannot be read (decoding then reports why).</summary>
    public abstract string? ContentKey();

    /// <summary>The files its pixels and label are read from: a run fingerprints them into its manifest,
    /// so a resume notices when one has changed.</summary>
    public abstract IReadOnlyList<string> SourceFiles { get; }
}

public sealed record DecodedImage(SKBitmap? Bitmap, string? Error);

public sealed record ImageFile(string Id, int Label, string Path) : LabelledImage(Id, Label)
{
    public override DecodedImage Decode(long maxPixels = ImageDecoding.DefaultMaxPixels) => ImageDecoding.Decode(Path, maxPixels);

    public override IReadOnlyList<string> SourceFiles => [Path];

    public override string? ContentKey()
    {
        try
        {
            return FileFingerprint.Of(Path);
        }
        catch (GlovUserException)
        {
            return null;
        }
    }
}

/// <summary>An 8-bit grayscale image held in memory (MNIST-family IDX files), read from <paramref name="Sources"/>
/// (the images file and the labels file).</summary>
public sealed record GrayPixels(string Id, int Label, int Width, int Height, ReadOnlyMemory<byte> Pixels, IReadOnlyList<string> Sources) : LabelledImage(Id, Label)
{
    public override IReadOnlyList<string> SourceFiles => Sources;

    /// <summary>IDX images are small by format (MNIST: 28×28); the cap does not apply.</summary>
    public override DecodedImage Decode(long maxPixels = ImageDecoding.DefaultMaxPixels)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        Pixels.Span.CopyTo(bitmap.GetPixelSpan());
        return new DecodedImage(bitmap, null);
    }

    public override string? ContentKey()
    {
        var hash = new XxHash128();
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(size, Width);
        BinaryPrimitives.WriteInt32LittleEndian(size[4..], Height);
        hash.Append(size);
        hash.Append(Pixels.Span);
        return "gray8:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
