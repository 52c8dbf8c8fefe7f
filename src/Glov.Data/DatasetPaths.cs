using Glov.Core;

namespace Glov.Data;

/// <summary>Keeps every file a dataset names inside the dataset's root.</summary>
public static class DatasetPaths
{
    public static string Inside(string root, string relative, string source)
    {
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        var prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relative) || !full.StartsWith(prefix, StringComparison.Ordinal))
            throw new GlovUserException($"{source}: path \"{relative}\" leaves the dataset root {fullRoot}");
        return full;
    }
}
