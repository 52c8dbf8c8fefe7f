using System.Globalization;
using Glov.Core;

namespace Glov.Cli.Commands;

/// <summary>Runs live in <c>&lt;runs_dir&gt;/&lt;name&gt;/journal.db</c>.</summary>
public static class RunStore
{
    public const string JournalFile = "journal.db";

    /// <summary>Where runs live when neither the config's runs_dir nor --runs-dir says: in the working directory.</summary>
    public const string DefaultRunsDir = "runs";

    /// <summary>--runs-dir for the commands that find a run by name: relative to the working directory.</summary>
    public static System.CommandLine.Option<string> RunsDirOption() => new("--runs-dir")
    {
        Description = "Folder holding the runs, relative to the working directory",
        DefaultValueFactory = _ => DefaultRunsDir,
    };

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

    /// <summary>The runs in <paramref name="runsDir"/>, and those of each sweep there as <c>sweep/cell</c>
    /// (a name <see cref="Locate"/> accepts).</summary>
    public static IEnumerable<(string Name, string Journal)> List(string runsDir) =>
        Directory.Exists(runsDir)
            ? Directory.EnumerateDirectories(runsDir).Order(StringComparer.Ordinal).SelectMany(d =>
                File.Exists(Path.Combine(d, JournalFile))
                    ? [(Path.GetFileName(d), Path.Combine(d, JournalFile))]
                    : Directory.EnumerateDirectories(d).Order(StringComparer.Ordinal)
                        .Where(cell => File.Exists(Path.Combine(cell, JournalFile)))
                        .Select(cell => ($"{Path.GetFileName(d)}/{Path.GetFileName(cell)}", Path.Combine(cell, JournalFile))))
            : [];
}
