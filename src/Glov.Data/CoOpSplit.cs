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
    public static bool Looks(string path) => File.Exists(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public static ImageDataset Load(string splitFile, string split, string? imageRoot = null)
    {
        if (!File.Exists(splitFile))
            throw new GlovUserException($"{splitFile}: split file not found");
        imageRoot ??= DefaultImageRoot(splitFile);
        var entries = new List<(string Path, int Label, string Name)>();
        var names = new SortedDictionary<int, string>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(splitFile));
            foreach (var part in doc.RootElement.EnumerateObject())
            {
                foreach (var row in part.Value.EnumerateArray())
                {
                    if (row.GetArrayLength() < 3)
                        throw new GlovUserException($"{splitFile}: {part.Name} entry {row} is not [path, label, classname]");
                    var entry = (row[0].GetString()!, row[1].GetInt32(), row[2].GetString()!);
                    if (entry.Item2 < 0)
                        throw new GlovUserException($"{splitFile}: {part.Name} entry {row}: label {entry.Item2} is negative");
                    // Every split names classes, so labels stay consistent whichever split is read.
                    names.TryAdd(entry.Item2, entry.Item3);
                    if (part.Name == split)
                        entries.Add(entry);
                }
            }
            if (!doc.RootElement.TryGetProperty(split, out _))
                throw new GlovUserException($"{splitFile}: no \"{split}\" split (has {string.Join(", ", doc.RootElement.EnumerateObject().Select(p => p.Name))})");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new GlovUserException($"{splitFile}: malformed split file ({e.Message})", e);
        }

        var classCount = names.Count == 0 ? 0 : names.Keys.Max() + 1;
        var classNames = Enumerable.Range(0, classCount)
            .Select(i => names.TryGetValue(i, out var n) ? ClassNames.Clean(n) : throw new GlovUserException($"{splitFile}: no entry names class {i}"))
            .ToList();
        var items = entries.Select(e => (LabelledImage)new ImageFile(e.Path, e.Label, DatasetPaths.Inside(imageRoot, e.Path, splitFile))).ToList();
        return new ImageDataset(DatasetKey.Of("coop", splitFile), split, classNames, items);
    }

    private static string DefaultImageRoot(string splitFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(splitFile))!;
        var images = Path.Combine(folder, "images");
        return Directory.Exists(images) ? images : folder;
    }
}
