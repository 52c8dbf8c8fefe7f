using System.Globalization;
using System.Text;
using Glov.Reports.Model;
using static System.Net.WebUtility;

namespace Glov.Reports.Html;

/// <summary>
/// Renders a <see cref="RunReport"/> as one static HTML file: inline CSS, inline SVG charts, one inline
/// script (sorting and filtering the candidate table) and no external reference, so it opens offline and
/// can be mailed or archived as is. The headline comes first (test results beside the baselines, the
/// selected prompts), the settings last, folded. Every string that came from a model or a user is
/// HTML-escaped, and a Content-Security-Policy allows only that one script, by its hash, and no remote
/// load, as a second line of defence.
/// </summary>
public static class HtmlReportRenderer
{
    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{ScriptHash}'\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>{E(report.Title)}</title><style>{Css}</style></head><body>");
        html.Append($"<h1>{E(report.Title)}</h1>");
        foreach (var notice in report.Notices)
            html.Append($"<p class=\"notice\">{E(notice)}</p>");

        Tests(html, report);
        Final(html, report);
        Fitness(html, report);
        Steering(html, report);
        StepTable(html, report);
        Sweep(html, report);
        Candidates(html, report);
        Settings(html, report);
        html.Append($"<script>{Script}</script></body></html>");
        return html.ToString();
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
            Series("best", "best candidate", report.Steps, s => s.Best),
            Series("mean", "mean of candidates", report.Steps, s => s.Mean),
            Series("top3", "top-3 ensemble", report.Steps, s => s.Top3Ensemble),
            Series("sofar", "best so far", BestSoFar(report.Steps)),
        ])
        {
            MarkerX = report.GuidanceOnStep,
            XDomain = StepDomain(report),
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
            [Series("norm", "steering norm", report.Steps, s => s.SteeringNorm)]) { XDomain = StepDomain(report) };
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
            var gain = ReferenceEquals(r, report.TestResults[0]) ? "" : (glov - r.TestScore).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);
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

    private static ChartSeries Series(string key, string label, IEnumerable<StepSummary> steps, Func<StepSummary, double?> value) =>
        Series(key, label, steps.Where(s => value(s) is not null).Select(s => new ChartPoint(s.Step, value(s)!.Value)));

    private static ChartSeries Series(string key, string label, IEnumerable<ChartPoint> points) => new(key, label, points.ToList());

    /// <summary>The best train score of any step up to each step: the optimiser's progress.</summary>
    private static IEnumerable<ChartPoint> BestSoFar(IEnumerable<StepSummary> steps)
    {
        double? best = null;
        foreach (var s in steps.OrderBy(s => s.Step))
        {
            if (s.Best is { } b)
                best = best is { } x ? Math.Max(x, b) : b;
            if (best is { } y)
                yield return new ChartPoint(s.Step, y);
        }
    }

    /// <summary>Per step: best and mean train score, the guidance pair and the steering norm, generated tokens,
    /// and the meta-prompt, folded.</summary>
    private static void StepTable(StringBuilder html, RunReport report)
    {
        html.Append("<section id=\"steps\"><h2>Steps</h2><table id=\"steps-table\"><thead><tr><th>Step</th><th>Best</th><th>Mean</th><th>Guidance pair (better / worse)</th><th>‖v‖</th><th>Tokens</th><th>Meta-prompt</th></tr></thead><tbody>");
        foreach (var s in report.Steps)
        {
            var pair = s.GuidancePair is var (positive, negative) ? $"<code>{E(positive)}</code><br><code>{E(negative)}</code>" : "";
            var norm = s.SteeringNorm is { } n ? n.ToString("0.###", CultureInfo.InvariantCulture) : "";
            var prompt = s.MetaPrompt is { } m ? $"<details><summary>show</summary><pre>{E(m)}</pre></details>" : "";
            html.Append($"<tr><td class=\"num\">{s.Step}</td><td class=\"num\">{Pct(s.Best)}</td><td class=\"num\">{Pct(s.Mean)}</td><td>{pair}</td><td class=\"num\">{norm}</td><td class=\"num\">{s.GeneratedTokens?.ToString(CultureInfo.InvariantCulture) ?? ""}</td><td>{prompt}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static (double, double) StepDomain(RunReport report)
    {
        var first = report.Steps.Min(s => s.Step);
        var last = report.Steps.Max(s => s.Step);
        return first == last ? (first - 1, last + 1) : (first, last);
    }

    private static string Pct(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string E(string text) => HtmlEncode(text);

    /// <summary>Sorts a table.sortable by the clicked column (numbers as numbers, "–" last) and filters the
    /// candidate table by text and status. It reads and moves cells, never writes markup, so model text stays inert.</summary>
    private const string Script = """
        (()=>{const t=document.getElementById('candidates-table');if(!t)return;const b=t.tBodies[0];
        const f=document.getElementById('candidates-filter'),s=document.getElementById('candidates-status'),n=document.getElementById('candidates-shown');
        const key=(r,i,num)=>{const x=r.cells[i].textContent.trim();if(!num)return x.toLowerCase();const v=parseFloat(x);return isNaN(v)?-Infinity:v;};
        t.tHead.querySelectorAll('th').forEach((h,i)=>{h.tabIndex=0;h.addEventListener('click',()=>{const num=h.dataset.type==='num';
        const dir=h.dataset.dir==='desc'?'asc':'desc';t.tHead.querySelectorAll('th').forEach(o=>delete o.dataset.dir);h.dataset.dir=dir;
        const rows=[...b.rows].sort((p,q)=>{const a=key(p,i,num),c=key(q,i,num);return (a<c?-1:a>c?1:0)*(dir==='asc'?1:-1);});
        rows.forEach(r=>b.appendChild(r));});});
        const apply=()=>{const q=f.value.trim().toLowerCase(),st=s.value;let k=0;
        for(const r of b.rows){const show=(!st||r.dataset.status===st)&&(!q||r.textContent.toLowerCase().includes(q));r.hidden=!show;if(show)k++;}
        n.textContent=k+' of '+b.rows.length+' shown.';};
        f.addEventListener('input',apply);s.addEventListener('change',apply);apply();})();
        """;

    /// <summary>The script's CSP source: its SHA-256, so the browser runs it and nothing else.</summary>
    private static readonly string ScriptHash =
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Script)));

    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
        h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
        .notice{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em .8em}
        table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.kv th{background:#f6f6f6;font-weight:normal}
        tr.rejected td{color:#888}tr.best td{font-weight:bold}td.raw{font-family:monospace;white-space:pre-wrap;max-width:28em;font-size:.9em}
        td.template,code{font-family:monospace}td.chosen{background:#e6f4ea}td.degenerate{color:#a00}
        .chart{width:100%;max-width:720px;height:auto}.chart .grid{stroke:#eee}.chart .axis{stroke:#444}
        .chart .tick,.chart .axis-label,.chart .marker-label{font-size:11px;fill:#444}
        .chart .series{fill:none;stroke-width:2}.chart .marker{stroke:#c00;stroke-dasharray:4 3}.chart .marker-label{fill:#c00}
        .s-sofar{stroke:#d62728;fill:#d62728}.chart polyline.s-sofar{stroke-dasharray:6 4}.swatch.s-sofar{background:#d62728}th[data-dir]{background:#eef}.controls input{width:16em}
        pre{white-space:pre-wrap;max-width:60em;font-size:.85em}summary{cursor:pointer}
        .s-best{stroke:#1f77b4;fill:#1f77b4}.s-mean{stroke:#7f7f7f;fill:#7f7f7f}.s-top3{stroke:#2ca02c;fill:#2ca02c}.s-norm{stroke:#9467bd;fill:#9467bd}
        .chart polyline.series{fill:none}figcaption{font-size:12px}.legend-item{margin-right:1.2em}
        .swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
        .swatch.s-best{background:#1f77b4}.swatch.s-mean{background:#7f7f7f}.swatch.s-top3{background:#2ca02c}.swatch.s-norm{background:#9467bd}
        """;
}
