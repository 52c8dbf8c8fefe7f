using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// ImageNetV2 (matched frequency): folders <c>0</c> … <c>999</c> named by ImageNet label under one image folder,
/// class names from <c>classnames.txt</c> beside it. It has no train split: train and test are the same images,
/// and a run uses prompts found on ImageNet (transfer).
/// </summary>
public sealed class ImageNetV2Layout(string imageDir) : IDatasetLayout
{
    public IReadOnlyList<string> Splits => ["train", "test"];

    public string Describe() => $"{imageDir}/<0..999>/ + classnames.txt (train = test = every image)";

    public DatasetScan Scan(string folder)
    {
        var problems = new List<string>();
        var names = WordNetNames.Read(folder, problems);
        if (names is null)
            return DatasetScan.Failed(problems[0]);
        var folders = Enumerable.Range(0, names.Ids.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var all = ClassFolders.Read(folder, Path.Combine(folder, imageDir), folders, problems).SelectMany(c => c).ToList<LabelledImage>();
        return new DatasetScan(names.Names, new Dictionary<string, IReadOnlyList<LabelledImage>> { ["train"] = all, ["test"] = all }, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        Directory.CreateDirectory(folder);
        WordNetNames.Write(folder, ImageNetLayout.FixtureWordNetIds(classes.Count), classes);
        for (var label = 0; label < classes.Count; label++)
            for (var i = 0; i < perClass; i++)
                images.Write(Path.Combine(folder, imageDir, label.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{label}_{i + 1}.jpeg"), label, i);
    }
}
