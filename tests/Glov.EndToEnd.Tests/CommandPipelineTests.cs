using Glov.Cli.Composition;
using Glov.Cli.Demo;
using Glov.Reports.Evaluation;

namespace Glov.EndToEnd.Tests;

/// <summary>optimize → evaluate → report → sweep with the deterministic test components (no models).</summary>
public sealed class CommandPipelineTests
{
    private const string Classes = "[airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck]";

    private static string Config(string proposer, bool guidance) => $$"""
        name: demo
        runs_dir: runs
        task: {dataset: CIFAR-10, description: small photos}
        optimizer: {steps: 3, candidates: 4}
        guidance: {enabled: {{(guidance ? "true" : "false")}}}
        proposer: {kind: {{proposer}}}
        fitness: {kind: keyword, classes: {{Classes}}, keywords: [photo, detailed, centered]}
        """;

    [Fact]
    public async Task Evaluate_writes_the_test_table_beside_the_baselines_and_report_renders_it()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", Config("scripted", guidance: false));

        Assert.Equal(0, (await ws.Run("optimize", "--config", config)).ExitCode);
        var evaluate = await ws.Run("evaluate", "demo", "--runs-dir", ws.PathOf("runs"));
        var report = await ws.Run("report", "demo", "--runs-dir", ws.PathOf("runs"), "--notice", "keyword scorer: numbers are synthetic");

        Assert.Equal(0, evaluate.ExitCode);
        Assert.Contains("single template \"a photo of a {}.\"", evaluate.Stdout);
        Assert.Contains("template ensemble (cifar10.txt, 18)", evaluate.Stdout);
        var evaluation = ReportFiles.ReadEvaluation(ws.PathOf("runs/demo"))!;
        Assert.Equal(["glov", "photo-of", "ensemble", "random-descriptors", "seed"], evaluation.Results.Select(r => r.Key));
        Assert.StartsWith("GLOV (top-3 of step ", evaluation.Results[0].Method);
        // The keyword scorer ignores the split, so each method's test score must equal its train score.
        Assert.All(evaluation.Results, r => Assert.Equal(r.TrainScore, r.TestScore));
        Assert.Equal([1, 18, 18, 1], evaluation.Results.Skip(1).Select(r => r.TemplateCount));
        // Keyword scorer (photo, detailed, centered; 10 classes): "a photo of a {}." and the seed hold "photo"
        // (classes j mod 3 < 1: 4 of 10); CLIP's CIFAR-10 ensemble holds "photo" only; the random-descriptor
        // control holds "photo" too: 40% each. An oracle by hand, not by the scorer.
        Assert.Equal([40.0, 40.0, 40.0, 40.0], evaluation.Results.Skip(1).Select(r => r.TestScore));
        Assert.Contains("random descriptors (WaffleCLIP-style, 18, seed 0)", evaluate.Stdout);
        Assert.NotEmpty(evaluation.StepEnsembles);

        Assert.Equal(0, report.ExitCode);
        var html = File.ReadAllText(ws.PathOf("runs/demo/report.html"));
        Assert.Contains("keyword scorer: numbers are synthetic", html);
        Assert.Contains("id=\"test-table\"", html);
        Assert.Contains("Guidance never switched on.", html);
        Assert.Equal(evaluation.StepEnsembles.Count, CountPoints(html, "top3"));
        Assert.Equal(1 + 3, CountPoints(html, "best"));
    }

    [Fact]
    public async Task Evaluate_before_the_run_finished_or_of_a_missing_run_is_a_one_line_error()
    {
        using var ws = new Workspace();
        var missing = await ws.Run("evaluate", "nothing-here", "--runs-dir", ws.PathOf("runs"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("run 'nothing-here': no journal", missing.Stderr);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_endpoint_proposer_with_guidance_enabled_is_refused_with_the_setting_named()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", """
            runs_dir: runs
            task: {dataset: CIFAR-10}
            proposer: {kind: openai, endpoint: "http://127.0.0.1:9/v1", model: m}
            fitness: {kind: keyword, classes: [a, b]}
            """);

        var result = await ws.Run("optimize", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("guidance.enabled", result.Stderr);
        Assert.Contains("cannot steer", result.Stderr);
    }

    [Fact]
    public async Task Sweep_runs_each_alpha_with_one_set_of_components_flags_degenerate_runs_and_picks_by_train_score()
    {
        using var ws = new Workspace();
        var proposers = new CountingProposerFactory();
        var registry = new ComponentRegistry([proposers], [new KeywordFitnessFactory()]);
        // Forced guidance steers from the second step on, so a weak α degenerates there.
        var config = ws.Write("run.yaml", Config("alpha-sensitive", guidance: true).Replace("guidance: {enabled: true}", "guidance: {enabled: true, force: true}"));

        var result = await ws.Run(registry, "sweep", "--config", config, "--alphas", "1", "0.25", "--layers", "2", "5", "--name", "grid");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(1, proposers.Created);
        var grid = ReportFiles.ReadSweepAround(ws.PathOf("runs/grid"))!;
        Assert.Equal([(1.0, 2), (1.0, 5), (0.25, 2), (0.25, 5)], grid.Cells.Select(c => (c.Alpha, c.Layer)));
        Assert.All(grid.Cells.Where(c => c.Alpha == 1.0), c => Assert.Null(c.Degenerate));
        Assert.All(grid.Cells.Where(c => c.Alpha == 0.25), c => Assert.StartsWith("repetition", c.Degenerate));
        var chosen = Assert.Single(grid.Cells, c => c.Chosen);
        Assert.Equal(1.0, chosen.Alpha);
        Assert.Equal(grid.Cells.Where(c => c.Degenerate is null).Max(c => c.FinalTrain), chosen.FinalTrain);
        foreach (var cell in grid.Cells)
            Assert.True(File.Exists(ws.PathOf($"runs/grid/{cell.RunId}/journal.db")));

        var report = await ws.Run(registry, "report", ws.PathOf("runs/grid"));
        Assert.Equal(0, report.ExitCode);
        var html = File.ReadAllText(ws.PathOf($"runs/grid/{chosen.RunId}/report.html"));
        Assert.Contains("id=\"sweep-table\"", html);
        Assert.Contains("degenerate: repetition", html);
    }

    [Fact]
    public async Task Extra_seed_templates_are_scored_and_journaled_before_the_first_step_and_a_repeated_one_is_refused()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", Config("scripted", guidance: false)
            .Replace("task: {dataset: CIFAR-10, description: small photos}",
                "task: {dataset: CIFAR-10, description: small photos, extra_seed_templates: [\"a detailed photo of a {}.\", \"art of the {}.\"]}"));
        var repeated = ws.Write("bad.yaml", Config("scripted", guidance: false)
            .Replace("task: {dataset: CIFAR-10, description: small photos}",
                "task: {dataset: CIFAR-10, extra_seed_templates: [\"a photo of a {}.\"]}"));

        Assert.Equal(0, (await ws.Run("optimize", "--config", config)).ExitCode);
        var refused = await ws.Run("optimize", "--config", repeated);

        using var journal = Glov.Runs.SqliteRunJournal.Open(ws.PathOf("runs/demo/journal.db"), readOnly: true);
        var seed = journal.Recorded.Step(-1)!;
        Assert.Equal(["A photo of a <category>.", "a detailed photo of a <category>.", "art of the <category>."], seed.Candidates!.Select(c => c.Template));
        // Keyword scorer with m of its 3 keywords present: classes j with j mod 3 < m are right (m = 1: 4 of 10, m = 2: 7 of 10).
        Assert.Equal([40.0, 70.0, 0.0], seed.Candidates!.Select(c => seed.Scores[c.Index].Score));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("task.extra_seed_templates: \"a photo of a {}.\" repeats another seed template", refused.Stderr);
    }

    private static int CountPoints(string html, string series)
    {
        var start = html.IndexOf($"<g class=\"points s-{series}\"", StringComparison.Ordinal);
        if (start < 0)
            return 0;
        var end = html.IndexOf("</g>", start, StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Matches(html[start..end], "<circle").Count;
    }
}
