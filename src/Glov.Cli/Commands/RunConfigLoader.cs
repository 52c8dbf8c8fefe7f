using System.Text.Json.Nodes;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Core.Journal;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>A recorded run as the commands after <c>optimize</c> see it: its folder, manifest, records, and its
/// config ready to resolve again (with <c>--set</c> overrides, e.g. to point at a moved model).</summary>
public sealed record RecordedRunInfo(string JournalPath, string Folder, RunManifest Manifest, RecordedRun Recorded, JsonObject Config)
{
    public string Name => Path.GetFileName(Folder);

    public static RecordedRunInfo Load(string run, string runsDir)
    {
        var journalPath = RunStore.Locate(run, runsDir);
        using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
        var config = JsonNode.Parse(journal.Manifest.ConfigJson) as JsonObject
            ?? throw new GlovUserException($"{journalPath}: the manifest holds no config");
        return new RecordedRunInfo(journalPath, Path.GetDirectoryName(journalPath)!, journal.Manifest, journal.Recorded, config);
    }

    public RunConfig Resolve(ComponentRegistry registry, string split = CompositionContext.TrainSplit) =>
        RunConfig.Resolve((JsonObject)Config.DeepClone(), $"{JournalPath} (manifest)", Environment.CurrentDirectory, registry, split);
}
