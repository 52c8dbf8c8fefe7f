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
    /// <summary>Holds ESC, BEL, NUL or another control character (<see cref="Templates.Template.ControlCharacter"/>).</summary>
    ControlCharacter,
}
