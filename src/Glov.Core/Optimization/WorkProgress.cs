namespace Glov.Core.Optimization;

/// <summary>
/// How far one stage of work has come, reported by an engine as it happens: <see cref="Done"/> of
/// <see cref="Total"/> <see cref="Unit"/>s. A stage's first report starts its clock (for rates such as
/// tokens/s); its last has <c>Done == Total</c>. Where the total is not known in advance (generation: candidates
/// stop early), <see cref="Total"/> is the most it can reach until the last report, which sets it to what was done.
/// </summary>
public sealed record WorkProgress(WorkStage Stage, long Done, long Total, WorkUnit Unit)
{
    /// <summary>What is worked on, when the stage alone does not say (a model file, "test images").</summary>
    public string? Subject { get; init; }

    public bool Finished => Done >= Total;
}
