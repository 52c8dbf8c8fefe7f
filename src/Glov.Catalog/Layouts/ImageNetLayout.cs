using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// ImageNet as the authors' loader reads it: <c>classnames.txt</c> (<see cref="WordNetNames"/>) and one folder
/// per WordNet id under <c>train/</c> and <c>val/</c>; the official validation set (50,000 images) is the test
/// split. Labels follow classnames.txt.
/// </summary>
public sealed class ImageNetLayout : IDatasetLayout
{
    private static readonly (string Split, string Dir)[] Folders = [("train", "train"), ("test", "val")];

    public IReadOnlyList<string> Splits => ["train", "test"];

    public string Describe() => "train/<wnid>/, val/<wnid>/ (the test split) + classnames.txt";

    public DatasetScan Scan(string folder)
    {
        var problems = new List<string>();
        var names = WordNetNames.Read(folder, problems);
        if (names is null)
            return DatasetScan.Failed(problems[0]);
        var splits = new Dictionary<string, IReadOnlyList<LabelledImage>>(StringComparer.Ordinal);
        foreach (var (split, dir) in Folders)
            splits[split] = ClassFolders.Read(folder, Path.Combine(folder, dir), names.Ids, problems).SelectMany(c => c).ToList<LabelledImage>();
        return new DatasetScan(names.Names, splits, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        var ids = FixtureWordNetIds(classes.Count);
        Directory.CreateDirectory(folder);
        WordNetNames.Write(folder, ids, classes);
        for (var label = 0; label < classes.Count; label++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var dir = FixtureSplit.Of(i, perClass, hasVal: false) == "test" ? "val" : "train";
                images.Write(Path.Combine(folder, dir, ids[label], $"{ids[label]}_{i + 1}.JPEG"), label, i);
            }
        }
    }

    /// <summary>Generated datasets use made-up WordNet ids in the real format, sorted like the labels (n00000000, …).</summary>
    public static IReadOnlyList<string> FixtureWordNetIds(int count) =>
        Enumerable.Range(0, count).Select(i => $"n{i:D8}").ToList();
}
