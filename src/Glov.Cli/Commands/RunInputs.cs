using Glov.Core;
using Glov.Core.Files;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>
/// The files a run reads (model weights, ONNX exports, few-shot images) are part of its identity by
/// content: their fingerprints go into the manifest, and a resume with any of them changed is refused,
/// so one run never mixes two models or two image sets.
/// </summary>
internal static class RunInputs
{
    public static Dictionary<string, string> Fingerprint(IEnumerable<string> files) =>
        files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, FileFingerprint.Of, StringComparer.Ordinal);

    /// <summary>Refuses a journal whose recorded inputs differ from <paramref name="current"/>; records
    /// the current fingerprints a journal lacks (one started before they were recorded).</summary>
    public static void Check(SqliteRunJournal journal, IReadOnlyDictionary<string, string> current)
    {
        var recorded = journal.Manifest.Inputs;
        foreach (var (file, fingerprint) in recorded)
        {
            if (!current.TryGetValue(file, out var now))
                throw new GlovUserException($"{journal.Path}: the run was started reading {file}, which this resume does not read (the dataset or its few-shot picks changed); start a new run");
            if (now != fingerprint)
                throw new GlovUserException($"{file}: changed since the run {journal.Path} started (size:hash {fingerprint} then, {now} now); restore it or start a new run");
        }
        var missing = current.Where(p => !recorded.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (missing.Count > 0)
            journal.RecordInputs(missing);
    }
}
