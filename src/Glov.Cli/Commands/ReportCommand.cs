using System.CommandLine;
using Glov.Core;
using Glov.Reports.Building;
using Glov.Reports.Evaluation;
using Glov.Reports.Html;

namespace Glov.Cli.Commands;

/// <summary><c>glov report &lt;run&gt;</c>: one static HTML file from the journal, evaluation.json and the sweep grid.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var run = new Argument<string>("run") { Description = "Run name in --runs-dir, run folder, journal file, or sweep folder (reports the chosen run)" };
        var runsDir = RunStore.RunsDirOption();
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the HTML (default: report.html in the run folder)" };
        var notices = new Option<string[]>("--notice") { Description = "A remark shown at the top of the report (repeatable)" };
        var command = new Command("report", "Write a static HTML report of a run") { run, runsDir, output, notices };
        command.SetAction(parse =>
        {
            var info = RecordedRunInfo.Load(ChosenRunOfSweep(parse.GetRequiredValue(run), parse.GetRequiredValue(runsDir)), parse.GetRequiredValue(runsDir));
            var path = OutputFile.Prepare(parse.GetValue(output) ?? Path.Combine(info.Folder, "report.html"));
            Write(info, ReportFiles.ReadEvaluation(info.Folder), path, parse.GetValue(notices) ?? []);
            stdout.WriteLine($"written  {path}");
            return 0;
        });
        return command;
    }

    /// <summary>Renders a run's report with the given evaluation (null: none yet) to <paramref name="path"/>.</summary>
    public static void Write(RecordedRunInfo info, RunEvaluation? evaluation, string path, IReadOnlyList<string> notices)
    {
        var dataset = info.Config["task"]?["dataset"]?.ToString() ?? "?";
        var report = RunReportBuilder.Build($"GLOV run {info.Name} ({dataset})", info.Manifest, info.Recorded,
            evaluation, ReportFiles.ReadSweepAround(info.Folder), [.. notices, .. Config.ProtocolNotes.For(info.Config)]);
        File.WriteAllText(path, HtmlReportRenderer.Render(report));
    }

    /// <summary>A sweep folder stands for its chosen run; anything else is passed on as it is.</summary>
    private static string ChosenRunOfSweep(string run, string runsDir)
    {
        foreach (var folder in new[] { run, Path.Combine(runsDir, run) })
        {
            if (!File.Exists(Path.Combine(folder, ReportFiles.SweepFile)))
                continue;
            var grid = ReportFiles.ReadSweepAround(folder)!;
            var chosen = grid.Cells.FirstOrDefault(c => c.Chosen)
                ?? throw new GlovUserException($"{Path.Combine(folder, ReportFiles.SweepFile)}: no run was chosen (all degenerate?); report a member run by its folder");
            return Path.Combine(folder, chosen.RunId);
        }
        return run;
    }
}
