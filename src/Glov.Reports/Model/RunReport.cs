namespace Glov.Reports.Model;

/// <summary>Everything the HTML report shows about one run, already computed: the renderer only lays it out.
/// Built from a run journal (and, after <c>glov evaluate</c>, the test results).</summary>
public sealed record RunReport
{
    public required string Title { get; init; }

    /// <summary>The run's short name (its folder), which labels it where runs are compared.</summary>
    public string Name { get; init; } = "";

    /// <summary>Where the run stood when the report was written; null when not known.</summary>
    public RunProgress? Progress { get; init; }

    /// <summary>Set while <c>glov report --watch</c> keeps regenerating the file: the page reloads itself this
    /// often. Null for a report written once.</summary>
    public int? RefreshSeconds { get; init; }

    /// <summary>The resolved settings in the order they should be listed (seed, models, α, layer, ...).</summary>
    public IReadOnlyList<ReportSetting> Settings { get; init; } = [];

    /// <summary>What the train score is called, e.g. "Accuracy"; values are percentages.</summary>
    public string MetricName { get; init; } = "Accuracy";

    public IReadOnlyList<StepSummary> Steps { get; init; } = [];

    /// <summary>The first step that was proposed with steering; null when guidance never switched on.</summary>
    public int? GuidanceOnStep { get; init; }

    /// <summary>The seed (step −1) and every proposed candidate, scored or rejected.</summary>
    public IReadOnlyList<CandidateRow> Candidates { get; init; } = [];

    /// <summary>Rejected candidates counted per reason, most frequent first (ties by reason).</summary>
    public IReadOnlyList<RejectionCount> Rejections { get; init; } = [];

    public FinalEnsemble? Final { get; init; }

    /// <summary>The selected ensemble and the baselines on the test split; empty before <c>glov evaluate</c>.</summary>
    public IReadOnlyList<TestResult> TestResults { get; init; } = [];

    /// <summary>Test accuracy per class of the seed and the selected ensemble, largest gain first; empty before
    /// <c>glov evaluate</c> (or with an evaluation written before per-class counts were kept).</summary>
    public IReadOnlyList<ClassChange> PerClass { get; init; } = [];

    public SweepGrid? Sweep { get; init; }

    /// <summary>The runs drawn on one chart with this one (a sweep's cells, this run among them); empty
    /// when the run stands alone.</summary>
    public IReadOnlyList<RunReport> Compared { get; init; } = [];

    /// <summary>Remarks the reader must see first, e.g. that stand-in models make the numbers meaningless.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}
