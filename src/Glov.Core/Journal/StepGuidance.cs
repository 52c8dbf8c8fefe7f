using Glov.Core.Proposing;

namespace Glov.Core.Journal;

/// <summary>The steering applied in one step: the pair it was built from and ‖v‖ = α·‖H(p+) − H(p−)‖.</summary>
public sealed record StepGuidance(string Positive, string Negative, double Norm, float Alpha, int Layer, SteeringMode Mode);
