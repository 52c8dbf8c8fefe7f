using Glov.Catalog;

namespace Glov.Catalog.Tests;

/// <summary>Every catalog dataset generated once, four images per class, under one data root the tests only read.</summary>
public sealed class GeneratedCatalog : IDisposable
{
    public const int PerClass = 4;

    public string Root { get; } = Scratch.NewFolder("catalog");

    public GeneratedCatalog() => CatalogFixture.Write(Root, DatasetCatalog.All, PerClass);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

internal static class Scratch
{
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "glov-datasets-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
