using Glov.Data;
using Glov.Catalog;

namespace Glov.Cli.Composition;

/// <summary>Where a fitness reads its images: <c>fitness.dataset</c> (a path), else the config's catalog dataset.</summary>
/// <param name="Label">How messages name it: the path, or the catalog dataset's folder.</param>
public sealed record DatasetSource(string Label, Func<string, ImageDataset> Open)
{
    public static DatasetSource Read(Config.ConfigSection section, CompositionContext context, string expected)
    {
        if (section.GetPath("dataset", context.BaseDirectory, mustExist: true) is { } path)
            return new DatasetSource(path, split => Datasets.Open(path, split, warning => Console.Error.WriteLine($"glov: warning: {warning}")));
        if (context.Catalog is { } catalog)
            return new DatasetSource(catalog.Folder, catalog.Open);
        throw section.Error("dataset", $"missing (required): {expected}, or a catalog dataset as dataset: {{name:, root:}}");
    }
}
