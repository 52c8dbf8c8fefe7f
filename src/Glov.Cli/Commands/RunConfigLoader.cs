using System.Text.Json.Nodes;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Core.Journal;
using Glov.Reports.Model;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>A recorded run as the commands after <c>optimize</c> see it: its folder, manifest, records, and its
/// config ready to resolve again (with <c>--set</c> overrides, e.g. to point at a moved model).</summary>
public sealed record RecordedRunInfo(string JournalPath, string Folder, RunManifest Manifest, RecordedRun Recorded, JsonObject Config)
{
    public string Name => Path.GetFileName(Folder);

    /// <summary>Where the run stands; only <see cref="LoadWithProgress"/> fills it in.</summary>
    public RunProgress? Progress { get; init; }

    public static RecordedRunInfo Load(string run, string runsDir) => Read(RunStore.Locate(run, runsDir), withProgress: false);

    /// <summary>As <see cref="Load"/>, and also where the run stands, which takes a look at its writer lock.</summary>
    public static RecordedRunInfo LoadWithProgress(string run, string runsDir) => Read(RunStore.Locate(run, runsDir), withProgress: true);

    private static RecordedRunInfo Read(string journalPath, bool withProgress)
    {
        // Before opening: the lock probe must not run while this process holds the file open.
        var writing = withProgress && SqliteRunJournal.IsBeingWritten(journalPath);
        using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
        var config = JsonNode.Parse(journal.Manifest.ConfigJson) as JsonObject
            ?? throw new GlovUserException($"{journalPath}: the manifest holds no config");
        return new RecordedRunInfo(journalPath, Path.GetDirectoryName(journalPath)!, journal.Manifest, journal.Recorded, config)
        {
            Progress = withProgress ? RunActivity.Progress(journal, writing) : null,
        };
    }

    public RunConfig Resolve(ComponentRegistry registry, string split = CompositionContext.TrainSplit) =>
        RunConfig.Resolve((JsonObject)Config.DeepClone(), $"{JournalPath} (manifest)", Environment.CurrentDirectory, registry, split);
}
