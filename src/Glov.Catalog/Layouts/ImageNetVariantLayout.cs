using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// ImageNet-Sketch, -A and -R: one folder per WordNet id under an image folder, and ImageNet's
/// <c>classnames.txt</c> beside it. The classes are the folders present (A and R hold 200 of ImageNet's 1,000);
/// a folder's line in classnames.txt is its ImageNet class index (<see cref="ImageNetIndices"/>). The datasets
/// have no splits of their own: as the authors do, 60/20/20 train/val/test, here per class and seeded by the
/// WordNet id so it never changes; <c>all</c> is the full set.
/// </summary>
public sealed class ImageNetVariantLayout(string imageDir, int fixtureClasses) : IDatasetLayout
{
    public IReadOnlyList<string> Splits => ["train", "val", "test", "all"];

    public string Describe() => $"{imageDir}/<wnid>/ + classnames.txt (seeded 60/20/20 train/val/test per class; all = every image)";

    public DatasetScan Scan(string folder)
    {
        var problems = new List<string>();
        var names = WordNetNames.Read(folder, problems);
        if (names is null)
            return DatasetScan.Failed(problems[0]);
        var imageRoot = Path.Combine(folder, imageDir);
        if (!Directory.Exists(imageRoot))
            return DatasetScan.Failed($"{imageRoot}: image folder is missing");
        var folders = ClassFolders.Names(imageRoot);
        foreach (var unknown in folders.Where(f => names.IndexOf(f) < 0))
            problems.Add($"{Path.Combine(imageRoot, unknown)}: \"{unknown}\" is not a WordNet id in {WordNetNames.FileName}");
        folders = folders.Where(f => names.IndexOf(f) >= 0).ToList();
        var splits = Splits.ToDictionary(s => s, _ => new List<LabelledImage>(), StringComparer.Ordinal);
        var perClass = ClassFolders.Read(folder, imageRoot, folders, problems);
        for (var label = 0; label < folders.Count; label++)
        {
            var pool = perClass[label].ToArray();
            new Random(StableSeed(folders[label])).Shuffle(pool);
            var train = (int)Math.Round(0.6 * pool.Length);
            var val = (int)Math.Round(0.2 * pool.Length);
            splits["train"].AddRange(pool[..train]);
            splits["val"].AddRange(pool[train..(train + val)]);
            splits["test"].AddRange(pool[(train + val)..]);
            splits["all"].AddRange(perClass[label]);
        }
        var classNames = folders.Select(f => names.Names[names.IndexOf(f)]).ToList();
        return new DatasetScan(classNames, splits.ToDictionary(p => p.Key, p => (IReadOnlyList<LabelledImage>)p.Value), problems);
    }

    /// <summary>For each class (label order), its index among ImageNet's classes; null when the folder cannot be read.</summary>
    public IReadOnlyList<int>? ImageNetIndices(string folder)
    {
        var names = WordNetNames.Read(folder, []);
        return names is null ? null : ClassFolders.Names(Path.Combine(folder, imageDir)).Select(names.IndexOf).Where(i => i >= 0).ToList();
    }

    /// <param name="classes">ImageNet's classes: the generated dataset keeps <c>fixtureClasses</c> of them, evenly spaced.</param>
    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        var ids = ImageNetLayout.FixtureWordNetIds(classes.Count);
        Directory.CreateDirectory(folder);
        WordNetNames.Write(folder, ids, classes);
        for (var k = 0; k < fixtureClasses; k++)
        {
            var label = k * classes.Count / fixtureClasses;
            for (var i = 0; i < perClass; i++)
                images.Write(Path.Combine(folder, imageDir, ids[label], $"{ids[label]}_{i + 1}.jpg"), k, i);
        }
    }

    /// <summary>FNV-1a of the WordNet id: a split that does not depend on which other folders exist.</summary>
    private static int StableSeed(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
            hash = unchecked((hash ^ c) * 16777619u);
        return (int)(hash & int.MaxValue);
    }
}
