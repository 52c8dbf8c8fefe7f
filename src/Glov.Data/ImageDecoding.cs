using SkiaSharp;

namespace Glov.Data;

/// <summary>Decodes JPEG, PNG and the other formats Skia reads into unpremultiplied RGBA (grayscale
/// becomes three equal channels, alpha is carried but ignored downstream, as PIL's convert("RGB") does).
/// The size is read from the header first: an image over the pixel cap is decoded downscaled where the
/// codec can (JPEG: 1/2, 1/4, 1/8), else refused, so a header claiming 60000×60000 costs nothing.</summary>
public static class ImageDecoding
{
    /// <summary>40 megapixels (160 MB of RGBA): above any photo the scorers need, below what several
    /// decoding threads can hold at once.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>Width and height from the image's header, without decoding its pixels; null when the
    /// file cannot be read or is no image Skia knows.</summary>
    public static (int Width, int Height)? HeaderSize(string path)
    {
        try
        {
            using var codec = SKCodec.Create(path);
            return codec is null ? null : (codec.Info.Width, codec.Info.Height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static DecodedImage Decode(string path, long maxPixels = DefaultMaxPixels)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DecodedImage(null, e.Message);
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return new DecodedImage(null, "not a readable image");
        var size = codec.Info.Size;
        if ((long)size.Width * size.Height > maxPixels)
        {
            var scaled = codec.GetScaledDimensions((float)Math.Sqrt((double)maxPixels / ((long)size.Width * size.Height)));
            if (scaled.Width <= 0 || scaled.Height <= 0 || (long)scaled.Width * scaled.Height > maxPixels)
                return new DecodedImage(null, $"{size.Width}×{size.Height} pixels is more than the cap of {maxPixels} (max_image_pixels)");
            size = scaled;
        }
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is SKCodecResult.Success)
            return new DecodedImage(bitmap, null);
        bitmap.Dispose();
        return new DecodedImage(null, $"decoding failed ({result})");
    }
}
