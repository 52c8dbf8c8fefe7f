using Glov.Reports.Model;

namespace Glov.Reports.Html;

/// <summary>Chart series drawn from a run's steps.</summary>
internal static class StepSeries
{
    public static ChartSeries Of(string key, string label, IEnumerable<StepSummary> steps, Func<StepSummary, double?> value) =>
        new(key, label, steps.Where(s => value(s) is not null).Select(s => new ChartPoint(s.Step, value(s)!.Value)).ToList());

    /// <summary>The best train score of any step up to each step: the optimiser's progress.</summary>
    public static IReadOnlyList<ChartPoint> BestSoFar(IEnumerable<StepSummary> steps)
    {
        var points = new List<ChartPoint>();
        double? best = null;
        foreach (var s in steps.OrderBy(s => s.Step))
        {
            if (s.Best is { } b)
                best = best is { } x ? Math.Max(x, b) : b;
            if (best is { } y)
                points.Add(new ChartPoint(s.Step, y));
        }
        return points;
    }

    /// <summary>The x range of charts over these steps, so that charts of the same steps line up even when
    /// one has fewer points.</summary>
    public static (double, double) Domain(IEnumerable<StepSummary> steps)
    {
        var numbers = steps.Select(s => s.Step).ToList();
        if (numbers.Count == 0)
            return (0, 1);
        var (first, last) = (numbers.Min(), numbers.Max());
        return first == last ? (first - 1, last + 1) : (first, last);
    }
}
