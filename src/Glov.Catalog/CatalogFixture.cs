namespace Glov.Catalog;

/// <summary>
/// Writes catalog datasets in their real on-disk layout and split-file format, with a few tiny images per
/// class, under a data root: every loader and <c>glov datasets check</c> then runs without the real data
/// (tests, demos, a grid on stand-ins). ImageNet's WordNet ids are made up in the real format; ImageNet-A/R keep
/// evenly spaced classes of ImageNet's.
/// </summary>
public static class CatalogFixture
{
    public static void Write(string root, IEnumerable<CatalogEntry> entries, int perClass, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var images = new FixtureImages(seed);
        foreach (var entry in entries)
            entry.Layout.WriteFixture(entry.PathUnder(root), entry.Classes.Count > 0 ? entry.Classes : DatasetCatalog.ImageNet.Classes, perClass, images);
    }
}
