using Glov.Core.Selection;

namespace Glov.Core.Optimization;

public sealed record OptimizationResult(FinalResult Final, History History, int StepsCompleted, StopReason StopReason);
