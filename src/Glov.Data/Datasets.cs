using Glov.Core;

namespace Glov.Data;

/// <summary>Opens a dataset from a path: a CoOp split JSON, a folder of IDX files, or an ImageFolder.</summary>
public static class Datasets
{
    public static ImageDataset Open(string path, string split)
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
