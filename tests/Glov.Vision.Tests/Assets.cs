using Glov.Vision.Fixtures;

namespace Glov.Vision.Tests;

/// <summary>Real assets from the workplace's shared folder and fixture models generated once per test run.</summary>
public static class Assets
{
    private static readonly Lazy<string> Tiny = new(() => Generate("tiny", new ClipFixtureOptions(ClipMerges)));
    private static readonly Lazy<string> TinyCombined = new(() => Generate("tiny-combined", new ClipFixtureOptions(ClipMerges) { Combined = true }));
    private static readonly Lazy<string> TinyStatic = new(() => Generate("tiny-static", new ClipFixtureOptions(ClipMerges) { DynamicSequence = false, AttentionMask = false }));
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), $"glov-vision-tests-{Environment.ProcessId}");

    static Assets()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(Scratch))
                Directory.Delete(Scratch, recursive: true);
        };
        // A test host that was killed never ran the handler above: remove what such runs left behind.
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "glov-vision-tests-*"))
        {
            if (int.TryParse(Path.GetFileName(stale)["glov-vision-tests-".Length..], out var pid) && !IsRunning(pid))
                Directory.Delete(stale, recursive: true);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string ClipMerges => SharedAssets.ClipMerges;

    public static string Cifar10 => SharedAssets.Cifar10;

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
}
