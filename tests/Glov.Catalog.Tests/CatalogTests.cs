using Glov.Core;
using Glov.Catalog;
using Glov.Catalog.Layouts;

namespace Glov.Catalog.Tests;

public sealed class CatalogTests(GeneratedCatalog generated) : IClassFixture<GeneratedCatalog>
{
    // Class counts from design/datasets.md (ImageNet-A/R: 200 of ImageNet's), CIFAR and Fashion-MNIST from their papers.
    [Theory]
    [InlineData("imagenet", 1000)]
    [InlineData("imagenetv2", 1000)]
    [InlineData("imagenet-sketch", 1000)]
    [InlineData("imagenet-a", 200)]
    [InlineData("imagenet-r", 200)]
    [InlineData("caltech101", 100)]
    [InlineData("oxford-pets", 37)]
    [InlineData("stanford-cars", 196)]
    [InlineData("flowers102", 102)]
    [InlineData("food101", 101)]
    [InlineData("fgvc-aircraft", 100)]
    [InlineData("sun397", 397)]
    [InlineData("dtd", 47)]
    [InlineData("eurosat", 10)]
    [InlineData("ucf101", 101)]
    [InlineData("resisc45", 45)]
    [InlineData("cifar10", 10)]
    [InlineData("cifar100", 100)]
    [InlineData("fashion-mnist", 10)]
    public void Every_generated_dataset_checks_clean_with_the_expected_counts(string name, int classes)
    {
        var entry = DatasetCatalog.Find(name);
        Assert.Equal(classes, entry.ClassCount);
        Assert.True(entry.Classes.Count is 0 || entry.Classes.Count == classes, $"{name}: {entry.Classes.Count} class names listed");

        var report = DatasetCheck.Run(entry, generated.Root);

        Assert.Empty(report.Problems);
        Assert.Equal(classes, report.ClassCount);
        // Four images a class: CoOp-style splits 2/1/1, train/test folders 3/1, the ImageNet variants' seeded
        // 60/20/20 of four is 2/1/1 (all = 4), ImageNetV2 has every image in both splits.
        var expected = entry.Layout switch
        {
            CoOpJsonLayout or FgvcVariantsLayout => new Dictionary<string, int> { ["train"] = 2, ["val"] = 1, ["test"] = 1 },
            ImageNetVariantLayout => new() { ["train"] = 2, ["val"] = 1, ["test"] = 1, ["all"] = 4 },
            ImageNetV2Layout => new() { ["train"] = 4, ["test"] = 4 },
            _ => new() { ["train"] = 3, ["test"] = 1 },
        };
        Assert.Equal(expected.Keys.Order(), report.Splits.Select(s => s.Split).Order());
        foreach (var split in report.Splits)
        {
            Assert.Equal(expected[split.Split] * classes, split.Images);
            Assert.Equal((classes, expected[split.Split], expected[split.Split]), (split.ClassesPresent, split.MinPerClass, split.MaxPerClass));
        }
    }

    [Fact]
    public void Datasets_open_with_the_class_names_of_their_split_files()
    {
        var eurosat = new CatalogDataset(DatasetCatalog.Find("EuroSAT"), generated.Root).Open("train");
        Assert.Equal(["Annual Crop Land", "Forest", "Herbaceous Vegetation Land"], eurosat.ClassNames.Take(3));
        Assert.Equal(20, eurosat.Items.Count);

        var pets = new CatalogDataset(DatasetCatalog.Find("oxford_pets"), generated.Root).Open("test");
        Assert.Equal("american bulldog", pets.ClassNames[1]);
        Assert.Equal("american_bulldog", DatasetCatalog.Find("OxfordPets").Classes[1].Raw);

        var caltech = new CatalogDataset(DatasetCatalog.Find("caltech101"), generated.Root).Open("test");
        Assert.Equal(["face", "leopard", "motorbike", "accordion", "airplane"], caltech.ClassNames.Take(5));

        var cars = new CatalogDataset(DatasetCatalog.Find("stanford-cars"), generated.Root).Open("val");
        Assert.Equal("2000 AM General Hummer SUV", cars.ClassNames[0]);
    }

    [Fact]
    public void ImageNet_A_classes_map_onto_ImageNet_indices_through_classnames_txt()
    {
        var entry = DatasetCatalog.Find("imagenet-a");
        var layout = Assert.IsType<ImageNetVariantLayout>(entry.Layout);
        var indices = layout.ImageNetIndices(entry.PathUnder(generated.Root));
        // The generator keeps every fifth ImageNet class; the map must find exactly those.
        Assert.Equal(Enumerable.Range(0, 200).Select(k => k * 5), indices);
        var dataset = new CatalogDataset(entry, generated.Root).Open("all");
        Assert.Equal(DatasetCatalog.ImageNet.Classes[5].Raw, dataset.ClassNames[1]);
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<GlovUserException>(() => DatasetCatalog.Find("eurosatt"));
        Assert.StartsWith("unknown dataset 'eurosatt' (known: imagenet, imagenetv2,", error.Message);
        Assert.Contains("eurosat", error.Message);
    }

    [Fact]
    public void A_root_without_the_dataset_names_the_folder_it_expected()
    {
        var root = Scratch.NewFolder("empty-root");
        var error = Assert.Throws<GlovUserException>(() => new CatalogDataset(DatasetCatalog.Find("dtd"), root).Open("train"));
        Assert.Equal($"{Path.Combine(root, "dtd")}: DescribableTextures not found under the data root (expected its folder dtd/ there)", error.Message);
        var report = DatasetCheck.Run(DatasetCatalog.Find("dtd"), root);
        Assert.False(report.Ok);
    }
}
