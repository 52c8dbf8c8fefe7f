using System.Text.RegularExpressions;

namespace Glov.Cli.Tests;

public class ReproduceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_grid_killed_midway_and_run_again_gives_the_table_of_an_uninterrupted_run()
    {
        using var ws = new Workspace();
        await StandInGrid.Prepare(ws);
        var whole = StandInGrid.Suite(ws, "whole.yaml", "whole");
        var killed = StandInGrid.Suite(ws, "killed.yaml", "killed");

        var uninterrupted = await ws.Exec("reproduce", "--suite", whole);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        // Kill the second grid once its second cell has begun: one cell finished, the rest not.
        using (var process = ws.Start("reproduce", "--suite", killed))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var started = DateTime.UtcNow;
            while (!File.Exists(ws.File("killed/cells/eurosat-alpha0.5-seed0/journal.db")))
            {
                Assert.False(process.HasExited, "the grid ended before it could be killed: " + (process.HasExited ? await stderr : ""));
                Assert.True(DateTime.UtcNow - started < Patience, "the second cell never started");
                await Task.Delay(50);
            }
            process.Kill();
            await process.WaitForExitAsync();
        }
        Assert.True(File.Exists(ws.File("killed/cells/eurosat-alpha1-seed0/evaluation.json")));
        Assert.False(File.Exists(ws.File("killed/cells/cifar10-alpha0.5-seed0/evaluation.json")));
        Assert.False(File.Exists(ws.File("killed/results.md")));

        var collected = await ws.Exec("reproduce", "--suite", killed, "--collect");
        Assert.True(collected.ExitCode == 0, collected.Stderr);
        Assert.Contains("| GLOV (α = 1) | ", collected.Stdout);
        Assert.Contains(" — ", collected.Stdout); // cells not run yet

        var rerun = await ws.Exec("reproduce", "--suite", killed);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("cell 1/4 eurosat-alpha1-seed0: done earlier", rerun.Stderr);
        Assert.Equal(File.ReadAllText(ws.File("whole/results.md")), File.ReadAllText(ws.File("killed/results.md")));
        Assert.Equal(File.ReadAllText(ws.File("whole/results.csv")), File.ReadAllText(ws.File("killed/results.csv")));

        // The table: four baselines and two α rows, two datasets with numbers and their mean.
        var rows = File.ReadAllLines(ws.File("whole/results.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal("| method | eurosat | cifar10 | mean |", rows[0]);
        Assert.Equal(["\"a photo of a {}.\"", "CLIP's dataset ensemble", "random descriptors (WaffleCLIP-style)", "seed template", "GLOV (α = 1)", "GLOV (α = 0.5)"],
            rows.Skip(1).Select(r => r.Split(" | ")[0][2..]));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^\| .+ \| \d+\.\d \| \d+\.\d \| \d+\.\d \|$", r));
        var index = File.ReadAllText(ws.File("whole/index.html"));
        Assert.Equal(4, Regex.Matches(index, "<a href=\"cells/[a-z0-9.-]+/report.html\">report</a>").Count);
        Assert.All(Directory.GetDirectories(ws.File("whole/cells")), c => Assert.True(File.Exists(Path.Combine(c, "report.html"))));
    }

    [Fact]
    public async Task A_failing_cell_is_marked_in_the_table_with_its_reason_and_leaves_no_evaluation()
    {
        using var ws = new Workspace();
        var clip = await ws.Run("vlm", "make-fixture", "--out", ws.File("models/clip"), "--bpe", SharedAssets.ClipMerges);
        Assert.True(clip.ExitCode == 0, clip.Stderr);
        Assert.Equal(0, (await ws.Run("fixture", "datasets", ws.File("data"), "eurosat")).ExitCode);
        ws.Write("base.yaml", """
            optimizer: {steps: 1, candidates: 2}
            proposer: {kind: scripted}
            fitness: {kind: clip, model: models/clip, cache_dir: cache}
            """);
        var suite = ws.Write("suite.yaml", "config: base.yaml\ndata_root: data\ndatasets: [eurosat, dtd]\nalphas: []\nunguided: true\noutput: out\n");

        var result = await ws.Run("reproduce", "--suite", suite);

        Assert.Equal(3, result.ExitCode);
        var dtd = ws.File("out/cells/dtd-unguided-seed0");
        Assert.False(File.Exists(Path.Combine(dtd, "evaluation.json")));
        Assert.True(File.Exists(ws.File("out/cells/eurosat-unguided-seed0/evaluation.json")));
        var markdown = File.ReadAllText(ws.File("out/results.md"));
        Assert.Matches(@"\| GLOV without guidance \| \d+\.\d \| failed \[1\] \| — \|", markdown);
        Assert.Contains($"[1] dtd-unguided-seed0: {ws.File("data/dtd")}: DescribableTextures not found under the data root (expected its folder dtd/ there)", markdown);
        Assert.Contains("failed: ", File.ReadAllText(ws.File("out/index.html")));
    }

    [Theory]
    [InlineData("config: base.yaml\ndata_root: .\ndatasets: [eurosat]\nalpahs: [1]\n", "unknown key 'alpahs' (known: config, data_root, datasets, alphas, unguided, seeds, output, slurm)")]
    [InlineData("config: base.yaml\ndata_root: .\ndatasets: [eurosatt]\n", "datasets: unknown dataset 'eurosatt' (known: imagenet,")]
    [InlineData("config: base.yaml\ndata_root: .\ndatasets: [eurosat]\nslurm: {time: 1:00:00, gpus: 1}\n", "unknown key 'slurm.gpus'")]
    [InlineData("config: nothere.yaml\ndata_root: .\ndatasets: [eurosat]\n", "config: ")]
    public async Task Suite_mistakes_are_one_line_naming_the_file_and_key(string yaml, string expected)
    {
        using var ws = new Workspace();
        ws.Write("base.yaml", "proposer: {kind: scripted}\n");
        var suite = ws.Write("suite.yaml", yaml);
        var result = await ws.Run("reproduce", "--suite", suite, "--collect");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"glov: {suite}: {expected}", result.Stderr);
        Assert.Single(result.ErrorLines);
    }
}
