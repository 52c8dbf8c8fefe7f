using Glov.Core;
using Glov.Data;
using SkiaSharp;

namespace Glov.Vision.Tests.Data;

public class DatasetFormatTests
{
    internal static void WritePng(string path, SKColor colour, int size = 8)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(colour);
        using var file = File.Create(path);
        bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
    }

    [Fact]
    public void Image_folder_without_splits_uses_sorted_folders_and_clean_names()
    {
        var root = Assets.NewScratchFolder("flat");
        WritePng(Path.Combine(root, "002.sea_lion", "b.png"), SKColors.Red);
        WritePng(Path.Combine(root, "002.sea_lion", "a.png"), SKColors.Red);
        WritePng(Path.Combine(root, "001.Black_footed_Albatross", "x.png"), SKColors.Blue);
        var dataset = ImageFolder.Load(root, "test");
        Assert.Equal(["Black footed Albatross", "sea lion"], dataset.ClassNames);
        Assert.Equal([Path.Combine("001.Black_footed_Albatross", "x.png"), Path.Combine("002.sea_lion", "a.png"), Path.Combine("002.sea_lion", "b.png")], dataset.Items.Select(i => i.Id));
        Assert.Equal([0, 1, 1], dataset.Items.Select(i => i.Label));
    }

    [Fact]
    public void Missing_class_folder_in_a_split_is_refused()
    {
        var root = Assets.NewScratchFolder("missing-class");
        WritePng(Path.Combine(root, "train", "cat", "0.png"), SKColors.Red);
        WritePng(Path.Combine(root, "train", "dog", "0.png"), SKColors.Red);
        WritePng(Path.Combine(root, "test", "cat", "0.png"), SKColors.Red);
        var error = Assert.Throws<GlovUserException>(() => ImageFolder.Load(root, "test"));
        Assert.Equal($"{Path.Combine(root, "test")}: class folder \"dog\" is missing (it exists in train)", error.Message);
    }

    [Fact]
    public void Class_listed_in_classnames_txt_without_a_folder_is_refused()
    {
        var root = Assets.NewScratchFolder("classnames");
        WritePng(Path.Combine(root, "cat", "0.png"), SKColors.Red);
        File.WriteAllLines(Path.Combine(root, "classnames.txt"), ["cat tabby cat", "dog golden retriever"]);
        var error = Assert.Throws<GlovUserException>(() => ImageFolder.Load(root, "test"));
        Assert.Contains("class folder \"dog\"", error.Message);
    }

    [Fact]
    public void Unknown_split_of_a_split_folder_is_refused()
    {
        var error = Assert.Throws<GlovUserException>(() => Datasets.Open(Assets.Cifar10, "val"));
        Assert.Contains("split \"val\" not found", error.Message);
    }

    [Fact]
    public void CoOp_split_json_loads_labels_and_names()
    {
        var root = Assets.NewScratchFolder("coop");
        WritePng(Path.Combine(root, "images", "a", "1.png"), SKColors.Red);
        WritePng(Path.Combine(root, "images", "b", "2.png"), SKColors.Blue);
        WritePng(Path.Combine(root, "images", "b", "3.png"), SKColors.Blue);
        var split = Path.Combine(root, "split_zhou_Toy.json");
        File.WriteAllText(split, """
            {"train": [["a/1.png", 0, "golden_retriever"], ["b/2.png", 1, "sea_lion"]],
             "val": [],
             "test": [["b/3.png", 1, "sea_lion"], ["a/1.png", 0, "golden_retriever"]]}
            """);
        var test = Datasets.Open(root, "test");
        Assert.Equal(["golden retriever", "sea lion"], test.ClassNames);
        Assert.Equal(["b/3.png", "a/1.png"], test.Items.Select(i => i.Id));
        Assert.Equal([1, 0], test.Items.Select(i => i.Label));
        Assert.Equal(Path.Combine(root, "images", "b", "3.png"), ((ImageFile)test.Items[0]).Path);
        Assert.Equal(2, CoOpSplit.Load(split, "train").Items.Count);
    }

    [Theory]
    [InlineData("../outside.png")]
    [InlineData("a/../../outside.png")]
    [InlineData("/etc/passwd")]
    public void CoOp_split_paths_leaving_the_root_are_refused(string path)
    {
        var root = Assets.NewScratchFolder("coop-escape");
        var split = Path.Combine(root, "split.json");
        File.WriteAllText(split, $$"""{"test": [["{{path}}", 0, "cat"]]}""");
        var error = Assert.Throws<GlovUserException>(() => CoOpSplit.Load(split, "test"));
        Assert.StartsWith($"{split}: path \"{path}\" leaves the dataset root", error.Message);
    }

    [Fact]
    public void A_negative_label_in_a_split_file_is_a_user_error_naming_it()
    {
        var root = Assets.NewScratchFolder("coop-negative");
        WritePng(Path.Combine(root, "a.png"), SKColors.Red);
        WritePng(Path.Combine(root, "b.png"), SKColors.Blue);
        var split = Path.Combine(root, "split.json");
        File.WriteAllText(split, """{"test": [["a.png", 0, "cat"], ["b.png", 1, "dog"], ["b.png", -1, "ghost"]]}""");

        var error = Assert.Throws<GlovUserException>(() => Datasets.Open(split, "test"));

        Assert.StartsWith($"{split}: test entry [\"b.png\", -1, \"ghost\"] has a negative label", error.Message);
    }

    [Fact]
    public void A_one_class_dataset_is_refused_and_an_empty_class_folder_is_warned_about()
    {
        var single = Assets.NewScratchFolder("one-class");
        WritePng(Path.Combine(single, "test", "cat", "a.png"), SKColors.Red);
        var gap = Assets.NewScratchFolder("empty-class");
        WritePng(Path.Combine(gap, "test", "cat", "a.png"), SKColors.Red);
        WritePng(Path.Combine(gap, "test", "dog", "b.png"), SKColors.Blue);
        Directory.CreateDirectory(Path.Combine(gap, "test", "emu"));
        var warnings = new List<string>();

        var error = Assert.Throws<GlovUserException>(() => Datasets.Open(single, "test"));
        var opened = Datasets.Open(gap, "test", warnings.Add);

        Assert.Equal($"{single}: 1 class(es) in split \"test\"; classification needs at least 2", error.Message);
        Assert.Equal(3, opened.ClassNames.Count);
        Assert.Equal([$"{gap}: class \"emu\" has no images in split \"test\""], warnings);
    }

    [Fact]
    public void Malformed_split_json_is_a_one_line_user_error()
    {
        var root = Assets.NewScratchFolder("coop-bad");
        var split = Path.Combine(root, "split.json");
        File.WriteAllText(split, """{"test": [["a.png", "zero", "cat"]]}""");
        var error = Assert.Throws<GlovUserException>(() => CoOpSplit.Load(split, "test"));
        Assert.StartsWith($"{split}: malformed split file", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("sea_lion", "sea lion")]
    [InlineData("001.Black_footed_Albatross", "Black footed Albatross")]
    [InlineData("  Ankle   boot ", "Ankle boot")]
    [InlineData("T-shirt/top", "T-shirt/top")]
    [InlineData("7", "7")]
    [InlineData("1950s_car", "1950s car")]
    [InlineData("2012 Tesla Model S Sedan", "2012 Tesla Model S Sedan")]
    [InlineData("707-320", "707-320")]
    public void Class_names_are_cleaned(string raw, string expected) => Assert.Equal(expected, ClassNames.Clean(raw));
}
