using Glov.Core;
using Glov.Data;

namespace Glov.Catalog;

/// <summary>A catalog dataset under a data root: <c>dataset: {name: eurosat, root: /data}</c> in a config.</summary>
public sealed record CatalogDataset(CatalogEntry Entry, string Root)
{
    public string Folder => Entry.PathUnder(Root);

    /// <summary>Reads one split; the first problem the layout meets (a missing folder, a bad split file) is the error.</summary>
    public ImageDataset Open(string split)
    {
        if (!Directory.Exists(Folder))
            throw new GlovUserException($"{Folder}: {Entry.Title} not found under the data root (expected its folder {Entry.Folder}/ there)");
        if (!Entry.Layout.Splits.Contains(split))
            throw new GlovUserException($"{Entry.Title} has the splits {string.Join(", ", Entry.Layout.Splits)}, not \"{split}\"");
        var scan = Entry.Layout.Scan(Folder);
        if (scan.Problems.Count > 0)
            throw new GlovUserException($"{scan.Problems[0]} (glov datasets check --root {Root} {Entry.Name} lists every problem)");
        return new ImageDataset(DatasetKey.Of("catalog-" + Entry.Name, Folder), split, scan.ClassNames, scan.Splits[split]);
    }
}
