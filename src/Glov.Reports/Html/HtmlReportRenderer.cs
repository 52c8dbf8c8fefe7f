using System.Globalization;
using System.Text;
using Glov.Reports.Model;
using static Glov.Reports.Html.HtmlPage;

namespace Glov.Reports.Html;

/// <summary>
/// Renders a <see cref="RunReport"/> as one static HTML file (<see cref="HtmlPage"/>: inline CSS, inline SVG
/// charts, one inline script allowed by its hash, no external reference). The headline comes first (test
/// results beside the baselines, the selected prompts, the per-class change), the settings last, folded.
/// Every string that came from a model or a user is HTML-escaped.
/// </summary>
public static class HtmlReportRenderer
{
    public static string Render(RunReport report) =>
        HtmlPage.Build(report.Title, report.Notices, report.RefreshSeconds, html =>
        {
            Tests(html, report);
            Final(html, report);
            PerClass(html, report);
            Fitness(html, report);
            if (report.Compared.Count > 1)
                ComparisonSection.Append(html, report.Compared, report.Name);
            Steering(html, report);
            StepTable(html, report);
            Sweep(html, report);
            Candidates(html, report);
            Settings(html, report);
        }, ProgressBanner(report.Progress, report.RefreshSeconds, report.Name));

    /// <summary>Several runs on one page: the overlay of their curves and the comparison table.</summary>
    public static string Render(RunComparison comparison)
    {
        var running = comparison.Runs.Count(r => r.Progress?.IsRunning == true);
        var banner = running == 0 ? null
            : $"<p id=\"progress\" class=\"progress running\" data-status=\"running\">{running} of {comparison.Runs.Count} runs in progress"
              + (comparison.RefreshSeconds is { } s ? $"; glov report --watch regenerates this page, which reloads itself every {s} s until they end.</p>" : " when this page was written.</p>");
        return HtmlPage.Build(comparison.Title, comparison.Notices, comparison.RefreshSeconds,
            html => ComparisonSection.Append(html, comparison.Runs, null), banner);
    }

    private static void Settings(StringBuilder html, RunReport report)
    {
        html.Append($"<section id=\"settings\"><h2>Run settings</h2><details><summary>{report.Settings.Count} resolved settings</summary><table class=\"kv\">");
        foreach (var s in report.Settings)
            html.Append($"<tr><th>{E(s.Key)}</th><td>{E(s.Value)}</td></tr>");
        html.Append("</table></details></section>");
    }

    private static void Fitness(StringBuilder html, RunReport report)
    {
        html.Append($"<section id=\"fitness\"><h2>Train {E(report.MetricName.ToLowerInvariant())} per step</h2>");
        var scored = report.Steps.Any(s => s.Best is not null || s.Mean is not null || s.Top3Ensemble is not null);
        if (scored)
            html.Append(FitnessChart(report));
        else
            html.Append("<p>No step scored a candidate.</p>");
        html.Append(report.GuidanceOnStep is { } on
            ? $"<p id=\"guidance-on\">Guidance switched on at step {on}.</p>"
            : "<p id=\"guidance-on\">Guidance never switched on.</p>");
        html.Append("</section>");
    }

    private static string FitnessChart(RunReport report)
    {
        var chart = new LineChart("fitness-chart", $"Train {report.MetricName} per step", "Step", $"{report.MetricName} (%)",
        [
            StepSeries.Of("best", "best candidate", report.Steps, s => s.Best),
            StepSeries.Of("mean", "mean of candidates", report.Steps, s => s.Mean),
            StepSeries.Of("top3", "top-3 ensemble", report.Steps, s => s.Top3Ensemble),
            new ChartSeries("sofar", "best so far", StepSeries.BestSoFar(report.Steps)),
        ])
        {
            MarkerX = report.GuidanceOnStep,
            XDomain = StepSeries.Domain(report.Steps),
            MarkerLabel = report.GuidanceOnStep is { } g ? $"guidance on (step {g})" : null,
        };
        return chart.ToSvg();
    }

    private static void Steering(StringBuilder html, RunReport report)
    {
        html.Append("<section id=\"steering\"><h2>Steering-vector norm per step</h2>");
        if (report.Steps.All(s => s.SteeringNorm is null))
        {
            html.Append("<p>No step was steered.</p></section>");
            return;
        }
        var chart = new LineChart("steering-chart", "Steering-vector norm per step", "Step", "‖α·(H(p+) − H(p−))‖",
            [StepSeries.Of("norm", "steering norm", report.Steps, s => s.SteeringNorm)]) { XDomain = StepSeries.Domain(report.Steps) };
        html.Append(chart.ToSvg()).Append("</section>");
    }

    private static void Final(StringBuilder html, RunReport report)
    {
        html.Append("<section id=\"final\"><h2>Selected ensemble</h2>");
        if (report.Final is not { } final)
        {
            html.Append("<p>No ensemble was selected.</p></section>");
            return;
        }
        html.Append($"<p>Top {final.Templates.Count} of {(final.Step == 0 ? "the seed templates (step 0)" : $"step {final.Step}")}, train {E(report.MetricName.ToLowerInvariant())} {Pct(final.TrainScore)}.</p><ol class=\"templates\">");
        foreach (var t in final.Templates)
            html.Append($"<li><code>{E(t)}</code></li>");
        html.Append("</ol></section>");
    }

    private static void Tests(StringBuilder html, RunReport report)
    {
        html.Append("<section id=\"test\"><h2>Result on the test split</h2>");
        if (report.TestResults.Count == 0)
        {
            html.Append("<p>Not evaluated yet: run <code>glov evaluate</code>.</p></section>");
            return;
        }
        var best = report.TestResults.Max(r => r.TestScore);
        var safety = report.TestResults.Any(r => r.Safety is not null);
        html.Append($"<table id=\"test-table\"><thead><tr><th>Method</th><th>Templates</th><th>Train</th><th>Test {E(report.MetricName.ToLowerInvariant())}</th>");
        html.Append("<th>GLOV's gain (points)</th>");
        html.Append(safety ? "<th>Attack success (%)</th><th>Benign refusal (%)</th><th>Requests</th>" : "<th>Images</th>");
        html.Append("</tr></thead><tbody>");
        // The first row is the selected GLOV ensemble; every other row is a baseline it is compared with.
        var glov = report.TestResults[0].TestScore;
        foreach (var r in report.TestResults)
        {
            var gain = ReferenceEquals(r, report.TestResults[0]) ? "" : Points(glov - r.TestScore);
            html.Append($"<tr{(r.TestScore == best ? " class=\"best\"" : "")}><td>{E(r.Method)}</td><td class=\"num\">{r.TemplateCount}</td><td class=\"num\">{Pct(r.TrainScore)}</td><td class=\"num\">{Pct(r.TestScore)}</td><td class=\"num\">{gain}</td>");
            if (safety)
                html.Append($"<td class=\"num\">{Pct(r.Safety?.AttackSuccessRate)}</td><td class=\"num\">{Pct(r.Safety?.BenignRefusalRate)}</td>");
            html.Append($"<td class=\"num\">{r.TestImages}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void Sweep(StringBuilder html, RunReport report)
    {
        if (report.Sweep is not { Cells.Count: > 0 } sweep)
            return;
        var alphas = sweep.Cells.Select(c => c.Alpha).Distinct().OrderDescending().ToList();
        var layers = sweep.Cells.Select(c => c.Layer).Distinct().Order().ToList();
        html.Append("<section id=\"sweep\"><h2>Sweep</h2><p>Final train score per run; the chosen run is marked ★.</p><table id=\"sweep-table\"><thead><tr><th>α \\ layer</th>");
        foreach (var l in layers)
            html.Append($"<th>{l}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var a in alphas)
        {
            html.Append($"<tr><th>{a.ToString("0.###", CultureInfo.InvariantCulture)}</th>");
            foreach (var l in layers)
            {
                var cell = sweep.Cells.FirstOrDefault(c => c.Alpha == a && c.Layer == l);
                if (cell is null)
                {
                    html.Append("<td></td>");
                    continue;
                }
                var classes = (cell.Chosen ? "chosen " : "") + (cell.Degenerate is not null ? "degenerate" : "");
                html.Append($"<td class=\"{classes.Trim()}\" title=\"run {E(cell.RunId)}\">{Pct(cell.FinalTrain)}{(cell.Chosen ? " ★" : "")}");
                if (cell.Degenerate is not null)
                    html.Append($"<br><small>degenerate: {E(cell.Degenerate)}</small>");
                html.Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void Candidates(StringBuilder html, RunReport report)
    {
        var scored = report.Candidates.Count(c => c.Score is not null);
        html.Append($"<section id=\"candidates\"><h2>All candidates</h2><p>{report.Candidates.Count} answers, {scored} scored, {report.Candidates.Count - scored} rejected.</p>");
        if (report.Rejections.Count > 0)
        {
            html.Append("<table id=\"rejections-table\"><thead><tr><th>Rejected because</th><th>Candidates</th></tr></thead><tbody>");
            foreach (var r in report.Rejections)
                html.Append($"<tr><td>{E(r.Reason)}</td><td class=\"num\">{r.Count}</td></tr>");
            html.Append("</tbody></table>");
        }
        html.Append("<p class=\"controls\"><label>Filter <input id=\"candidates-filter\" type=\"search\" placeholder=\"text, step or reason\"></label> ");
        html.Append("<label>Status <select id=\"candidates-status\"><option value=\"\">all</option><option value=\"scored\">scored</option><option value=\"rejected\">rejected</option></select></label> ");
        html.Append("<span id=\"candidates-shown\"></span> Click a column heading to sort.</p>");
        html.Append($"<table id=\"candidates-table\" class=\"sortable\"><thead><tr><th data-type=\"num\">Step</th><th data-type=\"num\">#</th><th>Template</th><th data-type=\"num\">{E(report.MetricName)}</th><th>Rejected because</th><th>Raw answer</th></tr></thead><tbody>");
        foreach (var c in report.Candidates)
        {
            var rowClass = c.Rejection is null ? " data-status=\"scored\"" : " class=\"rejected\" data-status=\"rejected\"";
            html.Append($"<tr{rowClass}><td class=\"num\">{c.Step}</td><td class=\"num\">{c.Index}</td><td class=\"template\">{E(c.Template ?? "")}</td>");
            html.Append($"<td class=\"num\">{Pct(c.Score)}</td><td>{E(c.Rejection ?? "")}</td><td class=\"raw\">{E(c.RawText)}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    /// <summary>Per step: best and mean train score, the guidance pair and the steering norm, the prompt's and
    /// the answers' tokens, the share of the prompt reused from the step before's KV cache (when the proposer
    /// says), the step's seconds and generation rate, and the meta-prompt, folded. A last row sums tokens and
    /// seconds over the run.</summary>
    private static void StepTable(StringBuilder html, RunReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var reuse = report.Steps.Any(s => s.ReusedPromptTokens is not null);
        html.Append("<section id=\"steps\"><h2>Steps</h2><table id=\"steps-table\"><thead><tr><th>Step</th><th>Best</th><th>Mean</th><th>Guidance pair (better / worse)</th><th>‖v‖</th>");
        html.Append($"<th>Prompt tokens</th>{(reuse ? "<th>Prompt reused (%)</th>" : "")}<th>Generated tokens</th><th>Seconds</th><th>Generated tokens/s</th><th>Meta-prompt</th></tr></thead><tbody>");
        foreach (var s in report.Steps)
        {
            var pair = s.GuidancePair is var (positive, negative) ? $"<code>{E(positive)}</code><br><code>{E(negative)}</code>" : "";
            var norm = s.SteeringNorm is { } n ? n.ToString("0.###", c) : "";
            var prompt = s.MetaPrompt is { } m ? $"<details><summary>show</summary><pre>{E(m)}</pre></details>" : "";
            html.Append($"<tr><td class=\"num\">{s.Step}</td><td class=\"num\">{Pct(s.Best)}</td><td class=\"num\">{Pct(s.Mean)}</td><td>{pair}</td><td class=\"num\">{norm}</td>");
            html.Append($"<td class=\"num\">{Count(s.PromptTokens)}</td>{(reuse ? $"<td class=\"num\">{Share(s.ReusedPromptTokens, s.PromptTokens)}</td>" : "")}");
            html.Append($"<td class=\"num\">{Count(s.GeneratedTokens)}</td><td class=\"num\">{Seconds(s.Seconds)}</td><td class=\"num\">{Rate(s.GeneratedTokens, s.Seconds)}</td><td>{prompt}</td></tr>");
        }
        html.Append("</tbody>");
        var timed = report.Steps.Where(s => s.Seconds is not null).ToList();
        if (timed.Count > 0 || report.Steps.Any(s => s.GeneratedTokens is not null))
        {
            int? Sum(IEnumerable<StepSummary> steps, Func<StepSummary, int?> value) => steps.Any(s => value(s) is not null) ? steps.Sum(value) : null;
            double? seconds = timed.Count > 0 ? timed.Sum(s => s.Seconds!.Value) : null;
            // Rates and shares over the steps that have both figures, so that a step missing one does not skew them.
            var rated = timed.Where(s => s.GeneratedTokens is not null).ToList();
            var rate = Rate(Sum(rated, s => s.GeneratedTokens), rated.Count > 0 ? rated.Sum(s => s.Seconds) : null);
            var reused = report.Steps.Where(s => s.ReusedPromptTokens is not null && s.PromptTokens is not null).ToList();
            html.Append($"<tfoot><tr><td colspan=\"5\">all steps</td><td class=\"num\">{Count(Sum(report.Steps, s => s.PromptTokens))}</td>");
            html.Append(reuse ? $"<td class=\"num\">{Share(Sum(reused, s => s.ReusedPromptTokens), Sum(reused, s => s.PromptTokens))}</td>" : "");
            html.Append($"<td class=\"num\">{Count(Sum(report.Steps, s => s.GeneratedTokens))}</td><td class=\"num\">{Seconds(seconds)}</td><td class=\"num\">{rate}</td><td></td></tr></tfoot>");
        }
        html.Append("</table><p>Seconds run from a step's first proposal to its last score as the journal recorded them (a step resumed after an interruption includes the pause); the seed step proposes nothing and is not timed.");
        if (reuse)
            html.Append(" Prompt reused: the share of the step's prompt the optimizer LLM took from its cache of the step before's prompt instead of computing it again.");
        html.Append("</p></section>");
    }

    /// <summary>Test accuracy per class, seed against the selected ensemble, sorted by the change: the largest
    /// gains first, the largest losses last; with many classes the twenty largest changes come first and the
    /// whole list is folded below them.</summary>
    private static void PerClass(StringBuilder html, RunReport report)
    {
        if (report.TestResults.Count == 0)
            return;
        html.Append("<section id=\"per-class\"><h2>Per-class test accuracy: seed vs selected</h2>");
        if (report.PerClass.Count == 0)
        {
            html.Append("<p>This evaluation has no per-class counts (it was written by an older glov, or has no seed row): run <code>glov evaluate</code> again.</p></section>");
            return;
        }
        var classes = report.PerClass;
        var (gained, lost) = (classes.Count(x => x.Change > 0), classes.Count(x => x.Change < 0));
        html.Append($"<p id=\"per-class-summary\">{gained} of {classes.Count} classes gained, {lost} lost, {classes.Count - gained - lost} unchanged; mean change {Points(classes.Average(x => x.Change))} points.</p>");
        const int Shown = 10;
        if (classes.Count <= 2 * Shown)
        {
            ClassTable(html, "per-class-table", classes);
            html.Append("</section>");
            return;
        }
        ClassTable(html, "per-class-extremes", [.. classes.Take(Shown).Where(x => x.Change > 0), .. classes.TakeLast(Shown).Where(x => x.Change < 0)]);
        html.Append($"<details><summary>all {classes.Count} classes</summary>");
        ClassTable(html, "per-class-table", classes);
        html.Append("</details></section>");
    }

    private static void ClassTable(StringBuilder html, string id, IEnumerable<ClassChange> classes)
    {
        html.Append($"<table id=\"{id}\"><thead><tr><th>Class</th><th>Seed (%)</th><th>Selected (%)</th><th>Change (points)</th><th>Test images</th></tr></thead><tbody>");
        foreach (var x in classes)
        {
            var kind = x.Change > 0 ? " class=\"gain\"" : x.Change < 0 ? " class=\"loss\"" : "";
            html.Append($"<tr{kind}><td>{E(x.ClassName)}</td><td class=\"num\">{Pct(x.Seed)}</td><td class=\"num\">{Pct(x.Selected)}</td><td class=\"num change\">{Points(x.Change)}</td><td class=\"num\">{x.Images}</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static string Count(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Share(int? part, int? whole) =>
        part is { } p && whole is { } w && w > 0 ? (100.0 * p / w).ToString("0.0", CultureInfo.InvariantCulture) : "";

    private static string Seconds(double? s) => s?.ToString("0.0#", CultureInfo.InvariantCulture) ?? "";

    private static string Rate(int? tokens, double? seconds) =>
        tokens is { } t && seconds is { } s && s > 0 ? (t / s).ToString("0.0", CultureInfo.InvariantCulture) : "";
}
