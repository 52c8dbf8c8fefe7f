namespace Glov.Catalog.Layouts;

/// <summary>
/// ImageNet's <c>classnames.txt</c> as CoOp ships it: one line per class, "WordNet-id class name", in ImageNet's
/// label order (sorted ids). The ImageNet variants carry the same file, so a WordNet id's line number is its
/// ImageNet class index, which is how ImageNet-A/R's 200 classes map onto ImageNet's 1000.
/// </summary>
public sealed record WordNetNames(IReadOnlyList<string> Ids, IReadOnlyList<string> Names)
{
    public const string FileName = "classnames.txt";

    public int IndexOf(string id) => _index.Value.GetValueOrDefault(id, -1);

    private readonly Lazy<Dictionary<string, int>> _index = new(() => Ids.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal));

    /// <summary>Reads <c>folder/classnames.txt</c>; null (and a problem) when it is missing or malformed.</summary>
    public static WordNetNames? Read(string folder, List<string> problems)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            problems.Add($"{path}: missing (one \"wnid class name\" line per class)");
            return null;
        }
        var ids = new List<string>();
        var names = new List<string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0)
                continue;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                problems.Add($"{path}:{number}: expected \"wnid class name\"");
                return null;
            }
            ids.Add(text[..space]);
            names.Add(text[(space + 1)..].Trim());
        }
        return new WordNetNames(ids, names);
    }

    public static void Write(string folder, IReadOnlyList<string> ids, IReadOnlyList<ClassName> classes) =>
        File.WriteAllLines(Path.Combine(folder, FileName), ids.Select((id, i) => $"{id} {classes[i].Raw}"));
}
