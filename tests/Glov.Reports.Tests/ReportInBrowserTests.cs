using System.Text.Json;
using Glov.Reports.Html;
using Microsoft.Playwright;

namespace Glov.Reports.Tests;

public sealed class ReportInBrowserTests
{
    private sealed record Observed(
        string Title,
        Dictionary<string, int> FitnessPoints,
        int SteeringPoints,
        int MarkerLines,
        string InjectedCellText,
        bool ScriptRan,
        int ScriptElements,
        int TestRows,
        string ChosenSweepCell,
        List<string> Requests,
        List<string> ConsoleErrors,
        bool ChartsVisible);

    [Fact]
    public async Task The_report_renders_in_headless_Chromium_with_the_right_chart_points_and_inert_model_text()
    {
        // Kept beside the test binary (overwritten each run) so that a person can look at the screenshot.
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-check")).FullName;
        var file = Path.Combine(folder, "report.html");
        await File.WriteAllTextAsync(file, HtmlReportRenderer.Render(SampleReports.Small()));
        var url = new Uri(file).AbsoluteUri;

        var seen = await HeadlessChromium.WithPageAsync(async page =>
        {
            var requests = new List<string>();
            var consoleErrors = new List<string>();
            page.Request += (_, r) => requests.Add(r.Url);
            page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
            page.Dialog += (_, d) => _ = d.DismissAsync();
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
            var json = await page.EvaluateAsync<string>("""
                () => JSON.stringify({
                  title: document.querySelector('h1').textContent,
                  fitnessPoints: Object.fromEntries(['best', 'mean', 'top3'].map(s =>
                    [s, document.querySelectorAll(`#fitness-chart g.points[data-series="${s}"] circle`).length])),
                  steeringPoints: document.querySelectorAll('#steering-chart g.points circle').length,
                  markerLines: document.querySelectorAll('#fitness-chart line.marker').length,
                  injectedCellText: [...document.querySelectorAll('#candidates-table td.raw')]
                    .map(td => td.textContent).find(t => t.includes('__pwned')) ?? '',
                  scriptRan: window.__pwned !== undefined,
                  scriptElements: document.querySelectorAll('script').length,
                  testRows: document.querySelectorAll('#test-table tbody tr').length,
                  chosenSweepCell: document.querySelector('#sweep-table td.chosen')?.textContent ?? '',
                  chartsVisible: [...document.querySelectorAll('svg.chart')].every(s => s.getBoundingClientRect().width > 100)
                })
                """);
            var o = JsonSerializer.Deserialize<Observed>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web) { IncludeFields = true })!;
            await page.ScreenshotAsync(new() { Path = Path.ChangeExtension(file, ".png"), FullPage = true });
            return o with { Requests = requests, ConsoleErrors = consoleErrors };
        });

        Assert.Equal("GLOV on CIFAR-10 <test>", seen.Title);
        Assert.Equal(new Dictionary<string, int> { ["best"] = 4, ["mean"] = 4, ["top3"] = 3 }, seen.FitnessPoints);
        Assert.Equal(2, seen.SteeringPoints);
        Assert.Equal(1, seen.MarkerLines);
        Assert.Equal(SampleReports.Injection, seen.InjectedCellText);
        Assert.False(seen.ScriptRan);
        Assert.Equal(0, seen.ScriptElements);
        Assert.Equal(3, seen.TestRows);
        Assert.Equal("50.0 ★", seen.ChosenSweepCell);
        Assert.True(seen.ChartsVisible);
        Assert.Equal([url], seen.Requests);
        Assert.Empty(seen.ConsoleErrors);
    }
}
