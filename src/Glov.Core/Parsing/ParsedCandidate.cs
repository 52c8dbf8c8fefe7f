using Glov.Core.Templates;

namespace Glov.Core.Parsing;

/// <summary>One template extracted from a raw completion, or the reason it was rejected.
/// <see cref="Fragment"/> is the cleaned text the decision was made on.</summary>
public sealed record ParsedCandidate(string Fragment, Template? Template, RejectionReason? Reason, string? Detail = null)
{
    public bool Accepted => Template is not null;
}
