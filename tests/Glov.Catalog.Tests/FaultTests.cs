using System.Text.Json.Nodes;
using Glov.Catalog;

namespace Glov.Catalog.Tests;

/// <summary>Each fault injected into a freshly generated dataset is found by the check, with the file it concerns.</summary>
public sealed class FaultTests
{
    private static (CatalogEntry Entry, string Root, string Folder) Generate(string name)
    {
        var root = Scratch.NewFolder("fault");
        var entry = DatasetCatalog.Find(name);
        CatalogFixture.Write(root, [entry], perClass: 4);
        Assert.True(DatasetCheck.Run(entry, root).Ok);
        return (entry, root, entry.PathUnder(root));
    }

    private static string OnlyProblem(CatalogEntry entry, string root)
    {
        var report = DatasetCheck.Run(entry, root);
        return Assert.Single(report.Problems);
    }

    [Fact]
    public void A_missing_split_file_is_found()
    {
        var (entry, root, folder) = Generate("eurosat");
        File.Delete(Path.Combine(folder, "split_zhou_EuroSAT.json"));
        Assert.Equal($"{Path.Combine(folder, "split_zhou_EuroSAT.json")}: split file is missing", OnlyProblem(entry, root));
    }

    [Fact]
    public void A_split_file_naming_a_file_that_is_not_there_is_found()
    {
        var (entry, root, folder) = Generate("eurosat");
        File.Delete(Path.Combine(folder, "2750", "Forest", "Forest_4.jpg"));
        Assert.Equal($"{Path.Combine(folder, "split_zhou_EuroSAT.json")}: test names Forest/Forest_4.jpg, which is not there", OnlyProblem(entry, root));
    }

    [Fact]
    public void A_path_leaving_the_dataset_folder_is_found()
    {
        var (entry, root, folder) = Generate("dtd");
        var splitFile = Path.Combine(folder, "split_zhou_DescribableTextures.json");
        var split = JsonNode.Parse(File.ReadAllText(splitFile))!.AsObject();
        split["train"]!.AsArray()[0]![0] = "../../etc/passwd";
        File.WriteAllText(splitFile, split.ToJsonString());
        Assert.Equal($"{splitFile}: path \"../../etc/passwd\" leaves the dataset root {Path.Combine(folder, "images")}", OnlyProblem(entry, root));
    }

    [Fact]
    public void A_corrupt_jpeg_is_found()
    {
        var (entry, root, folder) = Generate("food101");
        var image = Path.Combine(folder, "images", "apple_pie", "apple_pie_1.jpg");
        var bytes = File.ReadAllBytes(image);
        File.WriteAllBytes(image, bytes[..(bytes.Length / 2)]);
        Assert.StartsWith($"{image}: unreadable image (", OnlyProblem(entry, root));
    }

    [Fact]
    public void An_empty_class_folder_is_found()
    {
        var (entry, root, folder) = Generate("cifar10");
        var classFolder = Path.Combine(folder, "train", "cat");
        foreach (var file in Directory.GetFiles(classFolder))
            File.Delete(file);
        Assert.Equal($"{classFolder}: class folder is empty", OnlyProblem(entry, root));
    }

    [Fact]
    public void A_wrong_class_count_is_found()
    {
        var (entry, root, folder) = Generate("cifar10");
        Directory.Delete(Path.Combine(folder, "train", "truck"), recursive: true);
        Directory.Delete(Path.Combine(folder, "test", "truck"), recursive: true);
        Assert.Equal($"{folder}: 9 classes, expected 10", OnlyProblem(entry, root));
    }

    [Fact]
    public void An_empty_ImageNet_class_folder_is_found_and_loading_stops_at_it()
    {
        var (entry, root, folder) = Generate("imagenet-r");
        var classFolder = Directory.GetDirectories(Path.Combine(folder, "imagenet-r")).Order(StringComparer.Ordinal).First();
        foreach (var file in Directory.GetFiles(classFolder))
            File.Delete(file);
        Assert.Equal($"{classFolder}: class folder is empty", OnlyProblem(entry, root));
        var error = Assert.Throws<Glov.Core.GlovUserException>(() => new CatalogDataset(entry, root).Open("train"));
        Assert.StartsWith($"{classFolder}: class folder is empty (glov datasets check --root {root} imagenet-r", error.Message);
    }
}
