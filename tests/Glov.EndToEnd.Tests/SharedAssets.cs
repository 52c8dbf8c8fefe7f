namespace Glov.EndToEnd.Tests;

/// <summary>The workplace's real assets: <c>GLOV_SHARED</c>, else a <c>shared/</c> folder found walking up from the test binary.</summary>
public static class SharedAssets
{
    public static string Root { get; } = Locate();

    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException($"shared asset missing: {path}");
        return path;
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } fromEnv)
            return Directory.Exists(fromEnv) ? fromEnv : throw new InvalidOperationException($"GLOV_SHARED={fromEnv} does not exist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "models")) && Directory.Exists(Path.Combine(candidate, "datasets")))
                return candidate;
        }
        throw new InvalidOperationException(
            "the shared assets folder (models/stories260K, models/clip-bpe, datasets/cifar10) was not found beside the repository; set GLOV_SHARED");
    }
}
