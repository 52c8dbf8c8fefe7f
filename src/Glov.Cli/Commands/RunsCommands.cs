using System.Globalization;
using System.Text.Json.Nodes;
using Glov.Core;
using Glov.Core.Text;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary><c>glov runs list|show|export</c>: read-only views of journals.</summary>
public static class RunsCommands
{
    public static int List(string runsDir, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"{"name",-32} {"status",-11} {"steps",-9} {"best",6} {"final",6}  created");
        foreach (var (name, path) in RunStore.List(runsDir))
        {
            string line;
            try
            {
                var writing = SqliteRunJournal.IsBeingWritten(path);
                using var journal = SqliteRunJournal.Open(path, readOnly: true);
                var s = Summary.Of(journal, writing);
                line = string.Format(c, "{0,-32} {1,-11} {2,-9} {3,6} {4,6}  {5:yyyy-MM-dd HH:mm}",
                    name, s.Status, $"{s.StepsDone}/{s.Steps}", s.Best?.ToString("0.0", c) ?? "-", s.Final?.ToString("0.0", c) ?? "-", journal.Manifest.CreatedAt);
            }
            catch (Exception e) when (e is GlovUserException or Microsoft.Data.Sqlite.SqliteException or System.Text.Json.JsonException
                or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // One bad journal must not hide the other runs.
                line = $"{name,-32} unreadable: {TerminalText.Safe(e.Message.ReplaceLineEndings(" "))}";
            }
            stdout.WriteLine(line);
        }
        return 0;
    }

    public static int Show(string journalPath, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        var writing = SqliteRunJournal.IsBeingWritten(journalPath);
        using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
        var s = Summary.Of(journal, writing);
        var config = JsonNode.Parse(journal.Manifest.ConfigJson)!;
        stdout.WriteLine($"journal   {journalPath}");
        stdout.WriteLine($"status    {s.Status}{(s.Detail is null ? "" : $" ({TerminalText.Safe(s.Detail)})")}");
        stdout.WriteLine($"created   {journal.Manifest.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", c)}Z  glov {journal.Manifest.GlovVersion}");
        stdout.WriteLine($"config    {journal.Manifest.ConfigHash[..12]}  seed {journal.Manifest.Seed}  proposer {config["proposer"]?["kind"]}  fitness {config["fitness"]?["kind"]}");
        // The last start's placement: each start (or resume) records one row per engine.
        var devices = journal.Devices();
        foreach (var d in devices.Where(d => d.RecordedAt == devices[^1].RecordedAt))
            stdout.WriteLine($"device    {d.Engine} on {d.Device} ({d.Reason})");
        stdout.WriteLine($"steps     {s.StepsDone}/{s.Steps}");
        foreach (var (step, record) in journal.Recorded.Steps.Where(p => p.Key >= 0).OrderBy(p => p.Key))
        {
            var best = record.Scores.Count == 0 ? "-" : record.Scores.Values.Max(f => f.Score).ToString("0.0", c);
            var rejected = record.Candidates?.Count(x => x.Template is null) ?? 0;
            var norm = record.Start?.Guidance is { } g ? string.Format(c, "  |v| {0:0.###}", g.Norm) : "";
            stdout.WriteLine($"  step {step + 1,4}: {record.Scores.Count} scored, {rejected} rejected, step best {best}{norm}{(record.Complete ? "" : "  (incomplete)")}");
        }
        if (journal.Recorded.Final is { } final)
        {
            var from = final.Step is { } step ? $"step {step + 1}" : "the whole run";
            stdout.WriteLine(string.Format(c, "final     {0} from {1}: train {2:0.0}", Config.ConfigSection.Snake(final.Mode), from, final.TrainFitness.Score));
            foreach (var t in final.Ensemble)
                stdout.WriteLine($"  {TerminalText.Safe(t.Text)}");
        }
        return 0;
    }

    public static int Export(string journalPath, string? output, TextWriter stdout)
    {
        using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
        if (output is null)
        {
            journal.ExportJsonLines(stdout);
            return 0;
        }
        using var writer = new StreamWriter(OutputFile.Prepare(output));
        journal.ExportJsonLines(writer);
        return 0;
    }

    private sealed record Summary(string Status, string? Detail, int StepsDone, int Steps, double? Best, double? Final)
    {
        public static Summary Of(SqliteRunJournal journal, bool writing)
        {
            var progress = RunActivity.Progress(journal, writing);
            var recorded = journal.Recorded;
            var best = recorded.Steps.Values.SelectMany(s => s.Scores.Values).Select(f => (double?)f.Score).Max();
            return new Summary(progress.Status, progress.Detail, progress.StepsDone, progress.StepsPlanned, best, recorded.Final?.TrainFitness.Score);
        }
    }
}
