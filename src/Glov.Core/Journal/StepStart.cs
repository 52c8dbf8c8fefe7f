using Glov.Core.Proposing;

namespace Glov.Core.Journal;

/// <summary>Everything a step asked the proposer for; <see cref="Guidance"/> is null while guidance is off.</summary>
public sealed record StepStart(int Step, IReadOnlyList<ChatMessage> Messages, int Count, SamplingSettings Sampling, StepGuidance? Guidance);
