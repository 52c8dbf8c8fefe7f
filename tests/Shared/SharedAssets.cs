namespace Glov.TestSupport;

/// <summary>Finds the workplace's real assets (stories260K, CLIP's merges file, CIFAR-10): $GLOV_SHARED,
/// else a <c>shared/</c> folder beside an ancestor of the test binary (i.e. <c>&lt;repo&gt;/../shared</c>).
/// Linked into every test project, so a missing folder fails every test that needs it with one message.</summary>
internal static class SharedAssets
{
    public static string Stories260K => Require(Path.Combine("models", "stories260K"));

    public static string Llama3Tokenizer => Require(Path.Combine("models", "llama3-tokenizer", "tokenizer.model"));

    public static string Llama3TokenizerReadme => Require(Path.Combine("models", "llama3-tokenizer", "README.md"));

    public static string ClipMerges => Require(Path.Combine("models", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz"));

    public static string Cifar10 => Require(Path.Combine("datasets", "cifar10"));

    /// <summary>A file or folder of this repository (found as the ancestor of the test binary holding glov.sln).</summary>
    public static string RepositoryPath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "glov.sln")))
                return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException($"no glov.sln above {AppContext.BaseDirectory}");
    }

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
