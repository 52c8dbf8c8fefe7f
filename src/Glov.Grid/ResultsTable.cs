using Glov.Reports.Evaluation;

namespace Glov.Grid;

/// <summary>A method's test score on one dataset: the mean over the seeds run, their standard deviation (with
/// two or more seeds), or why there is none (a failed cell's note number, or cells not yet run).</summary>
public sealed record ResultValue(double? Mean, double? StdDev, int Seeds, int? FailureNote, bool Missing);

public sealed record ResultRow(string Method, IReadOnlyList<ResultValue> PerDataset, double? Mean);

/// <summary>
/// The paper's layout: one row per method (the baselines, GLOV without guidance, GLOV at each α), one column
/// per dataset and their mean; test accuracy, mean ± standard deviation over seeds. Built from whatever
/// evaluation.json files the cells have written, so it can be collected at any time.
/// </summary>
public sealed record ResultsTable(IReadOnlyList<string> Datasets, IReadOnlyList<ResultRow> Rows, IReadOnlyList<string> Notes, IReadOnlyList<CellState> Cells)
{
    /// <summary>Baseline rows: the evaluation key and the row name.</summary>
    private static readonly (string Key, string Method)[] Baselines =
    [
        ("photo-of", "\"a photo of a {}.\""),
        ("ensemble", "CLIP's dataset ensemble"),
        ("random-descriptors", "random descriptors (WaffleCLIP-style)"),
        ("seed", "seed template"),
    ];

    public static ResultsTable Collect(Suite suite)
    {
        var cells = GridCell.Of(suite).Select(c => CellState.Of(c, suite.CellsFolder)).ToList();
        var notes = new List<string>();
        var noteOf = new Dictionary<string, int>();
        int Note(CellState state)
        {
            if (!noteOf.TryGetValue(state.Cell.Name, out var n))
            {
                notes.Add($"{state.Cell.Name}: {state.Reason}");
                noteOf[state.Cell.Name] = n = notes.Count;
            }
            return n;
        }
        var evaluations = cells.Where(c => c.Status == CellStatus.Done).ToDictionary(c => c.Cell.Name, c => ReportFiles.ReadEvaluation(c.Folder)!);

        // One test score per seed from the given cells (per seed, the first that has the method), or the failure.
        ResultValue Value(IEnumerable<CellState> group, string key)
        {
            var scores = new List<double>();
            int? failure = null;
            var missing = false;
            foreach (var perSeed in group.GroupBy(c => c.Cell.Seed))
            {
                var score = perSeed.Where(c => c.Status == CellStatus.Done)
                    .Select(c => evaluations[c.Cell.Name].Results.FirstOrDefault(r => r.Key == key)?.TestScore).FirstOrDefault(s => s is not null);
                if (score is { } s)
                    scores.Add(s);
                else if (perSeed.FirstOrDefault(c => c.Status == CellStatus.Failed) is { } failed)
                    failure ??= Note(failed);
                else
                    missing = true;
            }
            if (failure is not null || missing || scores.Count == 0)
                return new ResultValue(null, null, scores.Count, failure, failure is null);
            var mean = scores.Average();
            double? sd = scores.Count > 1 ? Math.Sqrt(scores.Sum(x => (x - mean) * (x - mean)) / (scores.Count - 1)) : null;
            return new ResultValue(mean, sd, scores.Count, null, false);
        }

        ResultRow Row(string method, Func<string, IEnumerable<CellState>> cellsOf, string key)
        {
            var values = suite.Datasets.Select(d => Value(cellsOf(d), key)).ToList();
            double? mean = values.All(v => v.Mean is not null) ? values.Average(v => v.Mean!.Value) : null;
            return new ResultRow(method, values, mean);
        }

        var rows = new List<ResultRow>();
        foreach (var (key, method) in Baselines)
            rows.Add(Row(method, d => cells.Where(c => c.Cell.Dataset == d), key));
        if (suite.Unguided)
            rows.Add(Row("GLOV without guidance", d => cells.Where(c => c.Cell.Dataset == d && !c.Cell.Guided), "glov"));
        foreach (var alpha in suite.Alphas.OrderDescending())
            rows.Add(Row(new GridCell(0, "", alpha, 0).Method, d => cells.Where(c => c.Cell.Dataset == d && c.Cell.Alpha == alpha), "glov"));
        return new ResultsTable(suite.Datasets, rows, notes, cells);
    }
}
