using System.Text.Json.Nodes;
using Glov.Core.Journal;
using Glov.Reports.Model;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>Where a run stands, as <c>runs list</c>, <c>runs show</c> and the report show it.</summary>
public static class RunActivity
{
    /// <param name="writing">Whether a process holds the run's writer lock (<see cref="SqliteRunJournal.IsBeingWritten"/>,
    /// asked before the journal was opened): a run still marked <c>running</c> without one was killed, and is
    /// shown as <c>interrupted</c>.</param>
    public static RunProgress Progress(SqliteRunJournal journal, bool writing)
    {
        var status = journal.Status();
        var planned = JsonNode.Parse(journal.Manifest.ConfigJson)?["optimizer"]?["steps"]?.GetValue<int>() ?? 0;
        var steps = journal.Recorded.Steps.Values;
        var shown = status.Status == RunStatus.Running && !writing ? RunProgress.Interrupted : Config.ConfigSection.Snake(status.Status);
        var last = steps.SelectMany(s => new[] { s.StartedAt, s.CompletedAt }).Max();
        return new RunProgress(shown, steps.Count(s => s.Step >= 0 && s.Complete), planned, last, status.Detail);
    }
}
