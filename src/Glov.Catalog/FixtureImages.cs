using SkiaSharp;

namespace Glov.Catalog;

/// <summary>
/// Tiny images for generated datasets: an 8×8 picture per (class, item) whose colour follows the class and
/// whose pattern follows the item, so images differ and decode as real JPEG/PNG files would. Seeded: the same
/// seed writes the same bytes.
/// </summary>
public sealed class FixtureImages(int seed = 0, int size = 8)
{
    public int Size => size;

    public byte[] Jpeg(int label, int item) => Encode(label, item, SKEncodedImageFormat.Jpeg);

    public byte[] Png(int label, int item) => Encode(label, item, SKEncodedImageFormat.Png);

    /// <summary>Writes the image in the format the file's extension names (.png, else JPEG).</summary>
    public void Write(string path, int label, int item)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? Png(label, item) : Jpeg(label, item));
    }

    /// <summary>Grayscale pixels (row-major, one byte each) for the IDX format.</summary>
    public byte[] Gray(int label, int item, int width, int height)
    {
        var random = new Random(HashCode(label, item));
        var pixels = new byte[width * height];
        random.NextBytes(pixels);
        return pixels;
    }

    private byte[] Encode(int label, int item, SKEncodedImageFormat format)
    {
        var random = new Random(HashCode(label, item));
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var baseColour = new[] { (byte)(label * 37 % 256), (byte)(label * 91 % 256), (byte)(label * 153 % 256) };
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var jitter = random.Next(64);
                bitmap.SetPixel(x, y, new SKColor((byte)(baseColour[0] ^ jitter), (byte)(baseColour[1] ^ jitter), (byte)(baseColour[2] ^ jitter)));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private int HashCode(int label, int item) => unchecked(seed * 1_000_003 + label * 7919 + item);
}
