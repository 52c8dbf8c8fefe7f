namespace Glov.Reports.Model;

/// <summary>Where a run stands when its report is written. <see cref="Status"/> is as <c>glov runs list</c>
/// shows it: running, completed, cancelled, failed, or interrupted (marked running, but its process is gone).</summary>
public sealed record RunProgress(string Status, int StepsDone, int StepsPlanned, DateTimeOffset? LastRecorded, string? Detail = null)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Interrupted = "interrupted";

    public bool IsRunning => Status == Running;
}
