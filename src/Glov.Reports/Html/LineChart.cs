using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Glov.Reports.Html;

public sealed record ChartPoint(double X, double Y);

/// <summary>One line; <see cref="Key"/> names it in <c>data-series</c> attributes and, unless <see cref="Style"/>
/// names another, in its CSS class (<c>s-KEY</c>), which gives it its colour.</summary>
public sealed record ChartSeries(string Key, string Label, IReadOnlyList<ChartPoint> Points)
{
    public string? Style { get; init; }

    public string StyleClass => $"s-{Style ?? Key}";
}

/// <summary>
/// A line chart as self-contained inline SVG: one polyline plus one marked point per value, axes with
/// rounded ticks, and an optional vertical marker (e.g. the step where guidance switched on).
/// </summary>
public sealed record LineChart(string Id, string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series)
{
    private const double Width = 640, Height = 260, Left = 56, Right = 16, Top = 16, Bottom = 42;

    public double? MarkerX { get; init; }

    /// <summary>Fixes the x range, so that charts of the same steps line up even when one has fewer points.</summary>
    public (double From, double To)? XDomain { get; init; }

    public string? MarkerLabel { get; init; }

    public string ToSvg()
    {
        var points = Series.SelectMany(s => s.Points).ToList();
        var (x0, x1) = XDomain ?? Range(points.Select(p => p.X).Append(MarkerX ?? double.NaN));
        var yTicks = NiceTicks(points.Select(p => p.Y));
        var (y0, y1) = (yTicks[0], yTicks[^1]);
        double Px(double x) => Left + (x - x0) / (x1 - x0) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - y0) / (y1 - y0) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append($"<svg id=\"{HtmlEncode(Id)}\" class=\"chart\" viewBox=\"0 0 {F(Width)} {F(Height)}\" role=\"img\" aria-label=\"{HtmlEncode(Title)}\">");
        svg.Append($"<title>{HtmlEncode(Title)}</title>");
        foreach (var t in yTicks)
        {
            svg.Append($"<line class=\"grid\" x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Py(t))}\" y2=\"{F(Py(t))}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{F(Left - 6)}\" y=\"{F(Py(t) + 4)}\" text-anchor=\"end\">{HtmlEncode(Label(t))}</text>");
        }
        foreach (var t in IntegerTicks(x0, x1))
            svg.Append($"<text class=\"tick\" x=\"{F(Px(t))}\" y=\"{F(Height - Bottom + 16)}\" text-anchor=\"middle\">{HtmlEncode(Label(t))}</text>");
        svg.Append($"<line class=\"axis\" x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Height - Bottom)}\" y2=\"{F(Height - Bottom)}\"/>");
        svg.Append($"<line class=\"axis\" x1=\"{F(Left)}\" x2=\"{F(Left)}\" y1=\"{F(Top)}\" y2=\"{F(Height - Bottom)}\"/>");
        svg.Append($"<text class=\"axis-label\" x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 6)}\" text-anchor=\"middle\">{HtmlEncode(XLabel)}</text>");
        svg.Append($"<text class=\"axis-label\" transform=\"translate(14 {F((Top + Height - Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{HtmlEncode(YLabel)}</text>");

        if (MarkerX is { } m)
        {
            svg.Append($"<line class=\"marker\" x1=\"{F(Px(m))}\" x2=\"{F(Px(m))}\" y1=\"{F(Top)}\" y2=\"{F(Height - Bottom)}\"/>");
            if (MarkerLabel is not null)
                svg.Append($"<text class=\"marker-label\" x=\"{F(Px(m) + 4)}\" y=\"{F(Top + 10)}\">{HtmlEncode(MarkerLabel)}</text>");
        }

        foreach (var s in Series)
        {
            var (key, style) = (HtmlEncode(s.Key), HtmlEncode(s.StyleClass));
            var coordinates = string.Join(' ', s.Points.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"));
            svg.Append($"<polyline class=\"series {style}\" data-series=\"{key}\" points=\"{coordinates}\"/>");
            svg.Append($"<g class=\"points {style}\" data-series=\"{key}\">");
            foreach (var p in s.Points)
                svg.Append($"<circle cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"3\"><title>{HtmlEncode($"{s.Label}, {XLabel.ToLowerInvariant()} {Label(p.X)}: {p.Y.ToString("0.0##", CultureInfo.InvariantCulture)}")}</title></circle>");
            svg.Append("</g>");
        }
        svg.Append("</svg>");

        var legend = string.Concat(Series.Select(s =>
            $"<span class=\"legend-item\" data-series=\"{HtmlEncode(s.Key)}\"><span class=\"swatch {HtmlEncode(s.StyleClass)}\"></span>{HtmlEncode(s.Label)}</span>"));
        return $"<figure class=\"chart-figure\">{svg}<figcaption>{legend}</figcaption></figure>";
    }

    private static (double, double) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
            return (0, 1);
        var (lo, hi) = (finite.Min(), finite.Max());
        return lo == hi ? (lo - 1, hi + 1) : (lo, hi);
    }

    /// <summary>Tick values at 1, 2 or 5 × 10^k that enclose the data.</summary>
    public static double[] NiceTicks(IEnumerable<double> values, int target = 5)
    {
        var (lo, hi) = Range(values);
        var raw = (hi - lo) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(f => f * magnitude).First(s => s >= raw);
        var start = Math.Floor(lo / step) * step;
        var end = Math.Ceiling(hi / step) * step;
        var count = (int)Math.Round((end - start) / step);
        return Enumerable.Range(0, count + 1).Select(i => Math.Round(start + i * step, 10)).ToArray();
    }

    private static IEnumerable<double> IntegerTicks(double lo, double hi)
    {
        var span = hi - lo;
        var step = Math.Max(1, (int)Math.Ceiling(span / 10));
        for (var t = Math.Ceiling(lo); t <= hi; t += step)
            yield return t;
    }

    private static string Label(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
