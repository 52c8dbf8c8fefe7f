using System.Text.RegularExpressions;

namespace Glov.Cli.Tests;

/// <summary>The 2 × 2 stand-in grid killed and run again, and run as a Slurm job array, against one uninterrupted run.</summary>
public class ReproduceGridTests(StandInGrid grid) : IClassFixture<StandInGrid>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_grid_killed_midway_and_run_again_gives_the_table_of_an_uninterrupted_run()
    {
        var ws = grid.Workspace;
        var killed = StandInGrid.Suite(ws, "killed.yaml", "killed");

        // Kill the second grid once its second cell has scored something: one cell finished, one mid-way.
        using (var process = ws.Start("reproduce", "--suite", killed))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var started = DateTime.UtcNow;
            while (!KillAndResumeTests.Query(ws.File("killed/cells/eurosat-alpha0.5-seed0/journal.db"), "SELECT count(*) > 0 FROM scores"))
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
        Assert.Equal(grid.WholeMarkdown, File.ReadAllText(ws.File("killed/results.md")));
        Assert.Equal(grid.WholeCsv, File.ReadAllText(ws.File("killed/results.csv")));

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

    /// <summary>
    /// Slurm for real: scripts/slurm-test.sh starts munged, slurmctld and slurmd for one node on localhost, submits
    /// the emitted job array (one task per cell, one at a time: the cells share a feature cache) and waits for it;
    /// --collect must then give the uninterrupted local run's table.
    /// </summary>
    [Fact]
    public async Task The_emitted_Slurm_job_array_runs_the_grid_on_a_real_cluster_and_collect_gives_the_local_table()
    {
        var ws = grid.Workspace;
        var suite = StandInGrid.Suite(ws, "slurm.yaml", "on-slurm", "slurm: {cpus: 1, time: \"00:10:00\", max_parallel: 1}");
        var emitted = await ws.Exec("reproduce", "--suite", suite, "--emit", "slurm");
        Assert.True(emitted.ExitCode == 0, emitted.Stderr);
        var script = ws.File("on-slurm/reproduce.sbatch");
        var text = File.ReadAllText(script);
        Assert.Contains("#SBATCH --array=0-3%1\n", text);
        Assert.Contains("#SBATCH --cpus-per-task=1\n", text);
        Assert.Contains($"reproduce --suite '{suite}' --cell \"$SLURM_ARRAY_TASK_ID\"\n", text);

        var cluster = await RunScript(ws.Path, "--timeout", "150", script);

        Assert.True(cluster.ExitCode == 0, $"scripts/slurm-test.sh exited {cluster.ExitCode}:\n{cluster.Stdout}\n{cluster.Stderr}");
        Assert.Equal(4, cluster.Stdout.Split('\n').Count(l => l.Contains("JobState=COMPLETED", StringComparison.Ordinal)));
        var collected = await ws.Exec("reproduce", "--suite", suite, "--collect");
        Assert.True(collected.ExitCode == 0, collected.Stderr);
        Assert.Equal(grid.WholeMarkdown, File.ReadAllText(ws.File("on-slurm/results.md")));
        Assert.Equal(4, Directory.GetFiles(ws.File("on-slurm/slurm"), "*.out").Length);
    }

    private static async Task<CliResult> RunScript(string workingDirectory, params string[] args)
    {
        var script = RepositoryFile("scripts/slurm-test.sh");
        var info = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(cts.Token);
        var result = new CliResult(process.ExitCode, await stdout, await stderr);
        Assert.False(result.ExitCode == 3 && result.Stderr.Contains("not found: install", StringComparison.Ordinal),
            "Slurm is not installed on this machine: scripts/test.sh (the README's test command) installs slurm-wlm and munge. " + result.Stderr);
        return result;
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path))
                return path;
        }
        throw new InvalidOperationException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

public class ReproduceTests
{
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
