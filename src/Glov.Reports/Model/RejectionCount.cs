namespace Glov.Reports.Model;

/// <summary>How many candidates of the whole run the parser or the history rejected for one reason.</summary>
public sealed record RejectionCount(string Reason, int Count);
