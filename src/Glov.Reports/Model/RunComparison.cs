namespace Glov.Reports.Model;

/// <summary>Several runs on one page (<c>glov report A B C</c>, or a sweep's cells): their best-so-far curves
/// on one chart and a table of what differs between them and how each ended.</summary>
public sealed record RunComparison(string Title, IReadOnlyList<RunReport> Runs)
{
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>As <see cref="RunReport.RefreshSeconds"/>: set while the page is kept live.</summary>
    public int? RefreshSeconds { get; init; }
}
