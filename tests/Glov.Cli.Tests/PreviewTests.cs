namespace Glov.Cli.Tests;

/// <summary><c>glov preview</c> against real engines with stand-in models (the template bigram GGUF, the
/// random-weight CLIP, few-shot CIFAR-10), each command a child process whose HOME and caches lie in the
/// workspace, so every file it could write is inside the snapshot.</summary>
public sealed class PreviewTests
{
    [Fact]
    public async Task Preview_writes_nothing_and_prints_the_same_budget_as_optimize_every_time()
    {
        using var ws = new Workspace();
        var llm = await ws.Run("fixture", "llm", ws.File("template-bigram.gguf"), "--corpus", SharedAssets.RepositoryPath("data/templates"));
        Assert.True(llm.ExitCode == 0, llm.Stderr);
        var clip = await ws.Run("vlm", "make-fixture", "--out", ws.File("clip"), "--bpe", SharedAssets.ClipMerges);
        Assert.True(clip.ExitCode == 0, clip.Stderr);
        // No cache_dir: the feature cache and few-shot picks default to .glov/cache beside the config.
        ws.Write("run.yaml", $$"""
            name: budget
            runs_dir: runs
            profile: reproduce
            task: {dataset: CIFAR-10, shots: 2}
            optimizer: {steps: 2, candidates: 3}
            sampling: {max_new_tokens: 12}
            evaluation: {test_limit: 40}
            proposer: {kind: llama, model: template-bigram.gguf, threads: 1}
            fitness: {kind: clip, model: clip, dataset: {{SharedAssets.Cifar10}}}
            """);
        Directory.CreateDirectory(ws.File("home"));
        ws.Environment["HOME"] = ws.File("home");
        ws.Environment["XDG_CACHE_HOME"] = "";
        ws.Environment["GLOV_CACHE_HOME"] = "";
        var before = Snapshot(ws.Path);

        var preview = await ws.Exec("preview", "--config", ws.File("run.yaml"));
        var again = await ws.Exec("preview", "--config", ws.File("run.yaml"));

        Assert.True(preview.ExitCode == 0, preview.Stderr);
        Assert.Equal(before, Snapshot(ws.Path));
        Assert.Equal(preview.Stdout, again.Stdout);
        var budget = Budget(preview.Stdout);
        // Reproduce: 12 new tokens a candidate, 75 while guided; the first step has only the seed, so it is never steered.
        Assert.Contains($"at most {3 * 12 + 3 * 75} new tokens (12 a candidate, 75 while guided), {3 * 12 + 2 * 3 * 75} decoder rows", budget);
        // The seed and 2 x 3 candidates, each encoded with the 10 class names; 2 shots of 10 classes.
        Assert.Contains("at most 7 templates: 70 text encodings (10 a template); 20 train images prepared once (cached)", budget);
        Assert.Contains("an estimate, not a measurement", budget);

        var optimize = await ws.Exec("optimize", "--config", ws.File("run.yaml"));

        Assert.True(optimize.ExitCode == 0, optimize.Stderr);
        Assert.Equal(budget, Budget(optimize.Stderr));
        // The snapshot sees what a run writes: the journal and the feature cache.
        var after = Snapshot(ws.Path);
        Assert.Contains(after, e => e.StartsWith("runs/budget/journal.db ", StringComparison.Ordinal));
        Assert.Contains(after, e => e.StartsWith(".glov/cache/", StringComparison.Ordinal));
    }

    /// <summary>The budget block: from its "budget" line through the estimated time.</summary>
    private static string Budget(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("budget   ", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.StartsWith("  estimated time", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, output);
        return string.Join('\n', lines[start..(end + 1)]);
    }

    /// <summary>Every file and folder under the root: path, and for files size and write time.</summary>
    private static List<string> Snapshot(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(i => Path.GetRelativePath(root, i.FullName).Replace('\\', '/')
                         + (i is FileInfo f ? $" {f.Length} {f.LastWriteTimeUtc.Ticks}" : "/"))
            .Order(StringComparer.Ordinal).ToList();
}
