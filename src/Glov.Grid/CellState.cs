using Glov.Core.Files;
using System.Text.Json;
using Glov.Reports.Evaluation;

namespace Glov.Grid;

/// <summary>
/// Where a cell stands, read from its folder: <see cref="Done"/> once its evaluation.json exists (the last file a
/// cell writes, atomically), <see cref="Failed"/> with the reason when its last attempt failed, otherwise
/// unfinished (a journal to continue) or not started.
/// </summary>
public sealed record CellState(GridCell Cell, string Folder, CellStatus Status, string? Reason)
{
    public const string FailureFile = "failure.json";
    public const string JournalFile = "journal.db";
    public const string ReportFile = "report.html";

    public static CellState Of(GridCell cell, string cellsFolder)
    {
        var folder = Path.Combine(cellsFolder, cell.Name);
        if (File.Exists(Path.Combine(folder, ReportFiles.EvaluationFile)))
            return new(cell, folder, CellStatus.Done, null);
        var failure = Path.Combine(folder, FailureFile);
        if (File.Exists(failure))
            return new(cell, folder, CellStatus.Failed, ReadReason(failure));
        return new(cell, folder, File.Exists(Path.Combine(folder, JournalFile)) ? CellStatus.Unfinished : CellStatus.NotStarted, null);
    }

    /// <summary>Records why the cell failed, as one small file written atomically.</summary>
    public static void WriteFailure(string folder, string reason)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FailureFile);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Failure(reason)));
    }

    public static void ClearFailure(string folder) => File.Delete(Path.Combine(folder, FailureFile));

    private static string ReadReason(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Failure>(File.ReadAllText(path))?.Reason ?? "failed";
        }
        catch (JsonException)
        {
            return "failed (unreadable failure.json)";
        }
    }

    private sealed record Failure(string Reason);
}

public enum CellStatus
{
    NotStarted,
    Unfinished,
    Failed,
    Done,
}
