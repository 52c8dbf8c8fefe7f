using Glov.Data;

namespace Glov.Vision.Tests.Data;

/// <summary>Loaders on real data. Pixel literals were read with PIL (CIFAR-10 JPEG) and with Python's gzip
/// module from the raw IDX bytes (Fashion-MNIST), outside this code.</summary>
public class RealDatasetTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] Cifar10Classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    [Fact]
    public void Cifar10_test_split_has_ten_classes_of_a_thousand()
    {
        var dataset = Datasets.Open(Assets.Cifar10, "test");
        Assert.Equal(Cifar10Classes, dataset.ClassNames);
        Assert.Equal(10_000, dataset.Items.Count);
        Assert.All(dataset.CountPerClass(), n => Assert.Equal(1000, n));
        var cat = dataset.Items.Single(i => i.Id == Path.Combine("test", "cat", "0000.jpg"));
        Assert.Equal(3, cat.Label);
    }

    [Fact]
    public void Cifar10_train_split_has_a_hundred_per_class() =>
        Assert.All(Datasets.Open(Assets.Cifar10, "train").CountPerClass(), n => Assert.Equal(100, n));

    [Fact]
    public void Cifar10_jpeg_decodes_to_the_pixels_pil_reads()
    {
        var dataset = Datasets.Open(Assets.Cifar10, "test");
        var decoded = dataset.Items.Single(i => i.Id == Path.Combine("test", "airplane", "0000.jpg")).Decode();
        using var bitmap = decoded.Bitmap!;
        Assert.Equal((32, 32), (bitmap.Width, bitmap.Height));
        AssertPixel(bitmap, 0, 0, 141, 159, 179);
        AssertPixel(bitmap, 16, 16, 207, 203, 218);
        AssertPixel(bitmap, 31, 5, 184, 197, 203);
    }

    [Fact]
    public void Fashion_mnist_idx_files_load_with_labels_names_and_pixels()
    {
        Assert.True(Directory.Exists(FashionMnist), $"{FashionMnist} is missing: install the Debian package dataset-fashion-mnist (scripts/test.sh does)");
        var test = Datasets.Open(FashionMnist, "test");
        Assert.Equal(10_000, test.Items.Count);
        Assert.Equal(IdxDataset.FashionClasses, test.ClassNames);
        Assert.Equal([9, 2, 1, 1, 6], test.Items.Take(5).Select(i => i.Label));
        Assert.All(test.CountPerClass(), n => Assert.Equal(1000, n));
        using var bitmap = test.Items[0].Decode().Bitmap!;
        Assert.Equal((28, 28), (bitmap.Width, bitmap.Height));
        byte[] row14 = [0, 0, 0, 0, 0, 0, 2, 4, 1, 0, 0, 0, 98, 136, 110, 109, 110, 162, 135, 144, 149, 159, 167, 144, 158, 169, 119, 0];
        for (var x = 0; x < 28; x++)
            Assert.Equal(row14[x], bitmap.GetPixel(x, 14).Red);

        // Through the preprocessor (no resize at 28, no crop): the gray level in all three channels.
        var preprocessor = new Glov.Vision.Preprocessing.ImagePreprocessor(new() { ShortestEdge = 28, CropSize = (28, 28) });
        var tensor = preprocessor.ToTensor(bitmap);
        for (var c = 0; c < 3; c++)
            Assert.Equal((row14[13] / 255f - Glov.Vision.Preprocessing.PreprocessorConfig.ClipMean[c]) / Glov.Vision.Preprocessing.PreprocessorConfig.ClipStd[c], tensor[c * 784 + 14 * 28 + 13], 5);

        var train = IdxDataset.Load(FashionMnist, "train");
        Assert.Equal(60_000, train.Items.Count);
        Assert.Equal([9, 0, 0, 3, 0], train.Items.Take(5).Select(i => i.Label));
    }

    private static void AssertPixel(SkiaSharp.SKBitmap bitmap, int x, int y, int r, int g, int b)
    {
        var pixel = bitmap.GetPixel(x, y);
        // Both decoders are libjpeg-turbo builds; allow one level for IDCT and upsampling variants.
        Assert.InRange(pixel.Red, r - 1, r + 1);
        Assert.InRange(pixel.Green, g - 1, g + 1);
        Assert.InRange(pixel.Blue, b - 1, b + 1);
    }
}
