using System.Text.RegularExpressions;
using Glov.Reports.Html;
using Glov.Reports.Model;
using PuppeteerSharp;

namespace Glov.Reports.Tests;

public sealed class LiveReportTests
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2026-12-01T12:00:05Z", System.Globalization.CultureInfo.InvariantCulture);

    private static RunReport Running(int? refresh) =>
        SampleReports.Small() with { Name = "c10", Progress = new RunProgress(RunProgress.Running, 2, 5, Noon), RefreshSeconds = refresh };

    [Fact]
    public void A_watched_running_run_reloads_itself_and_says_so_and_nothing_else_reloads()
    {
        var live = HtmlReportRenderer.Render(Running(refresh: 7));
        var once = HtmlReportRenderer.Render(Running(refresh: null));
        var done = HtmlReportRenderer.Render(SampleReports.Small() with { Name = "c10", Progress = new RunProgress(RunProgress.Completed, 5, 5, Noon) });
        var interrupted = HtmlReportRenderer.Render(SampleReports.Small() with { Name = "c10", Progress = new RunProgress(RunProgress.Interrupted, 2, 5, Noon) });

        Assert.Single(Regex.Matches(live, "<meta http-equiv=\"refresh\" content=\"7\">"));
        Assert.Contains("Run in progress: 2 of 5 steps done, last recorded 2026-12-01 12:00:05 UTC. glov report --watch regenerates this page as the run records; it reloads itself every 7 s until the run ends.", live);
        foreach (var page in new[] { once, done, interrupted })
            Assert.DoesNotContain("http-equiv=\"refresh\"", page);
        Assert.Contains("Run in progress when this report was written: 2 of 5 steps done", once);
        Assert.Contains("glov report c10 --watch keeps a live copy.", once);
        Assert.DoesNotContain("id=\"progress\"", done);
        Assert.Contains("Run interrupted: 2 of 5 steps done", interrupted);
        Assert.Contains("glov resume c10 continues it.", interrupted);
    }

    [Fact]
    public async Task In_Chromium_the_live_page_reloads_until_the_file_says_the_run_ended_and_then_stays()
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-check")).FullName;
        var file = Path.Combine(folder, "live.html");
        await File.WriteAllTextAsync(file, HtmlReportRenderer.Render(Running(refresh: 2)));

        var (statusBefore, statusAfter, loadsAfterEnd, loadsLater, errors) = await HeadlessChromium.WithPageAsync(async page =>
        {
            var consoleErrors = new List<string>();
            var loads = 0;
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) consoleErrors.Add(e.Message.Text); };
            page.Load += (_, _) => Interlocked.Increment(ref loads);
            await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
            const string status = "() => document.getElementById('progress')?.dataset.status ?? 'none'";
            var before = await page.EvaluateFunctionAsync<string>(status);

            // What glov report --watch does when the run ends: the same file, rewritten without the refresh.
            await File.WriteAllTextAsync(file, HtmlReportRenderer.Render(SampleReports.Small() with { Progress = new RunProgress(RunProgress.Completed, 5, 5, Noon) }));
            await page.WaitForFunctionAsync("() => !document.getElementById('progress')", new WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 100 });
            var after = await page.EvaluateFunctionAsync<string>(status);
            // Still reloading, the page would load twice more within the 4.5 s between these two counts.
            await Task.Delay(1000);
            var atEnd = Volatile.Read(ref loads);
            await Task.Delay(4500);
            return (before, after, atEnd, Volatile.Read(ref loads), consoleErrors);
        });

        Assert.Equal("running", statusBefore);
        Assert.Equal("none", statusAfter);
        Assert.True(loadsAfterEnd >= 2, $"{loadsAfterEnd} loads");
        Assert.Equal(loadsAfterEnd, loadsLater);
        Assert.Empty(errors);
    }
}
