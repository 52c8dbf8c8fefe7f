using System.Globalization;
using System.Text.RegularExpressions;
using Glov.Reports.Html;
using Glov.Reports.Model;

namespace Glov.Reports.Tests;

public sealed class RunComparisonTests
{
    /// <summary>Three cells of an α sweep: their step-best scores, α, how far each got, and the test table of two.</summary>
    private static List<RunReport> Cells() =>
    [
        Run("alpha-1", "1", [20, 35, 30, 50], new RunProgress(RunProgress.Completed, 3, 3, null), test: (40, 52.5)),
        Run("alpha-0.5", "0.5", [20, 25, null, 45], new RunProgress(RunProgress.Completed, 3, 3, null), test: (40, 47)),
        Run("alpha-<0.25>", "0.25", [20, 22], new RunProgress(RunProgress.Running, 1, 3, null), test: null),
    ];

    private static RunReport Run(string name, string alpha, double?[] best, RunProgress progress, (double Seed, double Selected)? test) => new()
    {
        Title = $"GLOV run {name}",
        Name = name,
        Progress = progress,
        Settings = [new("name", name), new("seed", "7"), new("guidance.alpha", alpha), new("created", name)],
        Steps = best.Select((b, i) => new StepSummary(i, b, b, null, null)).ToList(),
        GuidanceOnStep = 2,
        Final = test is null ? null : new FinalEnsemble(3, ["a <category>"], best.Max()!.Value),
        TestResults = test is { } t
            ? [new TestResult("GLOV", 1, null, t.Selected, 100, Key: TestResult.GlovKey), new TestResult("seed template", 1, null, t.Seed, 100, Key: TestResult.SeedKey)]
            : [],
    };

    /// <summary>Each series' points as (step, value) read back from the SVG's point titles.</summary>
    private static Dictionary<string, List<(int Step, double Value)>> Series(string html, out Dictionary<string, string> labels)
    {
        var chart = Regex.Match(html, "<svg id=\"overlay-chart\".*?</svg>").Value;
        labels = Regex.Matches(html, "<span class=\"legend-item\" data-series=\"(run\\d+)\"><span class=\"swatch s-r\\d\"></span>(.*?)</span>")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        return Regex.Matches(chart, "<g class=\"points s-r\\d\" data-series=\"(run\\d+)\">(.*?)</g>").ToDictionary(
            m => m.Groups[1].Value,
            m => Regex.Matches(m.Groups[2].Value, @"step (\d+): ([\d.]+)</title>")
                .Select(p => (int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture))).ToList());
    }

    [Fact]
    public void The_overlay_draws_one_best_so_far_series_per_run_labelled_with_its_name()
    {
        var html = HtmlReportRenderer.Render(new RunComparison("3 runs", Cells()));

        var series = Series(html, out var labels);
        Assert.Equal(new Dictionary<string, string> { ["run0"] = "alpha-1", ["run1"] = "alpha-0.5", ["run2"] = "alpha-&lt;0.25&gt;" }, labels);
        // Best so far never falls: 35 stays at step 2 of the first run; the step that scored nothing keeps the previous best.
        Assert.Equal([(0, 20), (1, 35), (2, 35), (3, 50)], series["run0"]);
        Assert.Equal([(0, 20), (1, 25), (2, 25), (3, 45)], series["run1"]);
        Assert.Equal([(0, 20), (1, 22)], series["run2"]);
        Assert.Equal(["overlay"], Regex.Matches(html, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void The_comparison_table_shows_the_differing_setting_progress_and_the_test_gain_of_each_run()
    {
        var html = HtmlReportRenderer.Render(new RunComparison("3 runs", Cells()));

        var table = Regex.Match(html, "<table id=\"comparison-table\">.*?</table>").Value;
        var header = Regex.Matches(table, "<th>(.*?)</th>").Select(m => m.Groups[1].Value).ToList();
        // seed is the same in every run, name and created differ by nature: only α is a column.
        Assert.Equal(["Run", "guidance.alpha", "Status", "Steps", "Guidance on", "Best train", "Selected, train", "Seed, test", "Selected, test", "Gain (points)"], header);
        var rows = Regex.Matches(table, "<tr[^>]*>((?:<td[^>]*>.*?</td>)+)</tr>")
            .Select(r => Regex.Matches(r.Groups[1].Value, "<td[^>]*>(.*?)</td>").Select(c => c.Groups[1].Value).ToArray()).ToList();
        Assert.Equal(["alpha-1", "1", "completed", "3/3", "2", "50.0", "50.0", "40.0", "52.5", "+12.5"], rows[0]);
        Assert.Equal(["alpha-0.5", "0.5", "completed", "3/3", "2", "45.0", "45.0", "40.0", "47.0", "+7.0"], rows[1]);
        Assert.Equal(["alpha-&lt;0.25&gt;", "0.25", "running", "1/3", "2", "22.0", "–", "–", "–", ""], rows[2]);
        Assert.Contains("1 of 3 runs in progress when this page was written.", html);
    }

    [Fact]
    public void A_run_report_with_compared_runs_overlays_them_after_its_own_curve_and_marks_its_own_row()
    {
        var cells = Cells();
        var html = HtmlReportRenderer.Render(cells[1] with { Compared = cells });

        var sections = Regex.Matches(html, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(sections.IndexOf("fitness") + 1, sections.IndexOf("overlay"));
        Assert.Equal(3, Series(html, out _).Count);
        Assert.Matches("<tr class=\"current\"><td>alpha-0.5</td>", html);
        // A lone run draws no overlay.
        Assert.DoesNotContain("overlay-chart", HtmlReportRenderer.Render(cells[1]));
    }
}
