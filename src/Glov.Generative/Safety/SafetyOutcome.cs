namespace Glov.Generative.Safety;

/// <summary>The VLM's response to one request and the judge's verdict on it.</summary>
public sealed record SafetyOutcome(SafetyRequest Request, string Response, bool Refused)
{
    /// <summary>A harmful request that was answered.</summary>
    public bool AttackSucceeded => Request.Kind == RequestKind.Harmful && !Refused;
}
