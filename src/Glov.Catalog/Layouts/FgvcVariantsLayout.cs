using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>
/// FGVC-Aircraft's own files: <c>variants.txt</c> (one class per line, label order) and
/// <c>images_variant_{train,val,test}.txt</c> ("image-id variant name" per line) naming <c>images/&lt;id&gt;.jpg</c>.
/// </summary>
public sealed class FgvcVariantsLayout : IDatasetLayout
{
    private const string VariantsFile = "variants.txt";

    public IReadOnlyList<string> Splits => ["train", "val", "test"];

    public string Describe() => $"images/ + {VariantsFile}, images_variant_{{train,val,test}}.txt";

    public DatasetScan Scan(string folder)
    {
        var variantsPath = Path.Combine(folder, VariantsFile);
        if (!File.Exists(variantsPath))
            return DatasetScan.Failed($"{variantsPath}: missing (one aircraft variant per line)");
        var variants = File.ReadLines(variantsPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var labels = variants.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
        var problems = new List<string>();
        var splits = new Dictionary<string, IReadOnlyList<LabelledImage>>(StringComparer.Ordinal);
        foreach (var split in Splits)
        {
            var listPath = Path.Combine(folder, $"images_variant_{split}.txt");
            if (!File.Exists(listPath))
            {
                problems.Add($"{listPath}: split file is missing");
                continue;
            }
            var items = new List<LabelledImage>();
            var number = 0;
            foreach (var line in File.ReadLines(listPath))
            {
                number++;
                var text = line.Trim();
                if (text.Length == 0)
                    continue;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                var id = space < 0 ? text : text[..space];
                var variant = space < 0 ? "" : text[(space + 1)..];
                if (!labels.TryGetValue(variant, out var label))
                {
                    problems.Add($"{listPath}:{number}: variant \"{variant}\" is not in {VariantsFile}");
                    continue;
                }
                string full;
                try
                {
                    full = DatasetPaths.Inside(Path.Combine(folder, "images"), id + ".jpg", listPath);
                }
                catch (Glov.Core.GlovUserException e)
                {
                    problems.Add(e.Message);
                    continue;
                }
                if (!File.Exists(full))
                    problems.Add($"{listPath}:{number}: names images/{id}.jpg, which is not there");
                else
                    items.Add(new ImageFile(Path.GetRelativePath(folder, full), label, full));
            }
            splits[split] = items;
        }
        return new DatasetScan(variants, splits, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, VariantsFile), classes.Select(c => c.Raw));
        var lines = Splits.ToDictionary(s => s, _ => new List<string>());
        var id = 1_000_000;
        for (var label = 0; label < classes.Count; label++)
        {
            for (var i = 0; i < perClass; i++, id++)
            {
                images.Write(Path.Combine(folder, "images", $"{id}.jpg"), label, i);
                lines[FixtureSplit.Of(i, perClass, hasVal: true)].Add($"{id} {classes[label].Raw}");
            }
        }
        foreach (var (split, content) in lines)
            File.WriteAllLines(Path.Combine(folder, $"images_variant_{split}.txt"), content);
    }
}
