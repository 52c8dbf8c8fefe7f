namespace Glov.Catalog.Layouts;

/// <summary>One on-disk convention for a dataset (a CoOp split JSON, FGVC's variant lists, ImageNet's WordNet-id
/// folders, …): reads a dataset folder into splits, and writes a tiny dataset of the same shape for tests.</summary>
public interface IDatasetLayout
{
    /// <summary>The splits this layout provides, e.g. train, val, test.</summary>
    IReadOnlyList<string> Splits { get; }

    /// <summary>Where the files are and which file defines the splits, for <c>glov datasets list</c>.</summary>
    string Describe();

    DatasetScan Scan(string folder);

    /// <summary>Writes <paramref name="perClass"/> images for every class in the layout's real file and folder
    /// format (split files included) into <paramref name="folder"/>.</summary>
    void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images);
}
