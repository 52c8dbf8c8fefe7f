namespace Glov.Core.Optimization;

/// <summary>What an engine is busy with while a run waits for it.</summary>
public enum WorkStage
{
    /// <summary>Reading a model into memory, or encoding the images a scorer needs before it can score.</summary>
    Load,
    /// <summary>The optimizer LLM reading the meta-prompt (what the previous step's KV cache did not hold).</summary>
    Prefill,
    /// <summary>The optimizer LLM writing the step's candidates.</summary>
    Generate,
    /// <summary>The fitness scoring candidates on the few-shot set.</summary>
    Score,
}
