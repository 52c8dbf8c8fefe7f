namespace Glov.Core.Optimization;

/// <summary>An engine's <see cref="WorkProgress"/> inside a step of the loop (step -1: scoring the seed).</summary>
public sealed record StepWork(int Step, int Steps, WorkProgress Work);
