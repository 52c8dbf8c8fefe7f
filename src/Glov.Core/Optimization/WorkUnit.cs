namespace Glov.Core.Optimization;

/// <summary>What a <see cref="WorkProgress"/> counts.</summary>
public enum WorkUnit
{
    Bytes,
    Tokens,
    Images,
    /// <summary>Class prompts: a template filled with one class name, for a dual encoder's text tower.</summary>
    Classes,
    /// <summary>Template sets scored together (a method's ensemble, a step's top-k), in evaluation.</summary>
    Ensembles,
}
