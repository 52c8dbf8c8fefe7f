using System.Globalization;
using Glov.Core;

namespace Glov.Cli.Commands;

/// <summary>Runs live in <c>&lt;runs_dir&gt;/&lt;name&gt;/journal.db</c>.</summary>
public static class RunStore
{
    public const string JournalFile = "journal.db";

    public static string JournalPath(string runsDir, string name) => Path.Combine(runsDir, name, JournalFile);

    /// <summary>A run given as a journal file, a run folder, or a name inside <paramref name="runsDir"/>.</summary>
    public static string Locate(string run, string runsDir)
    {
        if (File.Exists(run))
            return Path.GetFullPath(run);
        if (File.Exists(Path.Combine(run, JournalFile)))
            return Path.GetFullPath(Path.Combine(run, JournalFile));
        var named = JournalPath(runsDir, run);
        if (File.Exists(named))
            return Path.GetFullPath(named);
        throw new GlovUserException($"run '{run}': no journal at {Path.GetFullPath(named)} (nor is '{run}' a journal file or run folder)");
    }

    /// <summary>A path that must exist: a journal file, or a run folder holding one.</summary>
    public static string JournalIn(string path) =>
        Directory.Exists(path) ? Path.Combine(path, JournalFile) is var inner && File.Exists(inner) ? inner
            : throw new GlovUserException($"{path}: run folder without {JournalFile}") : path;

    public static string NewName(string dataset, DateTimeOffset now)
    {
        var safe = new string(dataset.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{safe}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
    }

    public static IEnumerable<(string Name, string Journal)> List(string runsDir) =>
        Directory.Exists(runsDir)
            ? Directory.EnumerateDirectories(runsDir).Order(StringComparer.Ordinal)
                .Select(d => (Path.GetFileName(d), Path.Combine(d, JournalFile))).Where(r => File.Exists(r.Item2))
            : [];
}
