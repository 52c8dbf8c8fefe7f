using SkiaSharp;

namespace Glov.Data;

/// <summary>Decodes JPEG, PNG and the other formats Skia reads into unpremultiplied RGBA (grayscale
/// becomes three equal channels, alpha is carried but ignored downstream, as PIL's convert("RGB") does).</summary>
public static class ImageDecoding
{
    public static DecodedImage Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return new DecodedImage(null, e.Message);
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return new DecodedImage(null, "not a readable image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
            return new DecodedImage(bitmap, null);
        bitmap.Dispose();
        return new DecodedImage(null, $"decoding failed ({result})");
    }
}
