using Glov.Core.Parsing;

namespace Glov.Core.Journal;

/// <summary>One fragment parsed out of a completion: <see cref="Index"/> numbers the step's candidates
/// in proposal order; exactly one of <see cref="Template"/> and <see cref="Reason"/> is set.</summary>
public sealed record CandidateRecord(int Index, int CompletionIndex, string Fragment, string? Template, RejectionReason? Reason, string? Detail);
