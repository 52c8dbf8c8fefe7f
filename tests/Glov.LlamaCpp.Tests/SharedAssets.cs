namespace Glov.LlamaCpp.Tests;

/// <summary>Finds the workplace's shared assets: $GLOV_SHARED, else a <c>shared/</c> folder beside an
/// ancestor of the test binary (i.e. <c>&lt;repo&gt;/../shared</c>).</summary>
internal static class SharedAssets
{
    public static string Stories260K => Require(Path.Combine("models", "stories260K"));

    public static string Require(string relative)
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } env)
            roots.Add(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            roots.Add(Path.Combine(dir.FullName, "shared"));
        foreach (var root in roots)
        {
            var path = Path.Combine(root, relative);
            if (Directory.Exists(path) || File.Exists(path))
                return path;
        }
        throw new InvalidOperationException(
            $"shared asset '{relative}' not found: set GLOV_SHARED or place the workplace's shared/ folder beside the repository (looked in: {string.Join(", ", roots.Take(3))}, …)");
    }
}
