using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>Reads one folder of images per class, reporting missing and empty class folders as problems.</summary>
internal static class ClassFolders
{
    /// <summary>The images of each class folder, in label order; a missing or empty folder adds a problem and no images.</summary>
    public static List<List<ImageFile>> Read(string datasetFolder, string imageDir, IReadOnlyList<string> folders, List<string> problems)
    {
        var result = new List<List<ImageFile>>(folders.Count);
        for (var label = 0; label < folders.Count; label++)
        {
            var dir = Path.Combine(imageDir, folders[label]);
            var images = new List<ImageFile>();
            if (!Directory.Exists(dir))
                problems.Add($"{dir}: class folder is missing");
            else
            {
                images.AddRange(Images(dir).Select(f => new ImageFile(Path.GetRelativePath(datasetFolder, f), label, f)));
                if (images.Count == 0)
                    problems.Add($"{dir}: class folder is empty");
            }
            result.Add(images);
        }
        return result;
    }

    /// <summary>Sub-folder names in ordinal order, hidden ones left out.</summary>
    public static List<string> Names(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
        : [];

    public static IEnumerable<string> Images(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => ImageFolder.IsImage(f) && !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);
}
