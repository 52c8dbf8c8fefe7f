using Glov.Core;
using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// CoOp's <c>split_zhou_*.json</c> (<see cref="CoOpSplit"/>) beside an image folder: <c>folder/splitFile</c> names
/// every image of train, val and test relative to <c>folder/imageDir</c> ("" = the dataset folder itself, as
/// for Stanford Cars). With <paramref name="flat"/> the generated images lie directly in the image folder
/// (Oxford Pets, Flowers, Cars), otherwise one folder per class.
/// </summary>
public sealed class CoOpJsonLayout(string imageDir, string splitFile, bool flat = false) : IDatasetLayout
{
    public IReadOnlyList<string> Splits => ["train", "val", "test"];

    public string Describe() => $"{(imageDir.Length == 0 ? "." : imageDir)}/ + {splitFile} (CoOp split JSON)";

    public DatasetScan Scan(string folder)
    {
        var path = Path.Combine(folder, splitFile);
        if (!File.Exists(path))
            return DatasetScan.Failed($"{path}: split file is missing");
        CoOpSplit.SplitFile file;
        try
        {
            file = CoOpSplit.Read(path);
        }
        catch (GlovUserException e)
        {
            return DatasetScan.Failed(e.Message);
        }
        var imageRoot = Path.Combine(folder, imageDir);
        var problems = new List<string>();
        var splits = new Dictionary<string, IReadOnlyList<LabelledImage>>(StringComparer.Ordinal);
        foreach (var split in Splits)
        {
            if (!file.Parts.TryGetValue(split, out var entries))
            {
                problems.Add($"{path}: no \"{split}\" split");
                continue;
            }
            var items = new List<LabelledImage>(entries.Count);
            foreach (var entry in entries)
            {
                string full;
                try
                {
                    full = DatasetPaths.Inside(imageRoot, entry.Path, path);
                }
                catch (GlovUserException e)
                {
                    problems.Add(e.Message);
                    continue;
                }
                if (!File.Exists(full))
                    problems.Add($"{path}: {split} names {entry.Path}, which is not there");
                else
                    items.Add(new ImageFile(Path.GetRelativePath(folder, full), entry.Label, full));
            }
            splits[split] = items;
        }
        return new DatasetScan(file.RawClassNames.Select(ClassNames.Clean).ToList(), splits, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        var parts = Splits.ToDictionary(s => s, _ => new List<object[]>());
        for (var label = 0; label < classes.Count; label++)
        {
            var stem = classes[label].Raw.Replace(' ', '_').Replace('/', '_');
            for (var i = 0; i < perClass; i++)
            {
                var relative = flat ? $"{stem}_{i + 1}.jpg" : $"{stem}/{stem}_{i + 1}.jpg";
                images.Write(Path.Combine(folder, imageDir, relative), label, i);
                parts[FixtureSplit.Of(i, perClass, hasVal: true)].Add([relative, label, classes[label].Raw]);
            }
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, splitFile), System.Text.Json.JsonSerializer.Serialize(parts));
    }
}
