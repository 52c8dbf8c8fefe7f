using System.Globalization;
using System.Text;
using Glov.Reports.Model;
using static Glov.Reports.Html.HtmlPage;

namespace Glov.Reports.Html;

/// <summary>
/// Several runs side by side: each run's best-so-far train curve on one chart (series <c>run0</c>, <c>run1</c>, …
/// in the given order, labelled with the run's name), then one row per run with the settings that differ
/// between them, how far each got, and its train and test results.
/// </summary>
internal static class ComparisonSection
{
    /// <summary>Settings that differ between any two runs by nature, not by choice.</summary>
    private static readonly HashSet<string> Identity = new(StringComparer.Ordinal) { "name", "runs_dir", "config hash", "created" };

    private const int MaxSettingColumns = 8;

    public static void Append(StringBuilder html, IReadOnlyList<RunReport> runs, string? current)
    {
        var metric = runs.Select(r => r.MetricName).FirstOrDefault() ?? "Accuracy";
        html.Append($"<section id=\"overlay\"><h2>{runs.Count} runs compared: best train {E(metric.ToLowerInvariant())} so far</h2>");
        var series = runs.Select((r, i) => new ChartSeries($"run{i}", r.Name, StepSeries.BestSoFar(r.Steps)) { Style = RunStyle(i) }).ToList();
        if (series.Any(s => s.Points.Count > 0))
            html.Append(new LineChart("overlay-chart", $"Best train {metric} so far, per run", "Step", $"{metric} (%)", series)
            {
                XDomain = StepSeries.Domain(runs.SelectMany(r => r.Steps)),
            }.ToSvg());
        else
            html.Append("<p>No run has scored a candidate yet.</p>");
        Table(html, runs, current);
        html.Append("</section>");
    }

    private static void Table(StringBuilder html, IReadOnlyList<RunReport> runs, string? current)
    {
        var differing = DifferingSettings(runs);
        html.Append("<table id=\"comparison-table\"><thead><tr><th>Run</th>");
        foreach (var key in differing.Take(MaxSettingColumns))
            html.Append($"<th>{E(key)}</th>");
        html.Append("<th>Status</th><th>Steps</th><th>Guidance on</th><th>Best train</th><th>Selected, train</th><th>Seed, test</th><th>Selected, test</th><th>Gain (points)</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var values = run.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            var (seed, selected) = (SeedTest(run), SelectedTest(run));
            var best = run.Steps.Max(s => s.Best);
            var done = run.Progress?.StepsDone ?? run.Steps.Count(s => s.Step > 0);
            var steps = run.Progress is { } p ? $"{done}/{p.StepsPlanned}" : done.ToString(CultureInfo.InvariantCulture);
            html.Append($"<tr{(run.Name == current ? " class=\"current\"" : "")}><td>{E(run.Name)}</td>");
            foreach (var key in differing.Take(MaxSettingColumns))
                html.Append($"<td>{E(values.GetValueOrDefault(key) ?? "")}</td>");
            html.Append($"<td>{E(run.Progress?.Status ?? "")}</td><td class=\"num\">{steps}</td><td class=\"num\">{run.GuidanceOnStep?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td>");
            html.Append($"<td class=\"num\">{Pct(best)}</td><td class=\"num\">{Pct(run.Final?.TrainScore)}</td><td class=\"num\">{Pct(seed)}</td><td class=\"num\">{Pct(selected)}</td>");
            html.Append($"<td class=\"num\">{(seed is { } a && selected is { } b ? Points(b - a) : "")}</td></tr>");
        }
        html.Append("</tbody></table>");
        if (differing.Count > MaxSettingColumns)
            html.Append($"<p>{differing.Count - MaxSettingColumns} more settings differ: {E(string.Join(", ", differing.Skip(MaxSettingColumns)))}.</p>");
        else if (differing.Count == 0 && runs.Count > 1)
            html.Append("<p>The runs' settings are the same (apart from their names).</p>");
    }

    /// <summary>Keys whose value is not the same in every run (a key a run lacks counts as different), in the
    /// order they first appear.</summary>
    private static List<string> DifferingSettings(IReadOnlyList<RunReport> runs)
    {
        var values = runs.Select(r => r.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal)).ToList();
        return runs.SelectMany(r => r.Settings.Select(s => s.Key)).Distinct(StringComparer.Ordinal)
            .Where(key => !Identity.Contains(key))
            .Where(key => values.Select(v => v.GetValueOrDefault(key)).Distinct(StringComparer.Ordinal).Skip(1).Any())
            .ToList();
    }

    private static double? SeedTest(RunReport run) => run.TestResults.FirstOrDefault(r => r.Key == TestResult.SeedKey)?.TestScore;

    /// <summary>The selected ensemble is the evaluation's first row.</summary>
    private static double? SelectedTest(RunReport run) => run.TestResults.Count > 0 ? run.TestResults[0].TestScore : null;
}
