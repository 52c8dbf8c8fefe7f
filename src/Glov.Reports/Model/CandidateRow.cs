namespace Glov.Reports.Model;

/// <summary>One raw LLM answer and what became of it: a parsed template with its train score, or the
/// reason it was rejected. Both texts are model-generated and are always escaped when rendered.</summary>
public sealed record CandidateRow(int Step, int Index, string RawText, string? Template, double? Score, string? Rejection);
