using System.Text.Json;
using Glov.Core;

namespace Glov.Data;

/// <summary>
/// CoOp's split file: <c>{"train": [[relative_path, label, classname], …], "val": …, "test": …}</c>,
/// paths relative to the image folder (by default the folder holding the JSON, or its <c>images/</c>).
/// Class names come from the file; every path must stay inside the image folder.
/// </summary>
public static class CoOpSplit
{
    /// <summary>One row of a split: the image path relative to the image folder, its label and class name.</summary>
    public sealed record Entry(string Path, int Label, string ClassName);

    /// <summary>A parsed split file: its rows per split and the raw class names in label order.</summary>
    public sealed record SplitFile(IReadOnlyDictionary<string, IReadOnlyList<Entry>> Parts, IReadOnlyList<string> RawClassNames);

    public static bool Looks(string path) => File.Exists(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public static ImageDataset Load(string splitFile, string split, string? imageRoot = null)
    {
        var file = Read(splitFile);
        if (!file.Parts.TryGetValue(split, out var entries))
            throw new GlovUserException($"{splitFile}: no \"{split}\" split (has {string.Join(", ", file.Parts.Keys)})");
        imageRoot ??= DefaultImageRoot(splitFile);
        var items = entries.Select(e => (LabelledImage)new ImageFile(e.Path, e.Label, DatasetPaths.Inside(imageRoot, e.Path, splitFile))).ToList();
        return new ImageDataset(DatasetKey.Of("coop", splitFile), split, file.RawClassNames.Select(ClassNames.Clean).ToList(), items);
    }

    public static SplitFile Read(string splitFile)
    {
        if (!File.Exists(splitFile))
            throw new GlovUserException($"{splitFile}: split file not found");
        var parts = new Dictionary<string, IReadOnlyList<Entry>>(StringComparer.Ordinal);
        var names = new SortedDictionary<int, string>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(splitFile));
            foreach (var part in doc.RootElement.EnumerateObject())
            {
                var entries = new List<Entry>();
                foreach (var row in part.Value.EnumerateArray())
                {
                    if (row.GetArrayLength() < 3)
                        throw new GlovUserException($"{splitFile}: {part.Name} entry {row} is not [path, label, classname]");
                    var entry = new Entry(row[0].GetString()!, row[1].GetInt32(), row[2].GetString()!);
                    if (entry.Label < 0)
                        throw new GlovUserException($"{splitFile}: {part.Name} entry {row} has a negative label");
                    // Every split names classes, so labels stay consistent whichever split is read.
                    names.TryAdd(entry.Label, entry.ClassName);
                    entries.Add(entry);
                }
                parts[part.Name] = entries;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new GlovUserException($"{splitFile}: malformed split file ({e.Message})", e);
        }

        var classCount = names.Count == 0 ? 0 : names.Keys.Max() + 1;
        var rawNames = Enumerable.Range(0, classCount)
            .Select(i => names.TryGetValue(i, out var n) ? n : throw new GlovUserException($"{splitFile}: no entry names class {i}"))
            .ToList();
        return new SplitFile(parts, rawNames);
    }

    private static string DefaultImageRoot(string splitFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(splitFile))!;
        var images = Path.Combine(folder, "images");
        return Directory.Exists(images) ? images : folder;
    }
}
