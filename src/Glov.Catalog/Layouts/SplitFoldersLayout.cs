using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// An ImageFolder with split folders, <c>train/&lt;class&gt;/</c> and <c>test/&lt;class&gt;/</c> (CIFAR as torchvision
/// exports it, and the workplace copy of CIFAR-10). The classes are train's folders; test must have each of them.
/// </summary>
public sealed class SplitFoldersLayout : IDatasetLayout
{
    public IReadOnlyList<string> Splits => ["train", "test"];

    public string Describe() => "train/<class>/, test/<class>/";

    public DatasetScan Scan(string folder)
    {
        var folders = ClassFolders.Names(Path.Combine(folder, "train"));
        if (folders.Count == 0)
            return DatasetScan.Failed($"{Path.Combine(folder, "train")}: no class folders");
        var problems = new List<string>();
        var splits = Splits.ToDictionary(s => s,
            s => (IReadOnlyList<LabelledImage>)ClassFolders.Read(folder, Path.Combine(folder, s), folders, problems).SelectMany(c => c).ToList<LabelledImage>(),
            StringComparer.Ordinal);
        return new DatasetScan(folders.Select(ClassNames.Clean).ToList(), splits, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        for (var label = 0; label < classes.Count; label++)
            for (var i = 0; i < perClass; i++)
                images.Write(Path.Combine(folder, FixtureSplit.Of(i, perClass, hasVal: false), classes[label].Raw, $"{i + 1}.png"), label, i);
    }
}
