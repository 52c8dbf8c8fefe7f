namespace Glov.Cli.Tests;

/// <summary>
/// The grid tests' stand-ins in one workspace: stories260K as GGUF (steers, so α matters), a random-weight CLIP,
/// EuroSAT and CIFAR-10 generated in their catalog layout, a base run config, and the 2-dataset × 2-α grid run
/// once without interruption (<c>whole/</c>): the table the other runs of the same grid must reproduce.
/// </summary>
public sealed class StandInGrid : IAsyncLifetime, IDisposable
{
    private readonly Workspace _ws = new();

    internal Workspace Workspace => _ws;

    public string WholeMarkdown => File.ReadAllText(_ws.File("whole/results.md"));

    public string WholeCsv => File.ReadAllText(_ws.File("whole/results.csv"));

    public async Task InitializeAsync()
    {
        await Prepare(_ws);
        var whole = await _ws.Exec("reproduce", "--suite", Suite(_ws, "whole.yaml", "whole"));
        Assert.True(whole.ExitCode == 0, whole.Stderr);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ws.Dispose();

    private static async Task Prepare(Workspace ws)
    {
        Directory.CreateDirectory(ws.File("models"));
        var convert = await ws.Run("convert", "llama2c", SharedAssets.Require("models/stories260K/stories260K.bin"),
            SharedAssets.Require("models/stories260K/tok512.bin"), ws.File("models/stories260K.gguf"), "--chat-template", "chatml");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        var clip = await ws.Run("vlm", "make-fixture", "--out", ws.File("models/clip"), "--bpe", SharedAssets.ClipMerges);
        Assert.True(clip.ExitCode == 0, clip.Stderr);
        var data = await ws.Run("fixture", "datasets", ws.File("data"), "eurosat", "cifar10", "--per-class", "4");
        Assert.True(data.ExitCode == 0, data.Stderr);
        ws.Write("base.yaml", """
            task:
              # stories260K never writes a placeholder; these give guidance a pair to steer with.
              extra_seed_templates: ["a blurry photo of a {}.", "art of the {}.", "a close-up photo of the {}."]
            optimizer: {steps: 2, candidates: 2}
            sampling: {max_new_tokens: 16}
            guidance: {force: true, mode: exact}
            proposer: {kind: llama, model: models/stories260K.gguf, threads: 1}
            fitness: {kind: clip, model: models/clip, cache_dir: cache}
            """);
    }

    /// <summary>The 2 × 2 grid (EuroSAT, CIFAR-10 × α 1, 0.5; one seed) writing into <paramref name="output"/>.</summary>
    internal static string Suite(Workspace ws, string name, string output, string extra = "") => ws.Write(name, $"""
        config: base.yaml
        data_root: data
        datasets: [eurosat, cifar10]
        alphas: [1.0, 0.5]
        unguided: false
        seeds: [0]
        output: {output}
        {extra}
        """);
}
