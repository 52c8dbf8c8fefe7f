using Glov.Data;

namespace Glov.Catalog;

/// <summary>Image counts of one split: total, classes with at least one image, and the fewest and most per class.</summary>
public sealed record SplitCounts(string Split, int Images, int ClassesPresent, int MinPerClass, int MaxPerClass, IReadOnlyList<int> PerClass);

/// <summary>The result of checking one dataset: counts per split and class, and every problem found.</summary>
public sealed record DatasetReport(CatalogEntry Entry, string Folder, int ClassCount, IReadOnlyList<SplitCounts> Splits, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// <c>glov datasets check</c>: reads a dataset's split files and folders, decodes every image, and reports counts
/// per split and class plus every problem (missing or unreadable files, empty class folders, paths leaving the
/// dataset folder, a class count other than the catalog's).
/// </summary>
public static class DatasetCheck
{
    public static DatasetReport Run(CatalogEntry entry, string root, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var folder = entry.PathUnder(root);
        if (!Directory.Exists(folder))
            return new DatasetReport(entry, folder, 0, [], [$"{folder}: not found (expected {entry.Title} in {entry.Folder}/ under the data root)"]);
        var scan = entry.Layout.Scan(folder);
        var problems = new List<string>(scan.Problems);
        if (scan.ClassNames.Count > 0 && scan.ClassNames.Count != entry.ClassCount)
            problems.Add($"{folder}: {scan.ClassNames.Count} classes, expected {entry.ClassCount}");

        // A split may repeat another's images (ImageNetV2: train = test; "all"): decode each file once.
        var distinct = scan.Splits.Values.SelectMany(s => s).DistinctBy(i => i.Id).ToList();
        var unreadable = new System.Collections.Concurrent.ConcurrentBag<string>();
        var done = 0;
        Parallel.ForEach(distinct, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
        {
            var decoded = item.Decode();
            decoded.Bitmap?.Dispose();
            if (decoded.Error is { } error)
                unreadable.Add($"{(item is ImageFile f ? f.Path : item.Id)}: unreadable image ({error})");
            var count = Interlocked.Increment(ref done);
            if (count % 256 == 0 || count == distinct.Count)
                progress?.Report((count, distinct.Count));
        });
        problems.AddRange(unreadable.Order(StringComparer.Ordinal));

        var splits = scan.Splits.Select(p => Count(p.Key, p.Value, scan.ClassNames.Count)).ToList();
        return new DatasetReport(entry, folder, scan.ClassNames.Count, splits, problems);
    }

    private static SplitCounts Count(string split, IReadOnlyList<LabelledImage> items, int classCount)
    {
        var perClass = new int[classCount];
        foreach (var item in items.Where(i => i.Label < classCount))
            perClass[item.Label]++;
        return new SplitCounts(split, items.Count, perClass.Count(c => c > 0),
            classCount == 0 ? 0 : perClass.Min(), classCount == 0 ? 0 : perClass.Max(), perClass);
    }
}
