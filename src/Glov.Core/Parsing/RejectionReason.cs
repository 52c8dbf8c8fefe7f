namespace Glov.Core.Parsing;

public enum RejectionReason
{
    Empty,
    NoPlaceholder,
    MultiplePlaceholders,
    /// <summary>Same key as a template scored in an earlier step or earlier in this step.</summary>
    Duplicate,
    /// <summary>The VLM cannot take it (<see cref="Scoring.IFitness.Admit"/> said why).</summary>
    TooLong,
    /// <summary>A free-text task got a prompt containing a class placeholder.</summary>
    UnexpectedPlaceholder,
    /// <summary>A line holding the placeholder that talks about a template ("I changed the viewpoint so the
    /// &lt;category&gt; fills the frame") instead of being one.</summary>
    Talk,
    /// <summary>An instruction about the placeholder ("Please replace &lt;category&gt; with the actual class names").</summary>
    Instruction,
    /// <summary>Cut off mid-way (an unclosed bracket or quote, a dangling "&lt;" or backslash) and nothing usable before the cut.</summary>
    Truncated,
    /// <summary>Holds ESC, BEL, NUL or another control character (<see cref="Templates.Template.ControlCharacter"/>).</summary>
    ControlCharacter,
}
