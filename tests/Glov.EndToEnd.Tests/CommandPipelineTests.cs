using System.Globalization;
using System.Text.RegularExpressions;
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
        // Progress while scoring: each step's top-3 on train, every method on test, every method but GLOV on train.
        var ensembles = evaluation.StepEnsembles.Count + 2 * evaluation.Results.Count - 1;
        var scoring = evaluate.Stderr.Split('\n').Where(l => l.StartsWith("score     evaluation ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith($"score     evaluation {ensembles}/{ensembles} ensembles", scoring[^1]);

        Assert.Equal(0, report.ExitCode);
        var html = File.ReadAllText(ws.PathOf("runs/demo/report.html"));
        Assert.Contains("keyword scorer: numbers are synthetic", html);
        Assert.Contains("id=\"test-table\"", html);
        Assert.Contains("Guidance never switched on.", html);
        Assert.Equal(evaluation.StepEnsembles.Count, CountPoints(html, "top3"));
        Assert.Equal(1 + 3, CountPoints(html, "best"));

        // Per class, by the keyword rule (class j is right iff j mod 3 < the keywords the prompts hold), not by the scorer.
        using var journal = Glov.Runs.SqliteRunJournal.Open(ws.PathOf("runs/demo/journal.db"), readOnly: true);
        var seedTemplate = journal.Recorded.Step(-1)!.Candidates![0].Template!;
        var selected = journal.Recorded.Final!.Ensemble.Select(t => t.Text).ToList();
        var classes = Classes.Trim('[', ']').Split(", ");
        double Oracle(IEnumerable<string> prompts, int j) =>
            j % 3 < new[] { "photo", "detailed", "centered" }.Count(k => prompts.Any(p => Regex.IsMatch(p, $@"\b{k}\b", RegexOptions.IgnoreCase))) ? 100 : 0;
        var expected = classes.Select((c, j) => (Class: c, Seed: Oracle([seedTemplate], j), Selected: Oracle(selected, j)))
            .OrderByDescending(x => x.Selected - x.Seed).ThenBy(x => x.Class, StringComparer.Ordinal).ToList();
        var glov = evaluation.Results[0].PerClass!;
        Assert.Equal(classes, glov.Select(c => c.ClassName));
        Assert.Equal(classes.Select((_, j) => Oracle(selected, j)), glov.Select(c => 100.0 * c.Correct / c.Total));
        Assert.Equal(classes.Select((_, j) => Oracle([seedTemplate], j)), evaluation.Results.Single(r => r.Key == "seed").PerClass!.Select(c => 100.0 * c.Correct / c.Total));
        var rows = Regex.Matches(Regex.Match(html, "<table id=\"per-class-table\">.*?</table>").Value,
                "<td>([a-z]+)</td><td class=\"num\">([\\d.]+)</td><td class=\"num\">([\\d.]+)</td>")
            .Select(m => (m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(expected.Select(x => (x.Class, x.Seed, x.Selected)), rows);
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
        // Every cell on one chart, in grid order, each curve the best train score so far in its own journal.
        Assert.Equal(grid.Cells.Select(c => c.RunId), OverlayLabels(html));
        for (var i = 0; i < grid.Cells.Count; i++)
            Assert.Equal(BestSoFar(ws.PathOf($"runs/grid/{grid.Cells[i].RunId}/journal.db")), OverlayPoints(html, i));
    }

    [Fact]
    public async Task Report_of_several_runs_overlays_their_curves_on_one_page_beside_the_runs()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", Config("scripted", guidance: false));
        Assert.Equal(0, (await ws.Run("optimize", "--config", config, "--name", "a", "--seed", "1")).ExitCode);
        Assert.Equal(0, (await ws.Run("optimize", "--config", config, "--name", "b", "--seed", "2", "--steps", "2")).ExitCode);

        var report = await ws.Run("report", "a", ws.PathOf("runs/b"), "--runs-dir", ws.PathOf("runs"));

        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Equal($"written  {ws.PathOf("runs/comparison.html")}", report.Stdout.Trim());
        var html = File.ReadAllText(ws.PathOf("runs/comparison.html"));
        Assert.Equal(["a", "b"], OverlayLabels(html));
        Assert.Equal(BestSoFar(ws.PathOf("runs/a/journal.db")), OverlayPoints(html, 0));
        Assert.Equal(BestSoFar(ws.PathOf("runs/b/journal.db")), OverlayPoints(html, 1));
        Assert.Equal(4, OverlayPoints(html, 0).Count);
        Assert.Equal(3, OverlayPoints(html, 1).Count);
        // The two runs differ in seed and step count, so both are columns of the comparison table.
        Assert.Matches("<th>Run</th><th>seed</th><th>optimizer.steps</th><th>Status</th>", html);
    }

    [Fact]
    public async Task Watch_keeps_the_report_live_while_the_run_is_written_and_leaves_a_static_one_when_it_ends()
    {
        using var ws = new Workspace();
        var config = ws.Write("run.yaml", Config("scripted", guidance: false));
        Assert.Equal(0, (await ws.Run("optimize", "--config", config)).ExitCode);
        var file = ws.PathOf("runs/demo/report.html");
        var refused = await ws.Run("report", "demo", "--runs-dir", ws.PathOf("runs"), "--watch", "--interval", "0");
        Assert.Equal((2, "glov: --interval: 0 is not a positive number of seconds"), (refused.ExitCode, refused.Stderr.Trim()));

        // A process writing the run: this one, holding the journal's writer lock as optimize does.
        var journal = Glov.Runs.SqliteRunJournal.Open(ws.PathOf("runs/demo/journal.db"));
        Task<CliResult> watching;
        string live;
        try
        {
            journal.SetStatus(Glov.Core.Journal.RunStatus.Running);
            watching = ws.Run("report", "demo", "--runs-dir", ws.PathOf("runs"), "--watch", "--interval", "0.2");
            live = await WaitFor(file, html => html.Contains("data-status=\"running\""));
            journal.SetStatus(Glov.Core.Journal.RunStatus.Completed);
        }
        finally
        {
            journal.Dispose();
        }
        var result = await watching.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"1\">", live);
        Assert.Contains("Run in progress: 3 of 3 steps done", live);
        var final = File.ReadAllText(file);
        Assert.DoesNotContain("http-equiv=\"refresh\"", final);
        Assert.DoesNotContain("id=\"progress\"", final);
        // Written when it went live and once more when the run ended; the unchanged journal in between rewrote nothing.
        Assert.Equal([$"written  {file}", $"written  {file}"], result.Stdout.Trim().Split('\n'));
        Assert.Equal(["report: demo running, 3 of 3 steps done", "report: demo completed, 3 of 3 steps done"], result.Stderr.Trim().Split('\n'));
    }

    private static async Task<string> WaitFor(string file, Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (File.Exists(file) && File.ReadAllText(file) is var html && condition(html))
                return html;
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>The best train score up to each step (the seed is step 0), straight from the journal.</summary>
    private static List<(int, double)> BestSoFar(string journalPath)
    {
        using var journal = Glov.Runs.SqliteRunJournal.Open(journalPath, readOnly: true);
        var points = new List<(int, double)>();
        var best = double.NegativeInfinity;
        foreach (var step in journal.Recorded.Steps.Values.OrderBy(s => s.Step))
        {
            if (step.Scores.Count > 0)
                best = Math.Max(best, step.Scores.Values.Max(f => f.Score));
            if (!double.IsNegativeInfinity(best))
                points.Add((step.Step + 1, Math.Round(best, 3)));
        }
        return points;
    }

    private static List<string> OverlayLabels(string html) =>
        Regex.Matches(Regex.Match(html, "<figure class=\"chart-figure\"><svg id=\"overlay-chart\".*?</figure>").Value, "<span class=\"legend-item\" data-series=\"run\\d+\"><span[^>]*></span>(.*?)</span>")
            .Select(m => m.Groups[1].Value).ToList();

    private static List<(int, double)> OverlayPoints(string html, int run) =>
        Regex.Matches(Regex.Match(html, $"<g class=\"points s-r\\d\" data-series=\"run{run}\">(.*?)</g>").Groups[1].Value, @"step (\d+): ([\d.]+)</title>")
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();

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
