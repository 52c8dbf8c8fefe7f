namespace Glov.Data;

/// <summary>A labelled image split. <see cref="Key"/> names the dataset in caches and pick files.</summary>
public sealed record ImageDataset(string Key, string Split, IReadOnlyList<string> ClassNames, IReadOnlyList<LabelledImage> Items)
{
    public ImageDataset WithItems(IReadOnlyList<LabelledImage> items) => this with { Items = items };

    public IReadOnlyList<int> CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (var item in Items)
            counts[item.Label]++;
        return counts;
    }
}
