using System.Text.Json;
using Glov.Reports.Html;
using PuppeteerSharp;

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
            page.Request += (_, e) => requests.Add(e.Request.Url);
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) consoleErrors.Add(e.Message.Text); };
            page.Dialog += (_, e) => _ = e.Dialog.Dismiss();
            await page.GoToAsync(url, WaitUntilNavigation.Load);
            var json = await page.EvaluateFunctionAsync<string>("""
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
            await page.ScreenshotAsync(Path.ChangeExtension(file, ".png"), new ScreenshotOptions { FullPage = true });
            return o with { Requests = requests, ConsoleErrors = consoleErrors };
        });

        Assert.Equal("GLOV on CIFAR-10 <test>", seen.Title);
        Assert.Equal(new Dictionary<string, int> { ["best"] = 4, ["mean"] = 4, ["top3"] = 3 }, seen.FitnessPoints);
        Assert.Equal(2, seen.SteeringPoints);
        Assert.Equal(1, seen.MarkerLines);
        Assert.Equal(SampleReports.Injection, seen.InjectedCellText);
        Assert.False(seen.ScriptRan);
        // Only the report's own script (allowed by its hash); the injected one is text.
        Assert.Equal(1, seen.ScriptElements);
        Assert.Equal(3, seen.TestRows);
        Assert.Equal("50.0 ★", seen.ChosenSweepCell);
        Assert.True(seen.ChartsVisible);
        Assert.Equal([url], seen.Requests);
        Assert.Empty(seen.ConsoleErrors);
    }

    [Fact]
    public async Task The_candidate_table_sorts_by_a_clicked_column_and_filters_by_text_and_status()
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-check")).FullName;
        var file = Path.Combine(folder, "sortable.html");
        await File.WriteAllTextAsync(file, HtmlReportRenderer.Render(SampleReports.Small()));

        var (byScore, byScoreAscending, filtered, rejected, shown, errors) = await HeadlessChromium.WithPageAsync(async page =>
        {
            var consoleErrors = new List<string>();
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) consoleErrors.Add(e.Message.Text); };
            await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
            const string visibleColumn = "i => [...document.querySelectorAll('#candidates-table tbody tr')].filter(r => !r.hidden).map(r => r.cells[i].textContent)";
            await page.ClickAsync("#candidates-table thead th:nth-child(4)");
            var desc = await page.EvaluateFunctionAsync<string[]>(visibleColumn, 3);
            await page.ClickAsync("#candidates-table thead th:nth-child(4)");
            var asc = await page.EvaluateFunctionAsync<string[]>(visibleColumn, 3);
            await page.TypeAsync("#candidates-filter", "placeholder");
            var reasons = await page.EvaluateFunctionAsync<string[]>(visibleColumn, 4);
            await page.EvaluateExpressionAsync("document.getElementById('candidates-filter').value = ''");
            await page.SelectAsync("#candidates-status", "rejected");
            var status = await page.EvaluateFunctionAsync<string[]>(visibleColumn, 5);
            var count = await page.EvaluateExpressionAsync<string>("document.getElementById('candidates-shown').textContent");
            return (desc, asc, reasons, status, count, consoleErrors);
        });

        Assert.Equal(["55.0", "40.0", "30.0", "20.0", "–"], byScore);
        Assert.Equal(["–", "20.0", "30.0", "40.0", "55.0"], byScoreAscending);
        Assert.Equal(["more than one placeholder"], filtered);
        Assert.Equal([SampleReports.Injection], rejected);
        Assert.Equal("1 of 5 shown.", shown);
        Assert.Empty(errors);
    }
}
