using Glov.Vision.Fixtures;

namespace Glov.Vision.Tests;

/// <summary>Real assets from the workplace's shared folder and fixture models generated once per test run.</summary>
public static class Assets
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);
    private static readonly Lazy<string> Tiny = new(() => Generate("tiny", new ClipFixtureOptions(ClipMerges)));
    private static readonly Lazy<string> TinyCombined = new(() => Generate("tiny-combined", new ClipFixtureOptions(ClipMerges) { Combined = true }));
    private static readonly Lazy<string> TinyStatic = new(() => Generate("tiny-static", new ClipFixtureOptions(ClipMerges) { DynamicSequence = false, AttentionMask = false }));
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), $"glov-vision-tests-{Environment.ProcessId}");

    static Assets() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (Directory.Exists(Scratch))
            Directory.Delete(Scratch, recursive: true);
    };

    public static string Shared => SharedRoot.Value;

    public static string ClipMerges => Path.Combine(Shared, "models", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz");

    public static string Cifar10 => Path.Combine(Shared, "datasets", "cifar10");

    public static string TinyModel => Tiny.Value;

    public static string TinyCombinedModel => TinyCombined.Value;

    /// <summary>Fixed 77-token input and no attention_mask input, like some exports.</summary>
    public static string TinyStaticModel => TinyStatic.Value;

    public static string NewScratchFolder(string name)
    {
        var folder = Path.Combine(Scratch, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Generate(string name, ClipFixtureOptions options)
    {
        var folder = NewScratchFolder(name);
        ClipFixtureGenerator.Write(folder, options);
        return folder;
    }

    private static string FindShared()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("GLOV_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(fromEnvironment) ? fromEnvironment
                : throw new DirectoryNotFoundException($"GLOV_SHARED={fromEnvironment} does not exist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (dir.GetFiles("glov.sln").Length > 0 || Directory.Exists(Path.Combine(candidate, "models", "clip-bpe")))
            {
                var beside = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "models", "clip-bpe")))
                    return candidate;
                if (Directory.Exists(beside))
                    return beside;
            }
        }
        throw new DirectoryNotFoundException(
            "the shared assets folder (shared/ beside the repository, with models/clip-bpe and datasets/cifar10) was not found; set GLOV_SHARED to it");
    }
}
