using System.Globalization;
using System.Text;
using Glov.Reports.Model;
using static System.Net.WebUtility;

namespace Glov.Reports.Html;

/// <summary>
/// The frame every report page shares: inline CSS, one inline script, no external reference, so the file opens
/// offline and can be mailed or archived as is. A Content-Security-Policy allows only that script, by its hash,
/// and no remote load, as a second line of defence behind escaping every string a model or a user wrote.
/// A page kept live by <c>glov report --watch</c> reloads itself with a meta refresh (no script needed), and
/// only while the run is in progress.
/// </summary>
internal static class HtmlPage
{
    public static string Build(string title, IReadOnlyList<string> notices, int? refreshSeconds, Action<StringBuilder> body, string? progress = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{ScriptHash}'\">");
        if (refreshSeconds is { } seconds)
            html.Append($"<meta http-equiv=\"refresh\" content=\"{seconds.ToString(CultureInfo.InvariantCulture)}\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>{E(title)}</title><style>{Css}</style></head><body>");
        html.Append($"<h1>{E(title)}</h1>");
        if (progress is not null)
            html.Append(progress);
        foreach (var notice in notices)
            html.Append($"<p class=\"notice\">{E(notice)}</p>");
        body(html);
        html.Append($"<script>{Script}</script></body></html>");
        return html.ToString();
    }

    /// <summary>What a reader must know about a run that has not ended well: still running (and whether this
    /// page follows it), interrupted, failed or cancelled. Null for a completed run.</summary>
    public static string? ProgressBanner(RunProgress? progress, int? refreshSeconds, string runName)
    {
        if (progress is null || progress.Status == RunProgress.Completed)
            return null;
        var steps = $"{progress.StepsDone} of {progress.StepsPlanned} steps done";
        var last = progress.LastRecorded is { } t ? $", last recorded {t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC" : "";
        var detail = progress.Detail is { Length: > 0 } d ? $" ({d})" : "";
        var text = progress.Status switch
        {
            RunProgress.Running when refreshSeconds is { } s =>
                $"Run in progress: {steps}{last}. glov report --watch regenerates this page as the run records; it reloads itself every {s} s until the run ends.",
            RunProgress.Running => $"Run in progress when this report was written: {steps}{last}. glov report {runName} --watch keeps a live copy.",
            RunProgress.Interrupted => $"Run interrupted: {steps}{last}; its process is gone. glov resume {runName} continues it.",
            _ => $"Run {progress.Status}{detail}: {steps}{last}.",
        };
        return $"<p id=\"progress\" class=\"progress {E(progress.Status)}\" data-status=\"{E(progress.Status)}\">{E(text)}</p>";
    }

    public static string E(string text) => HtmlEncode(text);

    public static string Pct(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    public static string Points(double v) => v.ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);

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

    /// <summary>Eight line colours for compared runs (<c>s-r0</c> … <c>s-r7</c>), repeated beyond eight.</summary>
    public static string RunStyle(int index) => $"r{index % 8}";

    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
        h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
        .notice{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em .8em}
        .progress{background:#e8f0fe;border-left:4px solid #1a73e8;padding:.5em .8em}.progress.interrupted,.progress.failed{background:#fde8e8;border-color:#c00}
        table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.kv th{background:#f6f6f6;font-weight:normal}
        tr.rejected td{color:#888}tr.best td{font-weight:bold}td.raw{font-family:monospace;white-space:pre-wrap;max-width:28em;font-size:.9em}
        td.template,code{font-family:monospace}td.chosen{background:#e6f4ea}td.degenerate{color:#a00}tr.current td{background:#f3f7ff}
        tr.gain td.change{color:#137333}tr.loss td.change{color:#c5221f}tfoot td{font-weight:bold}
        .chart{width:100%;max-width:720px;height:auto}.chart .grid{stroke:#eee}.chart .axis{stroke:#444}
        .chart .tick,.chart .axis-label,.chart .marker-label{font-size:11px;fill:#444}
        .chart .series{fill:none;stroke-width:2}.chart .marker{stroke:#c00;stroke-dasharray:4 3}.chart .marker-label{fill:#c00}
        .s-sofar{stroke:#d62728;fill:#d62728}.chart polyline.s-sofar{stroke-dasharray:6 4}.swatch.s-sofar{background:#d62728}th[data-dir]{background:#eef}.controls input{width:16em}
        pre{white-space:pre-wrap;max-width:60em;font-size:.85em}summary{cursor:pointer}
        .s-best{stroke:#1f77b4;fill:#1f77b4}.s-mean{stroke:#7f7f7f;fill:#7f7f7f}.s-top3{stroke:#2ca02c;fill:#2ca02c}.s-norm{stroke:#9467bd;fill:#9467bd}
        .chart polyline.series{fill:none}figcaption{font-size:12px}.legend-item{margin-right:1.2em}
        .swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
        .swatch.s-best{background:#1f77b4}.swatch.s-mean{background:#7f7f7f}.swatch.s-top3{background:#2ca02c}.swatch.s-norm{background:#9467bd}
        .s-r0{stroke:#1f77b4;fill:#1f77b4}.s-r1{stroke:#ff7f0e;fill:#ff7f0e}.s-r2{stroke:#2ca02c;fill:#2ca02c}.s-r3{stroke:#d62728;fill:#d62728}
        .s-r4{stroke:#9467bd;fill:#9467bd}.s-r5{stroke:#8c564b;fill:#8c564b}.s-r6{stroke:#e377c2;fill:#e377c2}.s-r7{stroke:#17becf;fill:#17becf}
        .swatch.s-r0{background:#1f77b4}.swatch.s-r1{background:#ff7f0e}.swatch.s-r2{background:#2ca02c}.swatch.s-r3{background:#d62728}
        .swatch.s-r4{background:#9467bd}.swatch.s-r5{background:#8c564b}.swatch.s-r6{background:#e377c2}.swatch.s-r7{background:#17becf}
        """;
}
