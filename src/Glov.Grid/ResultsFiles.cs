using Glov.Core.Files;
using System.Globalization;
using System.Net;
using System.Text;

namespace Glov.Grid;

/// <summary>Writes a results table as Markdown, CSV and an HTML index linking every cell's report, each to a
/// temporary name first and then renamed, so a reader never sees half a file.</summary>
public static class ResultsFiles
{
    public const string Markdown = "results.md";
    public const string Csv = "results.csv";
    public const string Index = "index.html";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteAll(ResultsTable table, string output)
    {
        Directory.CreateDirectory(output);
        Write(Path.Combine(output, Markdown), ToMarkdown(table));
        Write(Path.Combine(output, Csv), ToCsv(table));
        Write(Path.Combine(output, Index), ToHtml(table, output));
    }

    public static string ToMarkdown(ResultsTable table)
    {
        var text = new StringBuilder();
        text.Append("| method | ").Append(string.Join(" | ", table.Datasets)).Append(" | mean |\n");
        text.Append("|---|").Append(string.Concat(table.Datasets.Select(_ => "---:|"))).Append("---:|\n");
        foreach (var row in table.Rows)
            text.Append("| ").Append(row.Method).Append(" | ").Append(string.Join(" | ", row.PerDataset.Select(Format))).Append(" | ").Append(Number(row.Mean)).Append(" |\n");
        text.Append('\n').Append(Legend(table));
        foreach (var (note, i) in table.Notes.Select((n, i) => (n, i)))
            text.Append(C, $"\n[{i + 1}] {note}\n");
        return text.ToString();
    }

    public static string ToCsv(ResultsTable table)
    {
        var text = new StringBuilder("method");
        foreach (var dataset in table.Datasets)
            text.Append(',').Append(dataset).Append(',').Append(dataset).Append("_sd");
        text.Append(",mean\n");
        foreach (var row in table.Rows)
        {
            text.Append(Quote(row.Method));
            foreach (var value in row.PerDataset)
                text.Append(',').Append(value.Mean is { } m ? m.ToString("0.###", C) : value.FailureNote is not null ? "failed" : "")
                    .Append(',').Append(value.StdDev?.ToString("0.###", C) ?? "");
            text.Append(',').Append(row.Mean?.ToString("0.###", C) ?? "").Append('\n');
        }
        return text.ToString();
    }

    public static string ToHtml(ResultsTable table, string output)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GLOV results</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}td.n{text-align:right}.failed{color:#b00}</style></head><body>\n")
            .Append("<h1>GLOV results</h1>\n<table id=\"results\"><tr><th>method</th>");
        foreach (var dataset in table.Datasets)
            html.Append("<th>").Append(E(dataset)).Append("</th>");
        html.Append("<th>mean</th></tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr><td>").Append(E(row.Method)).Append("</td>");
            foreach (var value in row.PerDataset)
                html.Append("<td class=\"n\">").Append(E(Format(value))).Append("</td>");
            html.Append("<td class=\"n\">").Append(E(Number(row.Mean))).Append("</td></tr>\n");
        }
        html.Append("</table>\n<p>").Append(E(Legend(table))).Append("</p>\n<h2>Cells</h2>\n<table id=\"cells\"><tr><th>#</th><th>cell</th><th>status</th><th>report</th></tr>\n");
        foreach (var cell in table.Cells)
        {
            var report = Path.Combine(cell.Folder, CellState.ReportFile);
            var link = File.Exists(report) ? $"<a href=\"{E(Path.GetRelativePath(output, report).Replace('\\', '/'))}\">report</a>" : "";
            var status = cell.Status switch
            {
                CellStatus.Done => "done",
                CellStatus.Failed => $"failed: {cell.Reason}",
                CellStatus.Unfinished => "unfinished",
                _ => "not started",
            };
            html.Append(C, $"<tr><td>{cell.Cell.Index}</td><td>{E(cell.Cell.Name)}</td><td{(cell.Status == CellStatus.Failed ? " class=\"failed\"" : "")}>{E(status)}</td><td>{link}</td></tr>\n");
        }
        return html.Append("</table>\n</body></html>\n").ToString();
    }

    private static string Legend(ResultsTable table)
    {
        var seeds = table.Rows.SelectMany(r => r.PerDataset).Select(v => v.Seeds).DefaultIfEmpty(0).Max();
        return $"Test accuracy (%), mean ± standard deviation over seeds (up to {seeds} per cell); mean = over datasets; — = not run yet.";
    }

    private static string Format(ResultValue value) =>
        value.Mean is { } m ? (value.StdDev is { } sd ? string.Format(C, "{0:0.0} ± {1:0.0}", m, sd) : m.ToString("0.0", C))
        : value.FailureNote is { } n ? string.Format(C, "failed [{0}]", n)
        : "—";

    private static string Number(double? value) => value?.ToString("0.0", C) ?? "—";

    private static string Quote(string text) => text.Contains(',') || text.Contains('"') ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    private static void Write(string path, string text) => AtomicFile.WriteAllText(path, text);
}
