namespace Glov.Core.Selection;

public enum SelectionMode
{
    /// <summary>Each step's top-k as an ensemble, scored on train; best step wins (tie: earlier).</summary>
    PerStepEnsemble,
    /// <summary>The k best templates over the whole run.</summary>
    GlobalTop,
}
