using System.Globalization;

namespace Glov.Grid;

/// <summary>One run of the grid: a dataset, guidance on at one α or off, and a seed. <see cref="Index"/> is its
/// place in the grid (the Slurm array task id); <see cref="Name"/> its folder under the suite's cells/.</summary>
public sealed record GridCell(int Index, string Dataset, double? Alpha, ulong Seed)
{
    public bool Guided => Alpha is not null;

    /// <summary>The results table's row for this cell's GLOV result.</summary>
    public string Method => Alpha is { } a ? string.Format(CultureInfo.InvariantCulture, "GLOV (α = {0:0.###})", a) : "GLOV without guidance";

    public string Name => string.Format(CultureInfo.InvariantCulture, "{0}-{1}-seed{2}",
        Dataset, Alpha is { } a ? $"alpha{a:0.###}" : "unguided", Seed);

    /// <summary>Every cell of a suite in a fixed order: dataset, seed, then α from large to small, then unguided.</summary>
    public static IReadOnlyList<GridCell> Of(Suite suite)
    {
        var cells = new List<GridCell>();
        foreach (var dataset in suite.Datasets)
        {
            foreach (var seed in suite.Seeds)
            {
                foreach (var alpha in suite.Alphas.OrderDescending())
                    cells.Add(new GridCell(cells.Count, dataset, alpha, seed));
                if (suite.Unguided)
                    cells.Add(new GridCell(cells.Count, dataset, null, seed));
            }
        }
        return cells;
    }
}
