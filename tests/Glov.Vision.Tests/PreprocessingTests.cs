using Glov.Data;
using Glov.Vision.Preprocessing;
using SkiaSharp;

namespace Glov.Vision.Tests;

public class PreprocessingTests
{
    private static readonly float[] Mean = PreprocessorConfig.ClipMean;
    private static readonly float[] Std = PreprocessorConfig.ClipStd;

    private static PreprocessorConfig Clip(int size) => new() { ShortestEdge = size, CropSize = (size, size) };

    private static SKBitmap Image(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        return bitmap;
    }

    private static float Expected(int value, int channel) => (value / 255f - Mean[channel]) / Std[channel];

    [Fact]
    public void Tall_image_is_centre_cropped_channel_first_and_normalised()
    {
        // 4 wide, 7 tall: the short side is already 4, so only the crop acts: rows ⌊(7 − 4)/2⌋ = 1 … 4.
        using var image = Image(4, 7, (x, y) => ((byte)(10 * x + y), (byte)(100 + y), (byte)(200 + x)));
        var tensor = new ImagePreprocessor(Clip(4)).ToTensor(image);
        Assert.Equal(3 * 4 * 4, tensor.Length);
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 4; x++)
            {
                Assert.Equal(Expected(10 * x + y + 1, 0), tensor[0 * 16 + y * 4 + x], 5);
                Assert.Equal(Expected(100 + y + 1, 1), tensor[1 * 16 + y * 4 + x], 5);
                Assert.Equal(Expected(200 + x, 2), tensor[2 * 16 + y * 4 + x], 5);
            }
        // Worked by hand: red 1 at the crop's top-left → (1/255 − 0.48145466) / 0.26862954.
        Assert.Equal(-1.777664f, tensor[0], 5);
    }

    [Fact]
    public void Shorter_side_is_resized_and_the_long_side_keeps_the_aspect_ratio()
    {
        var preprocessor = new ImagePreprocessor(Clip(224));
        Assert.Equal((224, 298), preprocessor.ResizedSize(480, 640));
        Assert.Equal((336, 224), preprocessor.ResizedSize(300, 200));
        Assert.Equal((224, 224), preprocessor.ResizedSize(32, 32));
    }

    [Fact]
    public void Uniform_colour_survives_bicubic_resize_exactly()
    {
        using var image = Image(20, 10, (_, _) => (40, 120, 250));
        var tensor = new ImagePreprocessor(Clip(4)).ToTensor(image);
        for (var c = 0; c < 3; c++)
            Assert.All(tensor.AsSpan(c * 16, 16).ToArray(), v => Assert.Equal(Expected(new[] { 40, 120, 250 }[c], c), v, 5));
    }

    /// <summary>Against bicubic interpolation computed here from its definition (Keys' kernel, a = −0.5,
    /// pixel centres at half-integers, edges clamped). PIL's BICUBIC uses the same kernel but rounds to
    /// 8 bits between its horizontal and vertical passes, so on this high-contrast image it differs by
    /// up to 20 levels from both.</summary>
    [Fact]
    public void Bicubic_upscale_matches_the_keys_kernel()
    {
        (byte, byte, byte)[,] pixels =
        {
            { (10, 200, 30), (60, 90, 250), (250, 250, 250), (0, 0, 0) },
            { (120, 30, 80), (5, 5, 5), (200, 100, 50), (90, 180, 20) },
            { (255, 0, 0), (0, 255, 0), (0, 0, 255), (128, 128, 128) },
            { (40, 40, 40), (80, 160, 240), (240, 160, 80), (30, 60, 90) },
        };
        static double Kernel(double x)
        {
            x = Math.Abs(x);
            return x < 1 ? 1.5 * x * x * x - 2.5 * x * x + 1 : x < 2 ? -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2 : 0;
        }
        double Reference(int outX, int outY, int channel)
        {
            double sx = (outX + 0.5) / 2 - 0.5, sy = (outY + 0.5) / 2 - 0.5, sum = 0;
            for (var iy = (int)Math.Floor(sy) - 1; iy <= (int)Math.Floor(sy) + 2; iy++)
                for (var ix = (int)Math.Floor(sx) - 1; ix <= (int)Math.Floor(sx) + 2; ix++)
                {
                    var p = pixels[Math.Clamp(iy, 0, 3), Math.Clamp(ix, 0, 3)];
                    sum += (channel == 0 ? p.Item1 : channel == 1 ? p.Item2 : p.Item3) * Kernel(sy - iy) * Kernel(sx - ix);
                }
            return Math.Clamp(sum, 0, 255);
        }

        using var image = Image(4, 4, (x, y) => pixels[y, x]);
        var config = Clip(8) with { DoNormalize = false, RescaleFactor = 1f };
        var tensor = new ImagePreprocessor(config).ToTensor(image);
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                for (var c = 0; c < 3; c++)
                    Assert.InRange(tensor[c * 64 + y * 8 + x], Reference(x, y, c) - 1, Reference(x, y, c) + 1);
    }

    [Fact]
    public void Grayscale_png_becomes_three_equal_channels()
    {
        var folder = Assets.NewScratchFolder("gray");
        var path = Path.Combine(folder, "gray.png");
        using (var gray = new SKBitmap(new SKImageInfo(2, 2, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            gray.GetPixelSpan()[0] = 0;
            gray.GetPixelSpan()[1] = 64;
            gray.GetPixelSpan()[2] = 128;
            gray.GetPixelSpan()[3] = 255;
            using var file = File.Create(path);
            gray.Encode(file, SKEncodedImageFormat.Png, 100);
        }
        var decoded = ImageDecoding.Decode(path);
        Assert.Null(decoded.Error);
        using var bitmap = decoded.Bitmap!;
        var tensor = new ImagePreprocessor(Clip(2)).ToTensor(bitmap);
        int[] values = [0, 64, 128, 255];
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < 4; i++)
                Assert.Equal(Expected(values[i], c), tensor[c * 4 + i], 5);
    }

    [Fact]
    public void Hugging_face_config_forms_are_read()
    {
        var folder = Assets.NewScratchFolder("preprocessor");
        var path = Path.Combine(folder, "preprocessor_config.json");
        File.WriteAllText(path, """{"crop_size": {"height": 256, "width": 256}, "size": {"shortest_edge": 288}, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "rescale_factor": 0.00392156862745098}""");
        var config = PreprocessorConfig.Load(path);
        Assert.Equal(288, config.ShortestEdge);
        Assert.Equal((256, 256), config.CropSize);
        Assert.Equal([0.5f, 0.5f, 0.5f], config.Mean);

        File.WriteAllText(path, """{"do_center_crop": false, "size": {"height": 224, "width": 224}}""");
        config = PreprocessorConfig.Load(path);
        Assert.Equal((224, 224), config.OutputSize);
        Assert.Equal((224, 224), new ImagePreprocessor(config).ResizedSize(100, 300));

        File.WriteAllText(path, """{"image_mean": [0.5, 0.5]}""");
        var error = Assert.Throws<Glov.Core.GlovUserException>(() => PreprocessorConfig.Load(path));
        Assert.StartsWith(path, error.Message);
    }
}
