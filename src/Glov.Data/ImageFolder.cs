using Glov.Core;

namespace Glov.Data;

/// <summary>
/// <c>root/&lt;class&gt;/*.jpg</c>, or with splits <c>root/&lt;split&gt;/&lt;class&gt;/*.jpg</c>. Classes are the
/// folder names in ordinal order; every split must have the same class folders, so labels agree.
/// </summary>
public static class ImageFolder
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp",
    };

    /// <summary>Whether a file name has an image extension this loader reads.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path));

    public static bool Looks(string root) => Directory.Exists(root) && Directory.EnumerateDirectories(root).Any();

    public static ImageDataset Load(string root, string split)
    {
        if (!Directory.Exists(root))
            throw new GlovUserException($"{root}: dataset folder not found");
        var splitRoot = Path.Combine(root, split);
        var hasSplits = Directory.Exists(splitRoot);
        if (!hasSplits && Directory.EnumerateDirectories(root).Select(Path.GetFileName).Any(n => n is "train" or "val" or "test"))
            throw new GlovUserException($"{root}: split \"{split}\" not found (the folder has split folders but no {split}/)");
        var imageRoot = hasSplits ? splitRoot : root;
        var folders = ClassFolders(imageRoot);
        if (hasSplits)
            CheckSiblingSplits(root, split, folders);
        var overrides = ClassNames.ReadOverrides(root);
        if (overrides is not null)
        {
            var missing = overrides.Keys.Where(c => !folders.Contains(c, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
                throw new GlovUserException($"{imageRoot}: class folder \"{missing[0]}\" listed in classnames.txt is missing");
        }
        if (folders.Count == 0)
            throw new GlovUserException($"{imageRoot}: no class folders");

        var items = new List<LabelledImage>();
        for (var label = 0; label < folders.Count; label++)
        {
            var classFolder = Path.Combine(imageRoot, folders[label]);
            foreach (var file in Directory.EnumerateFiles(classFolder).Where(IsImage).Order(StringComparer.Ordinal))
                items.Add(new ImageFile(Path.GetRelativePath(root, file), label, file));
        }
        var names = folders.Select(f => overrides?.GetValueOrDefault(f) ?? ClassNames.Clean(f)).ToList();
        return new ImageDataset(DatasetKey.Of("imagefolder", root), split, names, items);
    }

    private static List<string> ClassFolders(string folder) =>
        Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();

    private static void CheckSiblingSplits(string root, string split, List<string> folders)
    {
        foreach (var sibling in Directory.EnumerateDirectories(root).Where(d => Path.GetFileName(d) != split))
        {
            var other = ClassFolders(sibling);
            // Only sibling folders that are themselves splits (they hold class folders) take part.
            if (other.Count == 0 || !other.Intersect(folders).Any())
                continue;
            var missing = other.Except(folders).FirstOrDefault();
            if (missing is not null)
                throw new GlovUserException($"{Path.Combine(root, split)}: class folder \"{missing}\" is missing (it exists in {Path.GetFileName(sibling)})");
        }
    }
}
