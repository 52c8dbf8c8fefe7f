using Glov.Data;

namespace Glov.Catalog;

/// <summary>
/// What a layout found under a dataset folder, without decoding any image: the class names in label order,
/// the images of each split, and every problem met on the way (a missing split file, a path leaving the folder,
/// an empty class folder). Loading stops at the first problem; <c>glov datasets check</c> reports them all.
/// </summary>
public sealed record DatasetScan(
    IReadOnlyList<string> ClassNames,
    IReadOnlyDictionary<string, IReadOnlyList<LabelledImage>> Splits,
    IReadOnlyList<string> Problems)
{
    public static DatasetScan Failed(string problem) => new([], new Dictionary<string, IReadOnlyList<LabelledImage>>(), [problem]);
}

