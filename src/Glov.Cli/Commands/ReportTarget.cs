using Glov.Reports.Evaluation;

namespace Glov.Cli.Commands;

/// <summary>
/// What one argument of <c>glov report</c> stands for. A run (name, folder or journal) stands for itself, and a
/// member of a sweep brings the sweep's cells to overlay. A sweep folder stands for its chosen run, overlaid with
/// its cells; in a comparison, for all its cells. A folder of run folders without a choice (a sweep still running,
/// one whose cells were all degenerate, or any folder of runs) stands for the runs in it, compared.
/// </summary>
internal sealed record ReportTarget(IReadOnlyList<string> Journals, string? Chosen, IReadOnlyList<string> Overlay, string? Folder)
{
    public static ReportTarget Resolve(string run, string runsDir)
    {
        foreach (var folder in new[] { run, Path.Combine(runsDir, run) })
        {
            if (!Directory.Exists(folder) || File.Exists(Path.Combine(folder, RunStore.JournalFile)))
                continue;
            var full = Path.GetFullPath(folder);
            if (File.Exists(Path.Combine(full, ReportFiles.SweepFile)))
            {
                var (cells, chosen) = SweepCells(full);
                return new(cells, chosen, cells, full);
            }
            var runs = Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal)
                .Select(d => Path.Combine(d, RunStore.JournalFile)).Where(File.Exists).ToList();
            if (runs.Count > 0)
                return new(runs, null, runs, full);
        }
        var journal = RunStore.Locate(run, runsDir);
        var parent = Path.GetDirectoryName(Path.GetDirectoryName(journal))!;
        var siblings = File.Exists(Path.Combine(parent, ReportFiles.SweepFile)) ? SweepCells(parent).Cells : [];
        return new([journal], journal, siblings, null);
    }

    /// <summary>The journals of a finished sweep's cells in grid order, and its chosen run's (null: none chosen).</summary>
    private static (IReadOnlyList<string> Cells, string? Chosen) SweepCells(string sweepFolder)
    {
        var grid = ReportFiles.ReadSweepAround(sweepFolder)!;
        string Journal(string runId) => Path.Combine(sweepFolder, runId, RunStore.JournalFile);
        var cells = grid.Cells.Select(c => Journal(c.RunId)).Where(File.Exists).ToList();
        var chosen = grid.Cells.FirstOrDefault(c => c.Chosen) is { } c && File.Exists(Journal(c.RunId)) ? Journal(c.RunId) : null;
        return (cells, chosen);
    }
}
