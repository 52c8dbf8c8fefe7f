using System.CommandLine;
using System.Globalization;
using Glov.Core;
using Glov.Core.Files;
using Glov.Reports.Building;
using Glov.Reports.Evaluation;
using Glov.Reports.Html;
using Glov.Reports.Model;

namespace Glov.Cli.Commands;

/// <summary>
/// <c>glov report RUN...</c>: one static HTML file from the journal, evaluation.json and the sweep grid. One run
/// gives its report (a sweep member's also overlays the sweep's other cells); several runs, or a sweep that has
/// not chosen a run yet, give one page comparing them. With <c>--watch</c> the file is regenerated whenever a
/// run records something and reloads itself in the browser, until no run is in progress.
/// </summary>
public static class ReportCommand
{
    public const string ComparisonFile = "comparison.html";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var runs = new Argument<string[]>("run")
        {
            Description = "Run name in --runs-dir, run folder, journal file, or sweep folder (its chosen run, with every cell overlaid); several: one page comparing them",
            Arity = ArgumentArity.OneOrMore,
        };
        var runsDir = RunStore.RunsDirOption();
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the HTML (default: report.html in the run folder; comparison.html in the runs' common folder)" };
        var notices = new Option<string[]>("--notice") { Description = "A remark shown at the top of the report (repeatable)" };
        var watch = new Option<bool>("--watch") { Description = "Keep the report live: regenerate it as the run records, until no run is in progress; the page reloads itself meanwhile" };
        var interval = new Option<double>("--interval")
        {
            Description = "With --watch: seconds between looks at the journal, and between the page's reloads",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("report", "Write a static HTML report of a run, or of several runs compared") { runs, runsDir, output, notices, watch, interval };
        command.SetAction(async (parse, ct) =>
        {
            var every = parse.GetValue(interval);
            if (!double.IsFinite(every) || every <= 0)
                throw new GlovUserException($"--interval: {every.ToString(CultureInfo.InvariantCulture)} is not a positive number of seconds");
            var page = new PageRequest(parse.GetRequiredValue(runs), parse.GetRequiredValue(runsDir), parse.GetValue(output), parse.GetValue(notices) ?? []);
            return parse.GetValue(watch)
                ? await WatchAsync(page, TimeSpan.FromSeconds(every), stdout, stderr, ct).ConfigureAwait(false)
                : Once(page, stdout);
        });
        return command;
    }

    /// <summary>Renders a finished run's report with the given evaluation (null: none yet) to <paramref name="path"/>.</summary>
    public static void Write(RecordedRunInfo info, RunEvaluation? evaluation, string path, IReadOnlyList<string> notices) =>
        AtomicFile.WriteAllText(path, HtmlReportRenderer.Render(Build(info, evaluation, notices)));

    private static int Once(PageRequest request, TextWriter stdout)
    {
        var page = request.Render(refreshSeconds: null);
        AtomicFile.WriteAllText(page.Path, page.Html);
        stdout.WriteLine($"written  {page.Path}");
        return 0;
    }

    /// <summary>Renders the page again after each interval and writes it when it changed (a run recorded a
    /// step, a score, its end); the page carries a refresh only while a run is in progress, so the last
    /// version written is a plain static report. Interrupted (Ctrl-C), it writes that static version too.</summary>
    private static async Task<int> WatchAsync(PageRequest request, TimeSpan interval, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var refresh = Math.Max(1, (int)Math.Ceiling(interval.TotalSeconds));
        string? written = null;
        while (true)
        {
            var stopping = ct.IsCancellationRequested;
            var page = request.Render(stopping ? null : refresh);
            if (page.Html != written)
            {
                AtomicFile.WriteAllText(page.Path, page.Html);
                written = page.Html;
                stderr.WriteLine($"report: {page.State}");
                stdout.WriteLine($"written  {page.Path}");
            }
            if (!page.Running || stopping)
                return 0;
            try
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // One more pass writes the page without its refresh.
            }
        }
    }

    private static RunReport Build(RecordedRunInfo info, RunEvaluation? evaluation, IReadOnlyList<string> notices)
    {
        var dataset = Dataset(info);
        return RunReportBuilder.Build($"GLOV run {info.Name} ({dataset})", info.Manifest, info.Recorded,
            evaluation, ReportFiles.ReadSweepAround(info.Folder), [.. notices, .. Config.ProtocolNotes.For(info.Config)]) with
        {
            Name = info.Name,
            Progress = info.Progress,
        };
    }

    private static string Dataset(RecordedRunInfo info) => info.Config["task"]?["dataset"]?.ToString() ?? "?";

    private sealed record RenderedPage(string Path, string Html, bool Running, string State);

    /// <summary>What the command line asked for, resolved afresh on every render so that a watched folder of
    /// runs picks up runs as they start.</summary>
    private sealed record PageRequest(IReadOnlyList<string> Runs, string RunsDir, string? Output, IReadOnlyList<string> Notices)
    {
        public RenderedPage Render(int? refreshSeconds)
        {
            var targets = Runs.Select(r => ReportTarget.Resolve(r, RunsDir)).ToList();
            if (targets is [{ Chosen: { } chosen } target])
                return Single(chosen, target.Overlay.Contains(chosen) ? target.Overlay : [chosen], refreshSeconds);
            var journals = targets.SelectMany(t => t.Journals).Distinct(StringComparer.Ordinal).ToList();
            if (journals.Count == 0)
                throw new GlovUserException($"{Runs[0]}: a sweep folder without run journals");
            return journals.Count == 1
                ? Single(journals[0], journals, refreshSeconds)
                : Compare(journals, targets is [{ Folder: { } folder }] ? folder : null, refreshSeconds);
        }

        /// <summary>One run's report, with the other runs in <paramref name="journals"/> (its sweep's cells) overlaid.</summary>
        private RenderedPage Single(string journal, IReadOnlyList<string> journals, int? refreshSeconds)
        {
            var runs = Load(journals);
            var (info, report) = runs[journals.ToList().IndexOf(journal)];
            var running = runs.Any(r => r.Info.Progress!.IsRunning);
            report = report with
            {
                Compared = runs.Count > 1 ? runs.Select(r => r.Report).ToList() : [],
                RefreshSeconds = running ? refreshSeconds : null,
            };
            var path = OutputFile.Prepare(Output ?? Path.Combine(info.Folder, "report.html"));
            var p = info.Progress!;
            return new(path, HtmlReportRenderer.Render(report), running, $"{info.Name} {p.Status}, {p.StepsDone} of {p.StepsPlanned} steps done");
        }

        private RenderedPage Compare(IReadOnlyList<string> journals, string? folder, int? refreshSeconds)
        {
            var reports = Load(journals).Select(r => r.Report).ToList();
            var running = reports.Count(r => r.Progress!.IsRunning);
            var datasets = string.Join(", ", reports.Select(r => r.Settings.FirstOrDefault(s => s.Key == "task.dataset")?.Value ?? "?").Distinct(StringComparer.Ordinal));
            var title = folder is null ? $"GLOV: {reports.Count} runs compared ({datasets})" : $"GLOV {Path.GetFileName(folder)}: {reports.Count} runs compared ({datasets})";
            var comparison = new RunComparison(title, reports)
            {
                Notices = reports.SelectMany(r => r.Notices).Distinct(StringComparer.Ordinal).ToList(),
                RefreshSeconds = running > 0 ? refreshSeconds : null,
            };
            folder ??= CommonFolder(journals.Select(j => Path.GetDirectoryName(Path.GetDirectoryName(j))!));
            var path = OutputFile.Prepare(Output ?? Path.Combine(folder, ComparisonFile));
            return new(path, HtmlReportRenderer.Render(comparison), running > 0, $"{running} of {reports.Count} runs in progress");
        }

        /// <summary>Each run with its report, labelled by its folder name, or by its path below the runs' common
        /// folder where two names are the same (cells of two sweeps).</summary>
        private List<(RecordedRunInfo Info, RunReport Report)> Load(IReadOnlyList<string> journals)
        {
            var infos = journals.Select(j => RecordedRunInfo.LoadWithProgress(j, RunsDir)).ToList();
            var unique = infos.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() == infos.Count;
            var common = CommonFolder(infos.Select(i => Path.GetDirectoryName(i.Folder)!));
            return infos.Select(i => (i, Build(i, ReportFiles.ReadEvaluation(i.Folder), Notices) with
            {
                Name = unique ? i.Name : Path.GetRelativePath(common, i.Folder),
            })).ToList();
        }
    }

    private static string CommonFolder(IEnumerable<string> folders)
    {
        var parts = folders.Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar)).ToList();
        var shared = parts.Aggregate((a, b) => a.Zip(b).TakeWhile(p => p.First == p.Second).Select(p => p.First).ToArray());
        return shared.Length <= 1 ? Path.DirectorySeparatorChar.ToString() : string.Join(Path.DirectorySeparatorChar, shared);
    }
}
