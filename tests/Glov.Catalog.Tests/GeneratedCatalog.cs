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

/// <summary>Folders under one per-process temporary folder, removed when the test host exits.</summary>
internal static class Scratch
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), $"glov-catalog-tests-{Environment.ProcessId}");

    static Scratch() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (Directory.Exists(Base))
            Directory.Delete(Base, recursive: true);
    };

    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Base, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
