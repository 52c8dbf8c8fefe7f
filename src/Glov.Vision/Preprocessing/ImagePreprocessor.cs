using SkiaSharp;

namespace Glov.Vision.Preprocessing;

/// <summary>
/// Turns a decoded image into the encoder's channel-first float tensor: RGB (grayscale replicated, alpha
/// dropped), the configured resize with Catmull-Rom bicubic filtering (PIL's bicubic kernel; PIL
/// additionally widens it when shrinking), centre crop (top-left at ⌊(size − crop)/2⌋, zero padding
/// when the image is smaller), rescale, per-channel normalisation.
/// </summary>
public sealed class ImagePreprocessor(PreprocessorConfig config)
{
    public PreprocessorConfig Config { get; } = config;

    public (int Height, int Width) OutputSize => Config.OutputSize;

    public int OutputLength => 3 * OutputSize.Height * OutputSize.Width;

    /// <summary>Writes 3 × height × width floats (R plane, G plane, B plane) into <paramref name="destination"/>.</summary>
    public void Write(SKBitmap image, Span<float> destination)
    {
        using var rgba = image.ColorType == SKColorType.Rgba8888 ? null : image.Copy(SKColorType.Rgba8888);
        var source = rgba ?? image;
        var (height, width) = ResizedSize(source.Height, source.Width);
        using var resized = height == source.Height && width == source.Width
            ? null
            : source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.CatmullRom));
        var pixels = (resized ?? source).GetPixelSpan();

        var (outHeight, outWidth) = OutputSize;
        var top = Config.DoCenterCrop ? (int)Math.Floor((height - outHeight) / 2.0) : 0;
        var left = Config.DoCenterCrop ? (int)Math.Floor((width - outWidth) / 2.0) : 0;
        var plane = outHeight * outWidth;
        for (var channel = 0; channel < 3; channel++)
        {
            var scale = Config.DoRescale ? Config.RescaleFactor : 1f;
            var mean = Config.DoNormalize ? Config.Mean[channel] : 0f;
            var std = Config.DoNormalize ? Config.Std[channel] : 1f;
            var output = destination.Slice(channel * plane, plane);
            for (var y = 0; y < outHeight; y++)
            {
                var sy = y + top;
                for (var x = 0; x < outWidth; x++)
                {
                    var sx = x + left;
                    var value = sy >= 0 && sy < height && sx >= 0 && sx < width ? pixels[(sy * width + sx) * 4 + channel] * scale : 0f;
                    output[y * outWidth + x] = (value - mean) / std;
                }
            }
        }
    }

    public float[] ToTensor(SKBitmap image)
    {
        var tensor = new float[OutputLength];
        Write(image, tensor);
        return tensor;
    }

    /// <summary>Hugging Face's rule: the shorter side becomes the edge, the longer keeps the aspect ratio (truncated).</summary>
    public (int Height, int Width) ResizedSize(int height, int width)
    {
        if (!Config.DoResize)
            return (height, width);
        if (Config.ResizeTo is { } exact)
            return exact;
        var edge = Config.ShortestEdge!.Value;
        return height <= width
            ? (edge, (int)((long)edge * width / height))
            : ((int)((long)edge * height / width), edge);
    }
}
