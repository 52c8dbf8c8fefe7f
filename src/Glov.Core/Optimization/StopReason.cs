namespace Glov.Core.Optimization;

public enum StopReason
{
    StepsDone,
    CandidateBudget,
    WallTimeBudget,
}
