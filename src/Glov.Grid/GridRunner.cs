using Glov.Core;

namespace Glov.Grid;

/// <summary>
/// Runs a suite's cells one after another. Finished cells are never run again; unfinished ones continue from
/// their journals; a cell that fails records the reason (its evaluation.json is never written) and the grid moves on.
/// </summary>
public sealed class GridRunner(ICellRunner runner, TextWriter log)
{
    /// <param name="only">Run just this cell (a Slurm array task); null = every cell.</param>
    /// <returns>The cells' states afterwards.</returns>
    public async Task<IReadOnlyList<CellState>> RunAsync(Suite suite, int? only, CancellationToken cancellationToken)
    {
        var cells = GridCell.Of(suite);
        if (only is { } index && (index < 0 || index >= cells.Count))
            throw new GlovUserException($"--cell: {index} is outside the grid's cells 0..{cells.Count - 1}");
        var states = new List<CellState>();
        foreach (var cell in only is { } i ? [cells[i]] : cells)
        {
            var state = CellState.Of(cell, suite.CellsFolder);
            if (state.Status == CellStatus.Done)
            {
                log.WriteLine($"cell {cell.Index + 1}/{cells.Count} {cell.Name}: done earlier");
                states.Add(state);
                continue;
            }
            log.WriteLine($"cell {cell.Index + 1}/{cells.Count} {cell.Name}: {(state.Status == CellStatus.Unfinished ? "continuing" : "running")}");
            Directory.CreateDirectory(state.Folder);
            CellState.ClearFailure(state.Folder);
            try
            {
                await runner.RunAsync(CellConfig.For(suite, cell), $"{suite.Source} (cell {cell.Name})",
                    Path.GetDirectoryName(suite.BaseConfigPath)!, state.Folder, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var reason = e is GlovUserException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}";
                reason = string.Join(' ', reason.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                CellState.WriteFailure(state.Folder, reason);
                log.WriteLine($"cell {cell.Index + 1}/{cells.Count} {cell.Name}: failed: {reason}");
            }
            states.Add(CellState.Of(cell, suite.CellsFolder));
        }
        return states;
    }
}
