using Glov.Core;

namespace Glov.Data;

/// <summary>Opens a dataset from a path: a CoOp split JSON, a folder of IDX files, or an ImageFolder.
/// Classification needs two classes at least; a class without images in the split is warned about.</summary>
public static class Datasets
{
    public static ImageDataset Open(string path, string split, Action<string>? warn = null)
    {
        var dataset = Load(path, split);
        if (dataset.ClassNames.Count < 2)
            throw new GlovUserException($"{path}: {dataset.ClassNames.Count} class(es) in split \"{split}\"; classification needs at least 2");
        var counts = dataset.CountPerClass();
        for (var label = 0; label < counts.Count; label++)
        {
            if (counts[label] == 0)
                warn?.Invoke($"{path}: class \"{dataset.ClassNames[label]}\" has no images in split \"{split}\"");
        }
        return dataset;
    }

    private static ImageDataset Load(string path, string split)
    {
        if (CoOpSplit.Looks(path))
            return CoOpSplit.Load(path, split);
        if (!Directory.Exists(path))
            throw new GlovUserException($"{path}: dataset not found (expected an image folder, a folder of IDX files or a CoOp split .json)");
        var splitFiles = Directory.EnumerateFiles(path, "split_*.json").ToList();
        if (splitFiles.Count == 1)
            return CoOpSplit.Load(splitFiles[0], split);
        if (IdxDataset.Looks(path))
            return IdxDataset.Load(path, split);
        return ImageFolder.Load(path, split);
    }
}
