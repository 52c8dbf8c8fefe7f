using System.Text.RegularExpressions;
using Glov.Reports.Html;
using Glov.Reports.Model;

namespace Glov.Reports.Tests;

public sealed class HtmlReportRendererTests
{
    [Fact]
    public void Model_text_is_escaped_everywhere_it_appears()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());

        // One script element: the report's own, last in the body; model text never opens one.
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.Matches(new Regex("<script>(?:(?!</script>).)*</script></body></html>$", RegexOptions.Singleline), html);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt; a &lt;category&gt;", html);
        Assert.Contains("<h1>GLOV on CIFAR-10 &lt;test&gt;</h1>", html);
        Assert.Contains("<code>a photo of the &lt;category&gt; &amp; friends</code>", html);
        // The guidance pair and the meta-prompt of a step are model text too.
        Assert.Contains("<code>a photo of the &lt;category&gt; &amp; friends</code><br><code>&lt;script&gt;window.__pwned", html);
        Assert.Contains("<pre>[user]\nImprove: &lt;script&gt;", html);
    }

    [Fact]
    public void The_headline_comes_first_and_the_settings_last_folded_and_the_script_is_allowed_by_its_hash()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());
        var sections = Regex.Matches(html, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["test", "final", "per-class", "fitness", "steering", "steps", "sweep", "candidates", "settings"], sections);
        Assert.Contains("<details><summary>3 resolved settings</summary>", html);

        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"script-src 'sha256-{hash}'", html);
    }

    [Fact]
    public void The_best_so_far_curve_never_falls()
    {
        var report = SampleReports.Small() with { Steps = [new(0, 30.0, 25.0, null, null), new(1, 20.0, 15.0, null, null), new(2, 45.0, 30.0, null, null)] };
        var html = HtmlReportRenderer.Render(report);
        var points = Regex.Match(html, "<g class=\"points[^\"]*\" data-series=\"sofar\">(.*?)</g>").Groups[1].Value;
        Assert.Equal(["30.0", "30.0", "45.0"], Regex.Matches(points, @"best so far[^<]*?(\d+\.\d)").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void The_file_references_nothing_outside_itself()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());

        // Escaped model text cannot open a tag, so only real markup can match "<...src=".
        Assert.DoesNotMatch(new Regex(@"<[^>]*\b(src|href)\s*=|url\(|@import|<link|<iframe|<object", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("http:", html);
        Assert.DoesNotContain("https:", html);
        Assert.Contains("Content-Security-Policy", html);
    }

    [Fact]
    public void Rejections_per_reason_are_listed_beside_the_candidates_and_omitted_when_there_are_none()
    {
        var report = SampleReports.Small() with { Rejections = [new RejectionCount("truncated", 3), new RejectionCount("instruction <x>", 2)] };

        var html = HtmlReportRenderer.Render(report);

        Assert.Contains("<table id=\"rejections-table\"><thead><tr><th>Rejected because</th><th>Candidates</th></tr></thead><tbody>"
                        + "<tr><td>truncated</td><td class=\"num\">3</td></tr><tr><td>instruction &lt;x&gt;</td><td class=\"num\">2</td></tr></tbody></table>", html);
        Assert.DoesNotContain("rejections-table", HtmlReportRenderer.Render(report with { Rejections = [] }));
    }

    [Fact]
    public void Charts_hold_one_point_per_reported_value()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());

        int Points(string series) => Regex.Matches(html, $"<g class=\"points s-{series}\" data-series=\"{series}\">(<circle[^>]*>.*?</circle>)*</g>")
            .Single().Groups[1].Captures.Count;
        Assert.Equal(4, Points("best"));
        Assert.Equal(4, Points("mean"));
        Assert.Equal(3, Points("top3"));
        Assert.Equal(2, Points("norm"));
        Assert.Contains("guidance on (step 2)", html);
    }

    [Fact]
    public void Safety_rates_get_their_own_test_columns_and_other_tasks_do_not()
    {
        var safety = SampleReports.Small() with
        {
            MetricName = "Safety score",
            TestResults =
            [
                new TestResult("GLOV (top-1 of step 2)", 1, 100, 87.5, 12, new SafetyTestRates(12.5, 25)),
                new TestResult("seed prompt", 1, 50, 62.5, 12, new SafetyTestRates(37.5, 0)),
            ],
        };

        var html = HtmlReportRenderer.Render(safety);

        var table = Regex.Match(html, "<table id=\"test-table\">.*?</table>").Value;
        Assert.Contains("<th>Test safety score</th><th>GLOV's gain (points)</th><th>Attack success (%)</th><th>Benign refusal (%)</th><th>Requests</th>", table);
        Assert.Contains("<td>GLOV (top-1 of step 2)</td><td class=\"num\">1</td><td class=\"num\">100.0</td><td class=\"num\">87.5</td><td class=\"num\"></td>"
            + "<td class=\"num\">12.5</td><td class=\"num\">25.0</td><td class=\"num\">12</td>", table);
        Assert.Contains("<td>seed prompt</td><td class=\"num\">1</td><td class=\"num\">50.0</td><td class=\"num\">62.5</td><td class=\"num\">+25.0</td>"
            + "<td class=\"num\">37.5</td><td class=\"num\">0.0</td><td class=\"num\">12</td>", table);
        Assert.DoesNotContain("Attack success", HtmlReportRenderer.Render(SampleReports.Small()));
    }

    [Fact]
    public void A_run_without_guidance_steps_or_evaluation_says_so_instead_of_drawing_empty_charts()
    {
        var report = new RunReport
        {
            Title = "empty",
            Steps = [new StepSummary(0, null, null, null, null)],
        };

        var html = HtmlReportRenderer.Render(report);

        Assert.Contains("No step scored a candidate.", html);
        Assert.Contains("No step was steered.", html);
        Assert.Contains("Guidance never switched on.", html);
        Assert.Contains("Not evaluated yet", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("id=\"sweep\"", html);
    }

    [Fact]
    public void The_step_table_shows_tokens_seconds_and_rate_per_step_and_their_totals()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());

        var table = Regex.Match(html, "<table id=\"steps-table\">.*?</table>", RegexOptions.Singleline).Value;
        var rows = Regex.Matches(table, "<tr>(.*?)</tr>", RegexOptions.Singleline)
            .Select(m => Regex.Matches(m.Groups[1].Value, "<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline).Select(c => c.Groups[1].Value).ToList()).ToList();
        Assert.Equal(["Prompt tokens", "Prompt reused (%)", "Generated tokens", "Seconds", "Generated tokens/s"], rows[0][5..10]);
        // Step 2: 120 tokens in 8 s, nothing reused; step 3: 96 in 4 s, 248 of 310 prompt tokens reused; steps 0 and 1 carry neither.
        Assert.Equal(["", "", "", "", ""], rows[2][5..10]);
        Assert.Equal(["300", "0.0", "120", "8.0", "15.0"], rows[3][5..10]);
        Assert.Equal(["310", "80.0", "96", "4.0", "24.0"], rows[4][5..10]);
        var totals = Regex.Match(table, "<tfoot><tr>(.*?)</tr></tfoot>").Groups[1].Value;
        Assert.Equal(["all steps", "610", "40.7", "216", "12.0", "18.0", ""], Regex.Matches(totals, "<td[^>]*>(.*?)</td>").Select(c => c.Groups[1].Value));
        // A proposer that does not say what it reused (an endpoint) gets no reuse column.
        var silent = HtmlReportRenderer.Render(SampleReports.Small() with { Steps = [.. SampleReports.Small().Steps.Select(s => s with { ReusedPromptTokens = null })] });
        Assert.DoesNotContain("Prompt reused", silent);
    }

    [Fact]
    public void Per_class_accuracy_is_sorted_by_change_with_gains_and_losses_marked_and_names_escaped()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small());

        var table = Regex.Match(html, "<table id=\"per-class-table\">.*?</table>").Value;
        var rows = Regex.Matches(table, "<tr( class=\"(gain|loss)\")?><td>(.*?)</td><td class=\"num\">(.*?)</td><td class=\"num\">(.*?)</td><td class=\"num change\">(.*?)</td>")
            .Select(m => (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value, m.Groups[6].Value)).ToList();
        Assert.Equal(
            [("gain", "ship", "40.0", "90.0", "+50.0"), ("gain", "cat &amp; dog &lt;x&gt;", "50.0", "60.0", "+10.0"), ("", "frog", "70.0", "70.0", "0.0"), ("loss", "truck", "80.0", "40.0", "−40.0")],
            rows);
        Assert.Contains("2 of 4 classes gained, 1 lost, 1 unchanged; mean change +5.0 points.", html);
        Assert.DoesNotContain("per-class-extremes", html);
    }

    [Fact]
    public void With_many_classes_the_ten_largest_gains_and_losses_come_first_and_the_full_list_is_folded()
    {
        // 30 classes, changes −15 … +14 points: the ten largest gains are +14 … +5, the ten largest losses −6 … −15.
        var classes = Enumerable.Range(0, 30).Select(i => new ClassChange($"c{i}", 50, 50 + i - 15, 10)).OrderByDescending(c => c.Change).ToList();
        var html = HtmlReportRenderer.Render(SampleReports.Small() with { PerClass = classes });

        string[] Names(string id) => Regex.Matches(Regex.Match(html, $"<table id=\"{id}\">.*?</table>").Value, "<tr[^>]*><td>(c\\d+)</td>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal([.. Enumerable.Range(20, 10).Reverse().Select(i => $"c{i}"), .. Enumerable.Range(0, 10).Reverse().Select(i => $"c{i}")], Names("per-class-extremes"));
        Assert.Equal(30, Names("per-class-table").Length);
        Assert.Matches("<details><summary>all 30 classes</summary><table id=\"per-class-table\">", html);
    }

    [Fact]
    public void An_evaluation_without_per_class_counts_says_how_to_get_them()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Small() with { PerClass = [] });

        Assert.Contains("This evaluation has no per-class counts", html);
        Assert.DoesNotContain("per-class-table", html);
    }

    [Theory]
    [InlineData(new[] { 12.3, 47.9 }, new[] { 10.0, 20, 30, 40, 50 })]
    [InlineData(new[] { 0.71, 1.26 }, new[] { 0.6, 0.8, 1.0, 1.2, 1.4 })]
    [InlineData(new[] { 5.0, 5.0 }, new[] { 4.0, 4.5, 5.0, 5.5, 6.0 })]
    [InlineData(new[] { 0.0, 100.0 }, new[] { 0.0, 20, 40, 60, 80, 100 })]
    public void Axis_ticks_are_round_numbers_that_enclose_the_data(double[] values, double[] expected)
    {
        Assert.Equal(expected, LineChart.NiceTicks(values));
    }
}
